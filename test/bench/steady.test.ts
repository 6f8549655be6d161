// Fixed and per-request CPU apart, from a short and a long run of the same load in the same round.
import { describe, expect, test } from "bun:test";
import { lengthSuffix, runCostMs, sameLengthRow, steadyCosts, type SteadyRun } from "../../bench/support/steady.ts";

const run = (tool: string, round: number, seconds: number, requests: number, cpuMs: number): SteadyRun => ({ tool, round, seconds, requests, cpuUs: cpuMs * 1000 });

describe("steadyCosts", () => {
  const cases: { name: string; runs: SteadyRun[]; want: { tool: string; rounds: number; us: number; fixedMs: number; rps: number }[] }[] = [
    {
      // 100 ms once, then 10 µs a request at 1,000 req/s: 3 s → 130 ms, 13 s → 230 ms
      name: "one round: the slope is the steady cost, the short run's rest the fixed cost",
      runs: [run("indus", 1, 3, 3000, 130), run("indus", 1, 13, 13_000, 230)],
      want: [{ tool: "indus", rounds: 1, us: 10, fixedMs: 100, rps: 1000 }],
    },
    {
      name: "the median over rounds, each round paired with itself",
      runs: [
        run("wrk", 1, 3, 3000, 26),
        run("wrk", 1, 13, 13_000, 96), // 7 µs, 5 ms
        run("wrk", 2, 3, 3000, 30),
        run("wrk", 2, 13, 13_000, 110), // 8 µs, 6 ms
        run("wrk", 3, 3, 3000, 200),
        run("wrk", 3, 13, 13_000, 290), // 9 µs, 173 ms: an outlier round
      ],
      want: [{ tool: "wrk", rounds: 3, us: 8, fixedMs: 6, rps: 1000 }],
    },
    {
      name: "a round missing one length, or whose long run did no more requests, is left out",
      runs: [run("indus", 1, 3, 3000, 130), run("indus", 1, 13, 13_000, 230), run("indus", 2, 3, 3000, 130), run("indus", 3, 3, 3000, 130), run("indus", 3, 13, 3000, 500)],
      want: [{ tool: "indus", rounds: 1, us: 10, fixedMs: 100, rps: 1000 }],
    },
    {
      name: "a tool with one length only has no steady cost",
      runs: [run("hey", 1, 10, 10_000, 100), run("indus", 1, 3, 3000, 130), run("indus", 1, 13, 13_000, 230)],
      want: [{ tool: "indus", rounds: 1, us: 10, fixedMs: 100, rps: 1000 }],
    },
    { name: "nothing measured", runs: [], want: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = steadyCosts(c.runs);
      expect(got.map((s) => ({ tool: s.tool, rounds: s.rounds, us: s.steadyUsPerRequest, fixedMs: s.fixedMs, rps: s.rps }))).toEqual(
        c.want.map((w) => ({ ...w, us: expect.closeTo(w.us, 9), fixedMs: expect.closeTo(w.fixedMs, 9) })),
      );
    });
  }

  test("the shortest and the longest length are the pair", () => {
    const [s] = steadyCosts([run("indus", 1, 13, 13_000, 230), run("indus", 1, 3, 3000, 130)]);
    expect([s!.shortSeconds, s!.longSeconds]).toEqual([3, 13]);
  });
});

describe("runCostMs", () => {
  const cost = { tool: "indus", rounds: 1, shortSeconds: 3, longSeconds: 13, steadyUsPerRequest: 10, fixedMs: 100, rps: 1000 };
  test.each([
    [0, 100],
    [10, 200],
    [60, 700],
  ])("a run of %p s costs %p ms", (seconds, ms) => {
    expect(runCostMs(cost, seconds)).toBeCloseTo(ms, 9);
  });
});

describe("sameLengthRow", () => {
  const rows = [
    { tool: "indus", label: `indus${lengthSuffix(3)}` },
    { tool: "indus", label: `indus${lengthSuffix(23)}` },
    { tool: "wrk", label: `wrk${lengthSuffix(3)}` },
    { tool: "wrk", label: `wrk${lengthSuffix(23)}` },
  ];
  test("pairs each row with the peer's row of its own length", () => {
    expect(sameLengthRow(rows, rows[0]!, "wrk")).toBe(rows[2]);
    expect(sameLengthRow(rows, rows[1]!, "wrk")).toBe(rows[3]);
  });
  test("no peer row of that length: none", () => {
    expect(sameLengthRow(rows, { tool: "indus", label: `indus${lengthSuffix(60)}` }, "wrk")).toBeUndefined();
  });
});
