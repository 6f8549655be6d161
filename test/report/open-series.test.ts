// The open model's per-second columns: latency from the intended start and drops, over arrival-rate scopes only.
import { describe, expect, test } from "bun:test";
import type { TimelineEntry } from "../../src/run/types.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import type { ScenarioDelta } from "../../src/metrics/snapshot.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { timelineSeries, type OpenSeries } from "../../src/report/series.ts";
import { openRun } from "./fixtures/open-run.ts";

const plan = parsePlan(
  `name: mixed
scenarios:
  paced:
    duration: 3s
    profile: { type: constant_rate, rate: 10, pre_allocated_vus: 1, max_vus: 2 }
    steps: [{ name: a, url: http://127.0.0.1:1/a }, { name: b, url: http://127.0.0.1:1/b }]
  ramped:
    duration: 3s
    profile: { type: ramping_rate, start_rate: 1, pre_allocated_vus: 1, max_vus: 2, stages: [{ target: 5, duration: 3s }] }
    steps: [{ name: c, url: http://127.0.0.1:1/c }]
  looped:
    duration: 3s
    profile: { type: constant, vus: 2 }
    steps: [{ name: d, url: http://127.0.0.1:1/d }]
`,
  "mixed.yaml",
);
const closedPlan = parsePlan(`name: closed\nscenarios:\n  looped:\n    duration: 3s\n    profile: { type: constant, vus: 2 }\n    steps: [{ name: d, url: http://127.0.0.1:1/d }]\n`, "closed.yaml");

/** µs values → encoded histogram */
const hist = (us: number[]) => {
  const h = createHistogram();
  for (const v of us) h.recordValue(v);
  return encodeHistogram(h);
};
/** What HDR gives for these µs values at p, in ms; NaN without values. */
const at = (us: number[], p: number) => {
  if (us.length === 0) return NaN;
  const h = createHistogram();
  for (const v of us) h.recordValue(v);
  return h.getValueAtPercentile(p) / 1000;
};

interface StepIn {
  service: number[];
  intended?: number[];
}
/** A scenario's second: its steps' samples (µs) and, for the open model, drops. */
const scenario = (steps: Record<string, StepIn>, dropped?: number): ScenarioDelta => ({
  iterations: 1,
  vus: 1,
  steps: Object.fromEntries(
    Object.entries(steps).map(([name, s]) => [
      name,
      { requests: s.service.length, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0, latency: hist(s.service), ...(s.intended ? { intended: hist(s.intended) } : {}) },
    ]),
  ),
  ...(dropped !== undefined ? { droppedIterations: dropped } : {}),
});
const entry = (t: number, scenarios: Record<string, ScenarioDelta>): TimelineEntry => ({ t, vus: {}, snapshot: { scenarios } });

const fast = [10_000, 11_000, 12_000, 13_000];
const late = [900_000, 1_500_000, 2_000_000, 2_100_000];
const closedSlow = [5_000_000, 6_000_000, 7_000_000, 8_000_000, 9_000_000, 9_500_000, 9_900_000, 9_990_000];

describe("open-model timeline columns", () => {
  const cases: { name: string; timeline: TimelineEntry[]; global: Partial<Record<keyof OpenSeries, number[]>>; scenarios: Record<string, Partial<Record<keyof OpenSeries, number[]>> | undefined> }[] = [
    {
      name: "a stall second: the intended start shows it, the service time does not",
      timeline: [
        entry(1, { paced: scenario({ a: { service: fast, intended: fast } }, 0) }),
        entry(2, { paced: scenario({ a: { service: fast, intended: late } }, 5) }),
        entry(3, { paced: scenario({ a: { service: fast, intended: fast } }, 0) }),
      ],
      global: {
        p95: [at(fast, 95), at(fast, 95), at(fast, 95)],
        p99Intended: [at(fast, 99), at(late, 99), at(fast, 99)],
        dropped: [0, 5, 0],
      },
      scenarios: { paced: { p95Intended: [at(fast, 95), at(late, 95), at(fast, 95)], dropped: [0, 5, 0] }, ramped: { dropped: [0, 0, 0] }, looped: undefined },
    },
    {
      name: "a closed scenario beside them dilutes neither latency; both arrival-rate scenarios merge, step by step",
      timeline: [
        entry(1, {
          paced: scenario({ a: { service: fast, intended: fast }, b: { service: [20_000], intended: late } }, 2),
          ramped: scenario({ c: { service: [30_000], intended: [40_000] } }, 3),
          looped: scenario({ d: { service: closedSlow } }),
        }),
      ],
      global: {
        p95: [at([...fast, 20_000, 30_000], 95)],
        p99: [at([...fast, 20_000, 30_000], 99)],
        p95Intended: [at([...fast, ...late, 40_000], 95)],
        p99Intended: [at([...fast, ...late, 40_000], 99)],
        dropped: [5],
      },
      scenarios: {
        paced: { p95: [at([...fast, 20_000], 95)], p99Intended: [at([...fast, ...late], 99)], dropped: [2] },
        ramped: { p99: [at([30_000], 99)], p95Intended: [at([40_000], 95)], dropped: [3] },
        looped: undefined,
      },
    },
    {
      name: "a second without samples is NaN, not 0; a scenario missing from a second dropped nothing",
      timeline: [entry(1, { looped: scenario({ d: { service: fast } }) }), entry(2, { ramped: scenario({ c: { service: [], intended: [] } }, 4) })],
      global: { p95: [NaN, NaN], p95Intended: [NaN, NaN], p99Intended: [NaN, NaN], dropped: [0, 4] },
      scenarios: { paced: { p95: [NaN, NaN], p99Intended: [NaN, NaN], dropped: [0, 0] }, ramped: { dropped: [0, 4] }, looped: undefined },
    },
  ];

  for (const c of cases) {
    test(c.name, () => {
      const series = timelineSeries(plan, c.timeline);
      expect(series.global.open).toBeDefined();
      for (const [column, want] of Object.entries(c.global)) expect([column, series.global.open![column as keyof OpenSeries]]).toEqual([column, want]);
      for (const [name, columns] of Object.entries(c.scenarios)) {
        const s = series.scenarios.find((x) => x.name === name)!.series;
        if (columns === undefined) {
          expect(s.open).toBeUndefined();
          continue;
        }
        for (const [column, want] of Object.entries(columns)) expect([name, column, s.open![column as keyof OpenSeries]]).toEqual([name, column, want]);
      }
    });
  }

  test("a closed-model run has no open columns anywhere", () => {
    const series = timelineSeries(closedPlan, [entry(1, { looped: scenario({ d: { service: fast } }) })]);
    expect(series.global.open).toBeUndefined();
    expect(series.scenarios[0]!.series.open).toBeUndefined();
    expect("open" in series.global).toBe(false);
  });

  test("a scenario the plan does not name is open when its data says so", () => {
    const series = timelineSeries(closedPlan, [entry(1, { looped: scenario({ d: { service: fast } }), gone: scenario({ x: { service: fast, intended: late } }, 1) })]);
    expect(series.scenarios.map((s) => [s.name, s.series.open !== undefined])).toEqual([
      ["looped", false],
      ["gone", true],
    ]);
    expect(series.global.open!.p99Intended).toEqual([at(late, 99)]);
    expect(series.global.open!.dropped).toEqual([1]);
  });

  test("each second equals the accumulator's stats of that second, run-wide and per scenario", () => {
    const run = openRun({ seconds: 12, stallAt: [5, 6], closed: true });
    const series = timelineSeries(run.plan, run.result.timeline);
    run.result.timeline.forEach((e, i) => {
      const acc = new SnapshotAccumulator();
      acc.add(e.snapshot);
      const g = acc.stats({}, 1)!;
      const paced = acc.stats({ scenario: "paced" }, 1)!;
      expect([series.global.open!.p95Intended[i], series.global.open!.p99Intended[i]]).toEqual([g.p95_intended!, g.p99_intended!]);
      expect([series.global.open!.p95[i], series.global.open!.p99[i]]).toEqual([paced.p95, paced.p99]);
      const s = series.scenarios[0]!.series.open!;
      expect([s.p95Intended[i], s.p99Intended[i], s.dropped[i]]).toEqual([paced.p95_intended!, paced.p99_intended!, paced.dropped_iterations!]);
    });
    expect(series.global.open!.dropped.reduce((a, b) => a + b)).toBe(run.result.summary.global.dropped_iterations!);
  });
});
