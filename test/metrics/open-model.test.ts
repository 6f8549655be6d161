// What the open model and checks add to snapshots: recorded per step, merged exactly, judged as stats, stored and read back.
import { describe, expect, test } from "bun:test";
import { windowStats } from "../../src/run/window.ts";
import { planTargets } from "../../src/controller/targets.ts";
import type { RequestResult } from "../../src/engine/types.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { Recorder } from "../../src/metrics/recorder.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { decodeSnapshot, encodeSnapshot } from "../../src/store/snapshot-codec.ts";

const ok = (durationUs: number): RequestResult => ({ status: 200, durationUs, bytesIn: 10, bytesOut: 5, error: null, connected: false });

/** One worker's second: `n` requests of 1 ms, each `lateMs` late, `dropped` arrivals with no VU, check 0 failing `fails` times. */
function second(n: number, lateMs: number, dropped: number, fails = 0): Snapshot {
  const recorder = new Recorder([{ name: "open", open: true, steps: [{ name: "s", checkNames: ["status 200", "json token exists"] }] }]);
  const sc = recorder.scenarios[0]!;
  const st = sc.steps[0]!;
  for (let i = 0; i < n; i++) {
    st.record(ok(1000));
    st.recordIntended(1000 + lateMs * 1000);
    st.checkPasses[1]!++;
    if (i < fails) st.checkFails[0]!++;
    else st.checkPasses[0]!++;
  }
  sc.iterations += n;
  sc.droppedIterations += dropped;
  return recorder.takeDelta();
}

describe("recording", () => {
  test("an arrival-rate scenario's delta carries intended latency, checks and drops; the next starts from zero", () => {
    const recorder = new Recorder([{ name: "open", open: true, steps: [{ name: "s", checkNames: ["c"] }] }, { name: "closed", steps: [{ name: "t" }] }]);
    const [open, closed] = recorder.scenarios;
    open!.steps[0]!.recordIntended(5000);
    open!.steps[0]!.checkFails[0]!++;
    open!.droppedIterations = 2;
    closed!.steps[0]!.recordIntended(5000); // a closed-model step has no such histogram: ignored
    const first = recorder.takeDelta();
    expect(first.scenarios.open!.droppedIterations).toBe(2);
    expect(first.scenarios.open!.steps.s!.checks).toEqual({ c: { passes: 0, fails: 1 } });
    expect(first.scenarios.open!.steps.s!.intended!.length).toBeGreaterThan(1);
    expect(first.scenarios.closed!.droppedIterations).toBeUndefined();
    expect(first.scenarios.closed!.steps.t!.intended).toBeUndefined();
    expect(first.scenarios.closed!.steps.t!.checks).toBeUndefined();
    const next = recorder.takeDelta();
    expect(next.scenarios.open!.droppedIterations).toBe(0);
    expect(next.scenarios.open!.steps.s!.checks).toEqual({ c: { passes: 0, fails: 0 } });
  });
});

describe("merging", () => {
  test("counts add, intended histograms merge bucket by bucket, stats come from the merge", () => {
    const acc = new SnapshotAccumulator();
    acc.add(second(98, 0, 1));
    acc.add(second(2, 2000, 4, 1));
    const s = acc.stats({ scenario: "open" }, 2)!;
    expect(s.dropped_iterations).toBe(5);
    expect(s.p50).toBeCloseTo(1, 1);
    expect(s.p99).toBeCloseTo(1, 1);
    expect(s.p50_intended).toBeCloseTo(1, 1);
    expect(s.p99_intended!).toBeGreaterThan(2000);
    expect(s.max_intended!).toBeGreaterThan(2000);
    // two checks per request, one of the 200 failed
    expect(s.checks_passed).toBe(199);
    expect(s.checks_failed).toBe(1);
    expect(s.checks).toBeCloseTo(199 / 200, 6);
    expect(acc.checks("open", "s")).toEqual({ "status 200": { passes: 99, fails: 1 }, "json token exists": { passes: 100, fails: 0 } });
    // a step scope has no drops of its own; the scenario's and the run's have
    expect(acc.stats({ scenario: "open", step: "s" }, 2)!.dropped_iterations).toBeUndefined();
    expect(acc.stats({}, 2)!.dropped_iterations).toBe(5);
  });

  test("folding seconds into a total and re-encoding keeps everything", () => {
    const total = new SnapshotAccumulator();
    for (const s of [second(10, 0, 0), second(10, 50, 2, 3)]) {
      const bucket = new SnapshotAccumulator();
      bucket.add(s);
      total.addAccumulator(bucket);
    }
    const again = new SnapshotAccumulator();
    again.add(total.toSnapshot());
    expect(again.stats({}, 2)).toEqual(total.stats({}, 2));
    expect(again.checks("open", "s")).toEqual(total.checks("open", "s"));
  });

  test("a closed-model scope has none of these stats", () => {
    const acc = new SnapshotAccumulator();
    const recorder = new Recorder([{ name: "closed", steps: [{ name: "t" }] }]);
    recorder.scenarios[0]!.steps[0]!.record(ok(1000));
    acc.add(recorder.takeDelta());
    const s = acc.stats({}, 1)!;
    for (const key of ["p95_intended", "dropped_iterations", "checks"] as const) expect(s[key]).toBeUndefined();
  });
});

describe("the run store", () => {
  test("stores and reads back intended latency, checks and drops (and still reads rows without them)", () => {
    const s = second(5, 10, 3, 2);
    expect(decodeSnapshot(encodeSnapshot(s))).toEqual(s);
    const closed = new Recorder([{ name: "c", steps: [{ name: "t" }] }]).takeDelta();
    expect(decodeSnapshot(encodeSnapshot(closed))).toEqual(closed);
  });
});

describe("windowed thresholds", () => {
  const seconds = (latenciesMs: number[]) =>
    latenciesMs.map((ms) => {
      const acc = new SnapshotAccumulator();
      const recorder = new Recorder([{ name: "a", steps: [{ name: "s" }] }]);
      for (let i = 0; i < 10; i++) recorder.scenarios[0]!.steps[0]!.record(ok(ms * 1000));
      acc.add(recorder.takeDelta());
      return acc;
    });

  test("only the last seconds count: a slow end fails though the whole run would pass", () => {
    const recent = seconds([1, 1, 1, 1, 1, 1, 1, 1, 900, 900]);
    expect(windowStats(recent, {}, 2000)!.p95).toBeGreaterThan(800);
    expect(windowStats(recent, {}, 2000)!.requests).toBe(20);
    expect(windowStats(recent, {}, 10_000)!.p50).toBeCloseTo(1, 1);
  });

  test("before the window has filled it covers what there is; rates are per second of it", () => {
    const recent = seconds([5, 5]);
    expect(windowStats(recent, {}, 30_000)).toMatchObject({ requests: 20, rps: 10 });
    expect(windowStats([], {}, 30_000)).toBeUndefined();
  });
});

describe("rate shares from the controller", () => {
  const plan = parsePlan(
    `name: r
scenarios:
  closed:
    duration: 5s
    profile: { type: constant, vus: 4 }
    steps: [{ name: a, url: "http://a.test/" }]
  open:
    duration: 10s
    profile: { type: constant_rate, rate: 100, pre_allocated_vus: 5, max_vus: 9 }
    steps: [{ name: a, url: "http://a.test/" }]
`,
    "r.yaml",
  );
  const targets = planTargets(plan.scenarios);

  test("each agent takes every n-th arrival; VU bounds are split exactly", () => {
    const shares = targets.rates(0, 3);
    expect(shares.map((s) => s.open)).toEqual([
      { offset: 0, stride: 3, from: 0, preAllocatedVus: 1, maxVus: 3 },
      { offset: 1, stride: 3, from: 0, preAllocatedVus: 2, maxVus: 3 },
      { offset: 2, stride: 3, from: 0, preAllocatedVus: 2, maxVus: 3 },
    ]);
    expect(shares.every((s) => s.closed === undefined)).toBe(true);
  });

  test("handed over mid-run (an agent lost), the share starts at the arrivals due from then on", () => {
    expect(targets.rates(4, 2)[1]!.open).toMatchObject({ offset: 1, stride: 2, from: 400 });
  });

  test("an arrival-rate scenario has no VU targets, and a plan without one has no shares", () => {
    expect(targets.at(0, 1)[0]).toEqual({ closed: 4, open: 0 });
    expect(planTargets([plan.scenarios[0]!]).rates(0, 2)).toEqual([]);
  });
});
