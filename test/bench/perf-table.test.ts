// The README's performance section is rendered from bench/results/bench.json: every case, ratios to wrk, the markers kept.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BEGIN, END, projectAgent, renderPerfTable, spliceReadme, startUpText, type BenchFile } from "../../scripts/perf-table.ts";
import { ROOT } from "../helpers.ts";

const bench: BenchFile = {
  date: "2026-11-28T12:00:00.000Z",
  machine: { nproc: 2, cpuModel: "AMD EPYC", kernel: "6.1.0", memTotalMb: 24_000 },
  versions: { indus: "indus 0.1.0", wrk: "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer", ab: "This is ApacheBench, Version 2.3 <$Revision$>" },
  rounds: 3,
  seconds: 10,
  pinning: "target on CPU 0, client on CPU 1",
  cases: [{ id: "c64", title: "64 connections", note: "closed loop", connections: 64, thinkMs: 0, seconds: 10 }],
  summary: [
    { case: "c64", label: "indus", tool: "indus", rounds: 3, quietRounds: 2, rps: 70_000, cpuUsPerRequest: 12.5, p50: 0.8, p99: 2, newConnections: 64, peakRssMb: 85, errors: 0, saturated: true },
    { case: "c64", label: "wrk", tool: "wrk", rounds: 3, quietRounds: 3, rps: 80_000, cpuUsPerRequest: 12.5, p50: 0.8, p99: 1, newConnections: 65, peakRssMb: 30, errors: 0 },
  ],
};

describe("perf table", () => {
  const md = renderPerfTable(bench);

  test("names the machine, the date and how to rerun", () => {
    expect(md).toContain("Measured 2026-11-28 on 2 × AMD EPYC");
    expect(md).toContain("npx bun bench/run.ts --install");
    expect(md).toContain("1 of 6 runs here shared the machine");
  });

  test("one row per tool, and indus as a ratio to wrk", () => {
    expect(md).toContain("| indus ⚠ saturated | 70,000 | 12.50 | 0.80 | 2.00 | 64 | 85 | 0 |");
    expect(md).toContain("| wrk | 80,000 |");
    expect(md).toContain("| *indus ÷ wrk* | ×0.88 | ×1.00 | ×1.00 | ×2.00 | ×0.98 | ×2.83 | |");
  });

  test("tool banners are trimmed to versions, with nothing that reads as HTML", () => {
    expect(md).toContain("wrk debian/4.1.0-3+b2 ·");
    expect(md).not.toContain("<$Revision$>");
  });

  test("with load averages: a generator column (indus only) and the load beside every row; RSS per VU for memory cases", () => {
    const b: BenchFile = {
      ...bench,
      cases: [{ id: "mem50k", title: "50,000 VUs", note: "memory", connections: 50_000, thinkMs: 30_000, seconds: 25 }],
      summary: [
        { case: "mem50k", label: "indus", tool: "indus", rounds: 1, rps: 2000, cpuUsPerRequest: 70, p50: 0.4, p99: 18, newConnections: 50_000, peakRssMb: 150, errors: 0, saturated: false, load1: 3.25 },
      ],
    };
    const out = renderPerfTable(b);
    expect(out).toContain("| tool | req/s | CPU µs/req | p50 ms | p99 ms | new conns | peak RSS MB | RSS KB/VU | errors | generator | load |");
    expect(out).toContain("| indus | 2,000 | 70.00 | 0.40 | 18.00 | 50,000 | 150 | 3.1 | 0 | not flagged | 3.3 |");
  });

  test("a figure the bench could not measure (NaN: null in JSON) prints a dash and no ratio; a ramp short of 90% says so", () => {
    const missing = null as unknown as number;
    const b: BenchFile = {
      ...bench,
      cases: [{ id: "vu10k", title: "10,000 VUs", note: "think", connections: 10_000, thinkMs: 1000, seconds: 10 }],
      summary: [
        { ...bench.summary[0]!, case: "vu10k", p50: missing, ramp: { t10Ms: 3169.8, t90Ms: missing, peakPer100Ms: 226 } },
        { ...bench.summary[1]!, case: "vu10k", ramp: { t10Ms: 25, t90Ms: 277, spanMs: 252, peakPer100Ms: 2033 } },
      ],
    };
    const out = renderPerfTable(b);
    expect(out).toContain("| indus ⚠ saturated | 70,000 | 12.50 | – | 2.00 |");
    expect(out).toContain("| *indus ÷ wrk* | ×0.88 | ×1.00 |  | ×2.00 |");
    expect(out).toContain("indus did not open 90% of its 10,000 connections in the 4 s watched (10% of them after 3,170 ms, at most 226 in any 100 ms)");
    expect(out).toContain("wrk opened 10% → 90% of its connections in 252 ms, at most 2,033 in any 100 ms");
  });

  test("a case kept from an earlier run says when and with which indus it was measured", () => {
    const b: BenchFile = { ...bench, cases: [{ ...bench.cases[0]!, date: "2026-11-01T00:00:00.000Z", indus: "indus 0.0.9" }] };
    expect(renderPerfTable(b)).toContain("*(Measured 2026-11-01 with indus 0.0.9: kept from an earlier bench run.)*");
  });

  test("a steady case: each indus row divided by wrk's of the same length, then fixed and per-request cost apart", () => {
    const row = (tool: string, seconds: number, rps: number, cpu: number) => ({
      case: "sleep50steady", label: `${tool} ${seconds} s`, tool, rounds: 3, rps, cpuUsPerRequest: cpu, p50: 50, p99: 51, newConnections: NaN, peakRssMb: 50, errors: 0,
    });
    const b: BenchFile = {
      ...bench,
      cases: [{ id: "sleep50steady", title: "50 ms target, runs of 3 s and 13 s", note: "apart", connections: 64, thinkMs: 0, seconds: 13, role: "steady" }],
      summary: [row("indus", 3, 1000, 40), row("indus", 13, 1000, 20), row("wrk", 3, 1000, 10), row("wrk", 13, 1000, 8)],
      steady: [
        { case: "sleep50steady", tool: "indus", rounds: 3, shortSeconds: 3, longSeconds: 13, steadyUsPerRequest: 10, fixedMs: 100, rps: 1000 },
        { case: "sleep50steady", tool: "wrk", rounds: 3, shortSeconds: 3, longSeconds: 13, steadyUsPerRequest: 8, fixedMs: 5, rps: 1000 },
      ],
    };
    const out = renderPerfTable(b);
    expect(out).toContain("| *indus 3 s ÷ wrk* | ×1.00 | ×4.00 |");
    expect(out).toContain("| *indus 13 s ÷ wrk* | ×1.00 | ×2.50 |");
    expect(out).toContain("| tool | CPU µs per request, once running | CPU ms once per run | whole 10 s run, ms | whole 1 min run, ms | whole 5 min run, ms |");
    // 100 + 10 µs × 1,000 req/s × 10 s = 200 ms; a minute 700; five minutes 3,100
    expect(out).toContain("| indus | 10.00 | 100.0 | 200 | 700 | 3,100 |");
    expect(out).toContain("| wrk | 8.00 | 5.0 | 85 | 485 | 2,405 |");
    expect(out).toContain("| *indus ÷ wrk* | ×1.25 | ×20.00 | ×2.35 | ×1.44 | ×1.29 |");
  });

  test("a steady case without both tools' costs has no steady table", () => {
    const b: BenchFile = { ...bench, steady: [{ case: "c64", tool: "indus", rounds: 1, shortSeconds: 3, longSeconds: 13, steadyUsPerRequest: 10, fixedMs: 100, rps: 1000 }] };
    expect(renderPerfTable(b)).not.toContain("once per run");
  });

  test("the projection per agent: one worker's CPU per request, a line through the workers' CPU per second", () => {
    const b: BenchFile = {
      ...bench,
      cases: [
        { id: "ceiling", title: "ceiling", note: "n", connections: 256, thinkMs: 0, seconds: 10, role: "ceiling" },
        { id: "coord", title: "coord", note: "n", connections: 2, thinkMs: 1000, seconds: 10, role: "coordination" },
      ],
      summary: [
        { case: "ceiling", label: "indus", tool: "indus", rounds: 1, rps: 50_000, cpuUsPerRequest: 20, p50: 1, p99: 2, newConnections: 256, peakRssMb: 80, errors: 0, saturated: true },
        ...[1, 2, 4].map((w) => ({
          case: "coord", label: `indus --workers ${w}`, tool: "indus", rounds: 1, rps: 2, cpuUsPerRequest: 1, p50: 1, p99: 1, newConnections: 2, peakRssMb: 60, errors: 0,
          workers: w, cpuUsPerSecond: 10_000 + 5_000 * w,
        })),
      ],
    };
    const p = projectAgent(b)!;
    expect(p.usPerWorkerSecond).toBeCloseTo(5_000, 6);
    expect(p.baseUsPerSecond).toBeCloseTo(10_000, 6);
    // a worker: 50,000 req/s measured, 20 µs a request (a core allows 50,000); 4 cores lose (10 ms + 4 × 5 ms) of their 4 s to coordination
    expect(p.cores[0]!.rps).toBeCloseTo(4 * 50_000 * (1 - 30_000 / 4e6), 6);
    expect(renderPerfTable(b)).toContain("| 64 | ");
    expect(projectAgent(bench)).toBeNull();
  });

  test("the README keeps its markers and everything around them", () => {
    const readme = `# x\n\n## Performance\n\n${BEGIN}\nold\n${END}\n\n## Next\n`;
    const out = spliceReadme(readme, "new table");
    expect(out).toBe(`# x\n\n## Performance\n\n${BEGIN}\nnew table\n${END}\n\n## Next\n`);
    expect(() => spliceReadme("# no markers\n", "t")).toThrow(/markers/);
  });

  test("README.md holds the table rendered from the committed bench/results/bench.json", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "bench", "results", "bench.json"), "utf8")) as BenchFile;
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`${BEGIN}\n${renderPerfTable(committed)}\n${END}`);
  });
});

describe("what a run spends once, by build", () => {
  test.each([
    ["indus 0.1.0 (commit abc1234, linux-x64)", "indus spends ~0.04 s", "compiled ahead of time"],
    ["indus 0.1.0 (commit abc1234, linux-x64, compiled ahead of time)", "compiled ahead of time (`scripts/aot.ts`)", "indus spends"],
  ])("%s", (version, says, doesNotSay) => {
    const text = startUpText(version);
    expect(text).toContain(says);
    expect(text).not.toContain(doesNotSay);
  });
});
