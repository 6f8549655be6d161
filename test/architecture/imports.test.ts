// The dependency direction of DESIGN.md, checked on the source: no cycle between src/'s top-level folders, and
// controller/ imported only from cli/ (as /work/shared/tools/folder-imports checks, but inside the suite).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";

const SRC = join(import.meta.dir, "../../src");
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]/g;

interface Edge {
  from: string;
  to: string;
  file: string;
}

/** Every relative import between two different top-level folders of src/ (generated code aside). */
function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f) && !f.split(sep).includes("gen"));
  for (const file of files) {
    const parts = file.split(sep);
    if (parts.length < 2) continue; // main.ts
    const from = parts[0]!;
    const text = readFileSync(join(SRC, file), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const target = relative(SRC, normalize(join(dirname(join(SRC, file)), (m[1] ?? m[2])!))).split(sep);
      if (target[0]!.startsWith("..") || target.length < 2) continue;
      if (target[0] !== from) edges.push({ from, to: target[0]!, file: join("src", file) });
    }
  }
  return edges;
}

/** Strongly connected components of more than one folder: the cycles. */
function cycles(edges: readonly Edge[]): string[][] {
  const out = new Map<string, Set<string>>();
  for (const e of edges) (out.get(e.from) ?? out.set(e.from, new Set()).get(e.from)!).add(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strong = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of out.keys()) if (!index.has(v)) strong(v);
  return found;
}

/** Imports DESIGN.md rules out even where they would not close a cycle today. */
const FORBIDDEN: Record<string, readonly string[]> = {
  metrics: ["engine", "transport", "controller", "agent", "store", "report", "run"],
  run: ["controller", "agent", "transport", "store", "report", "engine", "cli"],
  transport: ["controller"],
  store: ["controller", "transport", "report"],
  report: ["controller", "transport"],
  observability: ["controller"],
  agent: ["controller"],
  controller: ["agent", "cli"],
  threshold: ["run", "engine", "controller"],
};

describe("src/ dependency direction", () => {
  const edges = folderEdges();

  test("the check reads the source (it sees the imports it should)", () => {
    expect(edges.some((e) => e.from === "cli" && e.to === "controller")).toBe(true);
    expect(edges.some((e) => e.from === "controller" && e.to === "run")).toBe(true);
  });

  test("no cycle between top-level folders", () => {
    expect(cycles(edges)).toEqual([]);
  });

  test("nothing outside cli/ imports controller/", () => {
    expect(edges.filter((e) => e.to === "controller" && e.from !== "cli").map((e) => e.file)).toEqual([]);
  });

  test("no import DESIGN.md forbids (metrics knows no engine, transport and controller do not import each other, ...)", () => {
    const bad = edges.filter((e) => FORBIDDEN[e.from]?.includes(e.to)).map((e) => `${e.file} -> ${e.to}/`);
    expect([...new Set(bad)]).toEqual([]);
  });

  test("the cycle finder finds cycles", () => {
    const e = (from: string, to: string): Edge => ({ from, to, file: "" });
    expect(cycles([e("a", "b"), e("b", "c"), e("c", "a"), e("c", "d")])).toEqual([["a", "b", "c"]]);
    expect(cycles([e("a", "b"), e("b", "c")])).toEqual([]);
  });
});
