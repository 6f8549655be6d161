// An accumulator that keeps only the whole (the controller's per-agent totals) reports what a full one reports for it.
import { describe, expect, test } from "bun:test";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import type { Snapshot, StepDelta } from "../../src/metrics/snapshot.ts";

function encoded(latencies: number[]): Uint8Array {
  const h = createHistogram();
  for (const us of latencies) h.recordValue(us);
  return encodeHistogram(h);
}

function step(latencies: number[], extra: Partial<StepDelta> = {}): StepDelta {
  return { requests: latencies.length, errors: 0, errorsByClass: {}, bytesIn: 10 * latencies.length, bytesOut: 3, latency: encoded(latencies), ...extra };
}

const ramp = (n: number, from: number, by: number) => Array.from({ length: n }, (_, i) => from + i * by);

const snapshots: Record<string, Snapshot[]> = {
  "nothing at all": [],
  "an empty snapshot": [{ scenarios: {} }],
  "a scenario without steps": [{ scenarios: { a: { iterations: 4, vus: 2, steps: {} } } }],
  "closed model, two scenarios, errors": [
    { scenarios: { a: { iterations: 10, vus: 2, steps: { s1: step(ramp(50, 1000, 37)), s2: step(ramp(20, 90_000, 1001), { errors: 3, errorsByClass: { http_5xx: 2, timeout: 1 } }) } } } },
    { scenarios: { b: { iterations: 5, vus: 1, steps: { s1: step(ramp(9, 5, 3)) } }, a: { iterations: 1, vus: 3, steps: { s1: step([0, 0, 7]) } } } },
  ],
  "open model: intended latency, dropped iterations, checks": [
    {
      scenarios: {
        a: { iterations: 8, vus: 4, droppedIterations: 2, steps: { s1: step(ramp(30, 2000, 11), { intended: encoded(ramp(30, 2500, 13)), checks: { ok: { passes: 28, fails: 2 } } }) } },
        b: { iterations: 3, vus: 1, steps: { s1: step(ramp(3, 100, 1), { checks: { ok: { passes: 1, fails: 0 }, body: { passes: 2, fails: 1 } } }) } },
      },
    },
    { scenarios: { a: { iterations: 2, vus: 4, droppedIterations: 5, steps: { s2: step(ramp(4, 7_000_000, 1), { intended: encoded([7_500_000]) }) } } } },
  ],
};

describe("SnapshotAccumulator({ wholeOnly: true })", () => {
  for (const [name, list] of Object.entries(snapshots)) {
    test(`the whole run's stats equal a full accumulator's: ${name}`, () => {
      const full = new SnapshotAccumulator();
      const whole = new SnapshotAccumulator({ wholeOnly: true });
      const alsoWhole = new SnapshotAccumulator({ wholeOnly: true });
      for (const s of list) {
        full.add(s, alsoWhole);
        whole.add(s);
      }
      for (const seconds of [1, 7.5]) {
        expect(whole.stats({}, seconds)).toEqual(full.stats({}, seconds));
        expect(alsoWhole.stats({}, seconds)).toEqual(full.stats({}, seconds));
      }
    });
  }

  test("keeps one scenario and one step however many were added", () => {
    const whole = new SnapshotAccumulator({ wholeOnly: true });
    for (const s of snapshots["closed model, two scenarios, errors"]!) whole.add(s);
    expect(whole.scenarioNames()).toHaveLength(1);
    expect(whole.stepNames(whole.scenarioNames()[0]!)).toHaveLength(1);
  });
});
