// A place to run the docs' commands: a temp copy of the examples with short durations and free ports,
// `indus` (the built binary) on PATH, a private HOME, and the commands rewritten to match.
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { parseDuration } from "../../src/core/duration.ts";
import { BIN, ROOT, tempDir } from "../helpers.ts";
import type { CodeBlock } from "./blocks.ts";
import { logicalCommands } from "./shell.ts";

/** The default ports of mock-server, controller and agent: a sandbox maps them even where a doc leaves them out. */
export const DEFAULT_PORTS = [8080, 9090, 9091, 50051, 50052] as const;
export type PortMap = Map<number, number>;

/** The ports a doc's commands and files name (":50052", "--port 8080"), with the defaults: each gets a free one. */
export function docPorts(texts: readonly string[]): number[] {
  const found = new Set<number>(DEFAULT_PORTS);
  for (const text of texts) {
    for (const m of text.matchAll(/(?::|--port[= ]|\s-p\s)(\d{4,5})(?!\d)/g)) {
      const port = Number(m[1]);
      if (port >= 1024 && port <= 65535) found.add(port);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** A scenario longer than this is cut to it; its profile's times shrink in proportion. */
export const SHORT_MS = 2000;

/** Free ports on 127.0.0.1: all listened on at once (so they differ), then released. */
export function freePorts(n: number): number[] {
  const listeners = Array.from({ length: n }, () => Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }));
  const ports = listeners.map((l) => l.port);
  for (const l of listeners) l.stop(true);
  return ports;
}

export function portMap(docPorts: readonly number[], free: readonly number[]): PortMap {
  return new Map(docPorts.map((p, i) => [p, free[i]!]));
}

function mapPorts(text: string, ports: PortMap): string {
  const pattern = new RegExp(`(?<![\\w.])(${[...ports.keys()].join("|")})(?!\\d)`, "g");
  return text.replace(pattern, (m) => String(ports.get(Number(m)) ?? m));
}

/**
 * A plan as the sandbox runs it: ports mapped, every scenario at most SHORT_MS long, its profile's
 * times (spike_at, step_duration, …) scaled alike (at least 1s), thresholds' delays too.
 * Edited in place (parseDocument), so line numbers and comments stay; text that is not a plan is
 * only port-mapped.
 */
export function shortenPlan(text: string, ports: PortMap): string {
  const doc = parseDocument(mapPorts(text, ports));
  const scenarios = doc.get("scenarios");
  if (doc.errors.length > 0 || !isMap(scenarios)) return doc.toString();
  let factor = 1;
  for (const pair of scenarios.items) {
    const scenario = pair.value;
    if (!isMap(scenario)) continue;
    const ms = durationOf(scenario.get("duration"));
    if (ms === undefined || ms <= SHORT_MS) continue;
    const f = SHORT_MS / ms;
    factor = Math.min(factor, f);
    scenario.set("duration", `${SHORT_MS}ms`);
    const profile = scenario.get("profile");
    if (isMap(profile)) {
      scaleDurations(profile, f);
      const at = durationOf(profile.get("spike_at"));
      const length = durationOf(profile.get("spike_duration"));
      if (at !== undefined && length !== undefined) {
        const start = Math.min(at, SHORT_MS - 1000);
        profile.set("spike_at", `${start}ms`);
        profile.set("spike_duration", `${Math.min(length, SHORT_MS - start)}ms`);
      }
    }
  }
  const thresholds = doc.get("thresholds");
  if (isSeq(thresholds)) {
    for (const t of thresholds.items) {
      const delay = isMap(t) ? durationOf(t.get("delay")) : undefined;
      if (isMap(t) && delay !== undefined) t.set("delay", `${Math.round(delay * factor)}ms`);
    }
  }
  return doc.toString();
}

function durationOf(node: unknown): number | undefined {
  const v = isScalar(node) ? node.value : node;
  return typeof v === "string" ? parseDuration(v) : undefined;
}

/** Every duration string under a node, times f, at least a second (profiles' minimum). */
function scaleDurations(node: unknown, f: number): void {
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const pair = item as { value?: unknown };
      const value = isMap(node) ? pair.value : item;
      const ms = durationOf(value);
      if (ms !== undefined && ms > 0 && isScalar(value)) value.value = `${Math.max(1000, Math.round(ms * f))}ms`;
      else scaleDurations(value, f);
    }
  }
}

export interface Sandbox {
  dir: string;
  ports: PortMap;
  runIds: string;
}

/** A temp dir holding examples/ and docs/*.yaml (shortened), bin/indus, and a HOME of its own. */
export function createSandbox(ports: PortMap): Sandbox {
  const dir = tempDir("indus-docs-");
  copyPlans(join(ROOT, "examples"), join(dir, "examples"), ports);
  mkdirSync(join(dir, "docs"), { recursive: true });
  for (const f of readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".yaml"))) {
    writeFileSync(join(dir, "docs", f), shortenPlan(readFileSync(join(ROOT, "docs", f), "utf8"), ports));
  }
  mkdirSync(join(dir, "home"));
  mkdirSync(join(dir, "bin"));
  const runIds = join(dir, "run-ids");
  writeFileSync(runIds, "");
  const real = process.env.INDUS_TEST_SOURCE ? `"${process.execPath}" "${join(ROOT, "src/main.ts")}"` : `"${BIN}"`;
  // `indus run` also notes the run id, so a later <id> in the docs can name it
  writeFileSync(
    join(dir, "bin", "indus"),
    `#!/usr/bin/env bash
if [ "$1" = "run" ]; then
  out="$(mktemp)"
  ${real} "$@" | tee "$out"
  rc=\${PIPESTATUS[0]}
  sed -n 's/^Run started: \\([^ ]*\\).*/\\1/p' "$out" >> "${runIds}"
  rm -f "$out"
  exit "$rc"
fi
exec ${real} "$@"
`,
  );
  chmodSync(join(dir, "bin", "indus"), 0o755);
  return { dir, ports, runIds };
}

function copyPlans(from: string, to: string, ports: PortMap): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyPlans(src, join(to, name), ports);
    else if (/\.ya?ml$/.test(name)) writeFileSync(join(to, name), shortenPlan(readFileSync(src, "utf8"), ports));
    else cpSync(src, join(to, name));
  }
}

/** A file block of the docs, written into the sandbox (a plan shortened like the examples). */
export function writeDocFile(sandbox: Sandbox, block: CodeBlock): void {
  const path = join(sandbox.dir, block.file!);
  if (relative(sandbox.dir, path).startsWith("..")) throw new Error(`${block.doc}:${block.line}: file=${block.file} leaves the sandbox`);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, shortenPlan(block.text + "\n", sandbox.ports));
}

const LISTEN_FLAGS: Record<string, { flag: string; port: number }[]> = {
  "mock-server": [{ flag: "port", port: 8080 }],
  agent: [
    { flag: "grpc-addr", port: 50052 },
    { flag: "metrics-addr", port: 9091 },
  ],
  controller: [
    { flag: "grpc-addr", port: 50051 },
    { flag: "metrics-addr", port: 9090 },
  ],
};

/**
 * A docs command as the sandbox runs it: <id> placeholders filled in, listeners on 127.0.0.1 and
 * sandbox ports (defaults made explicit), `indus agents` aimed at the sandbox's controller.
 */
export function rewriteCommand(line: string, ports: PortMap): string {
  let out = line.replace(/<id>/g, '$(__run_id 1)').replace(/<previous-id>/g, '$(__run_id 2)');
  out = out.replace(/(--(?:grpc|metrics)-addr(?:=|\s+))(?=:\d)/g, "$1127.0.0.1");
  out = out.replace(/(--host(?:=|\s+))0\.0\.0\.0/g, "$1127.0.0.1");
  // defaults the docs leave out become explicit, so they land on sandbox ports too
  out = out.replace(/(^|[\s;&|(])((?:\S*\/)?indus)\s+(mock-server|agent|controller|agents)\b/g, (m, pre: string, bin: string, sub: string) => {
    const extra: string[] = [];
    for (const { flag, port } of LISTEN_FLAGS[sub] ?? []) {
      const given = new RegExp(`--${flag}\\b${flag === "port" ? "|(^|\\s)-p\\b" : ""}`).test(line);
      if (!given) extra.push(`--${flag}=${flag === "port" ? "" : "127.0.0.1:"}${port}`);
    }
    if (sub === "agents" && !/--controller\b/.test(line)) extra.push("--controller=127.0.0.1:50051");
    return `${pre}${bin} ${sub}${extra.map((e) => " " + e).join("")}`;
  });
  return mapPorts(out, ports);
}

/** The ports a (rewritten) background command listens on: what to wait for before the next one. */
export function listenPorts(line: string): number[] {
  const ports: number[] = [];
  for (const m of line.matchAll(/(?:--port(?:=|\s+)|(?:^|\s)-p\s+)(\d+)|--(?:grpc|metrics)-addr(?:=|\s+)[^\s:]*:(\d+)/g)) {
    ports.push(Number(m[1] ?? m[2]));
  }
  return ports;
}

export interface ScriptCommand {
  id: string;
  block: CodeBlock;
  /** as the doc shows it */
  shown: string;
  /** as the sandbox runs it */
  run: string;
  /** exit code expected; for a background command (`… &`), 0 means it came up listening */
  expect: number;
  background: boolean;
}

/** One bash script for all runnable blocks of a doc, in order, in one shell (background jobs persist). */
export function buildScript(sandbox: Sandbox, blocks: readonly CodeBlock[]): { script: string; commands: ScriptCommand[] } {
  const commands: ScriptCommand[] = [];
  for (const block of blocks) {
    const lines = logicalCommands(block.text);
    lines.forEach((shown, k) => {
      const background = /(^|[^&])&\s*(#.*)?$/.test(shown);
      commands.push({
        id: `${block.doc}:${block.line}#${k + 1}`,
        block,
        shown,
        run: rewriteCommand(shown, sandbox.ports),
        expect: !background && k === lines.length - 1 ? block.exit : 0,
        background,
      });
    });
  }
  const body = commands.flatMap((c) => {
    // a background command "succeeds" when it listens on its ports
    const waits = c.background ? [listenPorts(c.run).map((p) => `__wait_port ${p}`).join(" && ") || "true"] : [];
    return [`echo "@@begin ${c.id}@@"`, c.run, ...waits, `echo "@@end ${c.id} rc=$?@@"`];
  });
  const script = [
    "exec 2>&1",
    `cd "${sandbox.dir}"`,
    `export HOME="${join(sandbox.dir, "home")}" PATH="${join(sandbox.dir, "bin")}:$PATH" NO_COLOR=1`,
    "unset INDUS_TOKEN INDUS_DATA_DIR INDUS_LOG_FORMAT INDUS_LOG_LEVEL",
    "trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT",
    `__run_id() { tail -n "$1" "${sandbox.runIds}" | head -n 1; }`,
    `__wait_port() { for _ in $(seq 1 150); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on port $1"; return 1; }`,
    ...body,
  ].join("\n");
  return { script: script + "\n", commands };
}
