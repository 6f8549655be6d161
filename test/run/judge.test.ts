// The one judge: windowed and whole-run thresholds second by second, when each first failed, and the store's
// replay of a timeline reaching the same verdicts as the live judgement.
import { describe, expect, test } from "bun:test";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { createJudge, judgeTimeline } from "../../src/run/judge.ts";
import type { TimelineEntry } from "../../src/run/types.ts";

const plan = parsePlan(
  `name: judged
scenarios:
  api:
    duration: 8s
    profile: { type: constant, vus: 1 }
    steps:
      - { name: get, url: "http://127.0.0.1:1/" }
thresholds:
  - { metric: p95, condition: "<", value: 500, window: 2s }
  - { metric: p95, condition: "<", value: 500 }
  - { metric: generator_saturation, condition: "<", value: 0.5, window: 2s }
`,
  "judged.yaml",
);

/** 100 requests at `ms` each; the generator saturated or not. */
function second(ms: number, saturated: boolean): Snapshot {
  const h = createHistogram();
  for (let i = 0; i < 100; i++) h.recordValue(ms * 1000);
  return {
    scenarios: { api: { iterations: 100, vus: 1, steps: { get: { requests: 100, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0, latency: encodeHistogram(h) } } } },
    generator: { "agent-1": { lagMs: saturated ? 200 : 1, cpuPct: saturated ? 99 : 10, saturated } },
  };
}

// fast, then two slow and saturated seconds mid-run, then fast again
const timeline: TimelineEntry[] = [1, 1, 1, 800, 800, 1, 1, 1].map((ms, i) => ({ t: i + 1, vus: { api: 1 }, snapshot: second(ms, ms > 1) }));

describe("the judge", () => {
  const judge = createJudge(plan);
  const verdicts: boolean[][] = [];
  for (const entry of timeline) {
    const acc = new SnapshotAccumulator();
    acc.add(entry.snapshot);
    judge.addSecond(acc, entry.snapshot.generator);
    verdicts.push(judge.judge(entry.t).thresholds.map((r) => r.passed));
  }

  test("a windowed threshold follows the last seconds; the whole-run one remembers", () => {
    expect(verdicts.map((v) => v[0])).toEqual([true, true, true, false, false, false, true, true]);
    expect(verdicts.map((v) => v[1])).toEqual([true, true, true, false, false, false, false, false]);
    // saturated in 1 of the last 2 seconds is 0.5: not < 0.5
    expect(verdicts.map((v) => v[2])).toEqual([true, true, true, false, false, false, true, true]);
  });

  test("the final outcomes say when each first failed, even one that passed in the end", () => {
    const outcomes = judge.outcomes(8);
    expect(outcomes.map((o) => [o.passed, o.firstFailedAtMs])).toEqual([
      [true, 4000],
      [false, 4000],
      [true, 4000],
    ]);
    expect(outcomes[0]!.threshold.window).toBe(2000);
  });

  test("the store's replay of the timeline reaches the same verdicts, summary and generator health", () => {
    const replayed = judgeTimeline(plan, timeline, 8000);
    expect(replayed.thresholds).toEqual(judge.outcomes(8));
    expect(replayed.summary).toEqual(judge.summary(8));
    expect(replayed.generator).toEqual(judge.generator());
    expect(replayed.generator.saturatedSeconds).toBe(2);
  });
});
