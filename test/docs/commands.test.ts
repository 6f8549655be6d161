// Every command the docs show: each `indus …` is one the CLI accepts, and the runnable ones run
// (README.md and docs/guides/*.md, against the mock target, with short durations, in a sandbox).
import { describe, expect, test } from "bun:test";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { commandDefinitions } from "../../src/cli/index.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { BIN, ROOT } from "../helpers.ts";
import { codeBlocks, docFiles, SHELL_LANGS, type CodeBlock } from "./blocks.ts";
import { buildScript, createSandbox, docPorts, freePorts, portMap, writeDocFile, type ScriptCommand } from "./sandbox.ts";
import { indusInvocations, invocationProblems, logicalCommands } from "./shell.ts";

const DOCS = docFiles(ROOT);
const BLOCKS = DOCS.flatMap((doc) => codeBlocks(ROOT, doc));
const DEFS = new Map((await commandDefinitions()).map((c) => [c.name, c.def]));
const where = (b: CodeBlock) => `${b.doc}:${b.line}`;

describe("docs: every indus command is one the CLI accepts", () => {
  const shellBlocks = BLOCKS.filter((b) => SHELL_LANGS.has(b.lang));

  test("the docs show commands", () => {
    expect(DOCS).toContain("README.md");
    expect(DOCS.length).toBeGreaterThanOrEqual(5);
    expect(shellBlocks.length).toBeGreaterThan(10);
  });

  test.each(shellBlocks.map((b) => [where(b), b] as const))("%s", (_, block) => {
    const problems = logicalCommands(block.text).flatMap((line) => indusInvocations(line).flatMap((argv) => invocationProblems(argv, DEFS).map((p) => `${p}  (in: ${line})`)));
    expect(problems).toEqual([]);
  });

  test("indus in YAML and other blocks (CI steps, container args) names real subcommands and flags", () => {
    const problems: string[] = [];
    // (not the CLI reference's usage blocks, which have no language: "indus report ID [flags]")
    for (const block of BLOCKS.filter((b) => ["yaml", "yml", "dockerfile", "json"].includes(b.lang))) {
      for (const m of block.text.matchAll(/(?:^|\s|run:\s*|-\s+)(indus\s+[a-z-]+[^\n#"']*)/g)) {
        for (const argv of indusInvocations(m[1]!)) problems.push(...invocationProblems(argv, DEFS).map((p) => `${where(block)}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
  });

  test("a shell block with indus commands is marked runnable, or not-runnable with a reason in the text around it", () => {
    const unmarked = shellBlocks
      .filter((b) => ["sh", "bash", "shell", "console"].includes(b.lang))
      .filter((b) => !b.runnable && logicalCommands(b.text).some((l) => indusInvocations(l).length > 0))
      .filter((b) => !/\b(docker|kubectl|curl|irm|npm|systemctl|sudo|ssh|scp|install)\b/.test(b.text) && !/not-runnable/.test(infoOf(b)))
      .map(where);
    expect(unmarked).toEqual([]);
  });

  test("runnable blocks are shell blocks", () => {
    expect(BLOCKS.filter((b) => b.runnable && !["sh", "bash"].includes(b.lang)).map(where)).toEqual([]);
  });
});

describe("docs: YAML blocks", () => {
  const yamlBlocks = BLOCKS.filter((b) => b.lang === "yaml" || b.lang === "yml");

  test.each(yamlBlocks.map((b) => [where(b), b] as const))("%s parses; a whole plan is a valid plan (unless marked invalid)", (_, block) => {
    const doc = parse(block.text) as unknown;
    const isPlan = doc !== null && typeof doc === "object" && "scenarios" in doc;
    // a sketch shows every key at once (the generated plan reference): YAML, but not a plan
    if (!isPlan || /(^|\s)sketch(\s|$)/.test(infoOf(block))) return;
    const invalid = /(^|\s)invalid(\s|$)/.test(infoOf(block));
    if (invalid) expect(() => parsePlan(block.text, block.file ?? "plan.yaml")).toThrow();
    else expect(() => parsePlan(block.text, block.file ?? "plan.yaml")).not.toThrow();
  });
});

function infoOf(block: CodeBlock): string {
  return block.info;
}

// ---- running them ----

interface CommandResult {
  rc: number;
  output: string;
}

interface DocRun {
  commands: ScriptCommand[];
  results: Map<string, CommandResult>;
  output: string;
  ms: number;
}

const DOC_TIMEOUT_MS = 80_000;
// every doc's ports at once, so no two docs (running side by side) get the same one
const DOC_PORTS = new Map(DOCS.map((doc) => [doc, docPorts(BLOCKS.filter((b) => b.doc === doc && (b.runnable || b.file)).map((b) => b.text))]));
const FREE = freePorts([...DOC_PORTS.values()].reduce((n, ports) => n + ports.length, 0));

async function runDoc(doc: string): Promise<DocRun> {
  const blocks = BLOCKS.filter((b) => b.doc === doc);
  const runnable = blocks.filter((b) => b.runnable);
  if (runnable.length === 0) return { commands: [], results: new Map(), output: "", ms: 0 };
  const offset = DOCS.slice(0, DOCS.indexOf(doc)).reduce((n, d) => n + DOC_PORTS.get(d)!.length, 0);
  const ports = DOC_PORTS.get(doc)!;
  const sandbox = createSandbox(portMap(ports, FREE.slice(offset, offset + ports.length)));
  for (const block of blocks.filter((b) => b.file)) writeDocFile(sandbox, block);
  const { script, commands } = buildScript(sandbox, runnable);
  const file = join(sandbox.dir, "commands.sh");
  writeFileSync(file, script);
  const started = performance.now();
  // its own process group: on a timeout, every process it started goes too
  const proc = Bun.spawn(["setsid", "bash", file], { stdout: "pipe", stderr: "pipe", cwd: sandbox.dir, env: { ...process.env, NO_COLOR: "1" } });
  const timer = setTimeout(() => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      proc.kill("SIGKILL");
    }
  }, DOC_TIMEOUT_MS);
  const output = await new Response(proc.stdout).text();
  await proc.exited;
  clearTimeout(timer);
  const results = new Map<string, CommandResult>();
  for (const m of output.matchAll(/@@begin (\S+)@@\n([\s\S]*?)@@end \1 rc=(\d+)@@/g)) {
    results.set(m[1]!, { rc: Number(m[3]), output: m[2]! });
  }
  const ok = commands.every((c) => results.get(c.id)?.rc === c.expect);
  // a failed doc's sandbox stays for a look (its path is in the output); INDUS_KEEP_DOCS_SANDBOX keeps all
  if (ok && !process.env.INDUS_KEEP_DOCS_SANDBOX) rmSync(sandbox.dir, { recursive: true, force: true });
  return { commands, results, output: `sandbox: ${sandbox.dir}\n${output}`, ms: performance.now() - started };
}

const RUNS = new Map<string, Promise<DocRun>>();
function runOf(doc: string): Promise<DocRun> {
  let run = RUNS.get(doc);
  if (!run) {
    run = runDoc(doc);
    RUNS.set(doc, run);
  }
  return run;
}

describe("docs: runnable commands run", () => {
  test("bin/indus is built (npm test builds it first)", () => {
    expect(existsSync(BIN) || Boolean(process.env.INDUS_TEST_SOURCE)).toBe(true);
  });

  test("every guide has runnable commands", () => {
    const without = DOCS.filter((d) => !BLOCKS.some((b) => b.doc === d && b.runnable));
    expect(without).toEqual([]);
  });

  // all docs run at once, each in its own sandbox on its own ports
  if (existsSync(BIN) || process.env.INDUS_TEST_SOURCE) for (const doc of DOCS) void runOf(doc);

  for (const block of BLOCKS.filter((b) => b.runnable)) {
    const shown = logicalCommands(block.text);
    test(
      `${where(block)}: ${shown.length} command(s)${block.exit ? `, the last exits ${block.exit}` : ""}`,
      async () => {
        const run = await runOf(block.doc);
        const failures: string[] = [];
        for (const c of run.commands.filter((c) => c.block === block)) {
          const r = run.results.get(c.id);
          if (!r) failures.push(`${c.shown}\n  → did not finish (doc run took ${Math.round(run.ms)} ms)\n${tail(run.output)}`);
          else if (r.rc !== c.expect) {
            const what = c.background ? "never listened on its port" : `exit ${r.rc}, expected ${c.expect}`;
            failures.push(`${c.shown}\n  (ran: ${c.run})\n  → ${what}\n${tail(r.output)}`);
          }
        }
        expect(failures).toEqual([]);
      },
      DOC_TIMEOUT_MS + 20_000,
    );
  }
});

function tail(text: string, lines = 25): string {
  return text.split("\n").slice(-lines).map((l) => "    | " + l).join("\n");
}
