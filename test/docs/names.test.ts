// The names the docs use are the code's: metrics, environment variables, log fields, files and links.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Registry } from "prom-client";
import { createAgentMetrics, createControllerMetrics } from "../../src/observability/index.ts";
import { ROOT } from "../helpers.ts";
import { docFiles } from "./blocks.ts";

const DOCS = docFiles(ROOT);
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const ALL = DOCS.map((d) => [d, read(d)] as const);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}
const SRC = sourceFiles("src").map((f) => [f, read(f)] as const);

function metricNames(): Set<string> {
  const registry = new Registry();
  createControllerMetrics(registry);
  const agent = createAgentMetrics(registry, { agentId: "a", sampler: { tickMs: 1000 } });
  agent.stop();
  return new Set(registry.getMetricsAsArray().map((m) => m.name));
}

describe("names in the docs", () => {
  test("every indus_* metric the docs and diagrams name is registered by the controller or the agent", () => {
    const names = metricNames();
    const texts = [...ALL, ...["architecture", "metrics-pipeline", "sequence-diagram"].map((n) => [n, read(`docs/${n}.svg`)] as const)];
    const unknown = texts.flatMap(([doc, text]) =>
      [...text.matchAll(/\bindus_(?:controller|agent)_[a-z_]+/g)].map((m) => m[0]).filter((n) => !names.has(n) && !names.has(n + "seconds")).map((n) => `${doc}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  test("every INDUS_* variable the docs name is read by indus or its installers, and every one indus reads is documented", () => {
    // (INDUS_SIM_SEED is read by the fleet simulator's test, to replay one seed; INDUS_BUILD by the build)
    const readers = [...SRC.map(([, t]) => t), ...["scripts/install.sh", "scripts/install.ps1", "test/sim/fleet.test.ts", "scripts/build.ts"].map(read)].join("\n");
    const named = new Set(ALL.flatMap(([, t]) => [...t.matchAll(/\bINDUS_[A-Z_]+\b/g)].map((m) => m[0])));
    expect([...named].filter((v) => !readers.includes(v))).toEqual([]);
    const readByCli = new Set(SRC.filter(([f]) => f.startsWith("src/cli/")).flatMap(([, t]) => [...t.matchAll(/env\.(INDUS_[A-Z_]+)/g)].map((m) => m[1]!)));
    expect([...readByCli].filter((v) => !read("README.md").includes(v))).toEqual([]);
  });

  test("the log fields the README lists are fields indus logs", () => {
    const bullet = /\*\*Logs\*\*:[\s\S]*?Fields: ([^.]*)\./.exec(read("README.md"))?.[1] ?? "";
    const fields = [...bullet.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter((f) => !["controller", "agent"].includes(f));
    expect(fields.length).toBeGreaterThan(8);
    const logging = SRC.map(([, t]) => t).join("\n");
    const logged = (field: string) =>
      ["time", "level", "msg"].includes(field)
        ? /\{ time: now\(\)\.toISOString\(\), level: level\.toUpperCase\(\), msg,/.test(logging)
        : new RegExp(`(logger|log)\\??\\.(info|warn|error|debug|child)\\([^;]*?\\b${field}\\b\\s*[:,}]`, "s").test(logging) ||
          // the run and session machines log through a command their driver writes out
          new RegExp(`kind: "log"[^;]*?\\bfields: \\{[^;]*?\\b${field}\\b\\s*[:,}]`, "s").test(logging);
    expect(fields.filter((f) => !logged(f))).toEqual([]);
  });

  test("relative links and images point at files that exist, and #anchors at headings or ids", () => {
    const broken: string[] = [];
    for (const [doc, text] of ALL) {
      const prose = text.replace(/```[\s\S]*?```/g, "");
      for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const file = path ? relative(ROOT, join(ROOT, dirname(doc), path)) : doc;
        if (!existsSync(join(ROOT, file))) {
          broken.push(`${doc}: ${target}`);
          continue;
        }
        if (anchor && file.endsWith(".md") && !anchorsOf(read(file)).has(anchor)) broken.push(`${doc}: ${target} (no #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("files and directories the docs mention in backticks exist", () => {
    const missing = ALL.flatMap(([doc, text]) =>
      [...text.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`\n]+)`/g)]
        .flatMap((span) => [...span[1]!.matchAll(/(?:^|[\s=])((?:examples|deploy|docs|schema|scripts|src|bench|proto|test)\/[\w./-]*)/g)].map((m) => m[1]!))
        .map((p) => p.replace(/\/$/, ""))
        .filter((p) => !p.includes("*") && !existsSync(join(ROOT, p)))
        .map((p) => `${doc}: ${p}`),
    );
    expect(missing).toEqual([]);
  });
});

/** GitHub's heading anchors, plus explicit <a id>s. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const text = markdown.replace(/```[\s\S]*?```/g, "");
  for (const m of text.matchAll(/^#{1,6}\s+(.*)$/gm)) {
    anchors.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-"),
    );
  }
  for (const m of text.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(m[1]!);
  return anchors;
}
