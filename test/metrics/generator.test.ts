// Generator health: the saturation rule (table-tested), merging that keeps the worst, and the trip through accumulators and codecs.
import { describe, expect, test } from "bun:test";
import { nextProbeMs, startGeneratorMonitor } from "../../src/engine/runner/generator-monitor.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import {
  formatSaturationWarning,
  mergeGenerators,
  nextStreak,
  renameGenerators,
  saturatedAgents,
  saturationFraction,
  saturationSeries,
  summarizeGenerators,
  type GeneratorHealth,
  type GeneratorSample,
} from "../../src/metrics/generator.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";
import { decodeSnapshot, encodeSnapshot } from "../../src/store/snapshot-codec.ts";
import * as pb from "../../src/transport/gen/indus.ts";
import { progressFromProto, progressToProto } from "../../src/transport/grpc/controller-codec.ts";

const ok = { cpuPct: 40, lagMs: 2, intervalMs: 1000 };
const hot = { cpuPct: 97, lagMs: 3, intervalMs: 1000 };
const laggy = { cpuPct: 30, lagMs: 120, intervalMs: 1000 };

describe("the saturation rule: CPU > 90% or lag > 50 ms for 3 consecutive seconds", () => {
  const cases: [string, GeneratorSample[], boolean[]][] = [
    ["never over the limits", [ok, ok, ok, ok], [false, false, false, false]],
    ["two seconds over is not enough", [hot, hot, ok, hot, hot], [false, false, false, false, false]],
    ["the third second over saturates, and it stays while over", [hot, hot, hot, hot, ok], [false, false, true, true, false]],
    ["CPU and lag count alike", [hot, laggy, hot], [false, false, true]],
    ["a second within the limits resets the streak", [hot, hot, ok, hot, hot, hot], [false, false, false, false, false, true]],
    ["exactly at the limits is within them", [{ cpuPct: 90, lagMs: 50, intervalMs: 1000 }, { cpuPct: 90, lagMs: 50, intervalMs: 1000 }, { cpuPct: 90, lagMs: 50, intervalMs: 1000 }], [false, false, false]],
    ["just over the limits is over", [{ cpuPct: 90.1, lagMs: 0, intervalMs: 1000 }, { cpuPct: 0, lagMs: 50.1, intervalMs: 1000 }, { cpuPct: 95, lagMs: 0, intervalMs: 1000 }], [false, false, true]],
    ["a loop blocked for 3 s in one interval is saturated at once", [{ cpuPct: 100, lagMs: 2900, intervalMs: 3000 }], [true]],
    ["a short interval still counts as one second", [{ ...hot, intervalMs: 400 }, hot, hot], [false, false, true]],
    ["one lag spike in a long interval counts once", [{ cpuPct: 20, lagMs: 60, intervalMs: 4000 }, ok], [false, false]],
  ];
  test.each(cases)("%s", (_name, samples, expected) => {
    expect(saturationSeries(samples)).toEqual(expected);
  });

  test("nextStreak is the fold the series uses", () => {
    expect(nextStreak(0, hot)).toBe(1);
    expect(nextStreak(2, hot)).toBe(3);
    expect(nextStreak(5, ok)).toBe(0);
  });
});

describe("merging keeps the worst", () => {
  const a: GeneratorHealth = { lagMs: 120, cpuPct: 60, saturated: true };
  const b: GeneratorHealth = { lagMs: 5, cpuPct: 98, saturated: false };

  test("max lag, max CPU, saturated if either was", () => {
    expect(mergeGenerators({ x: a }, { x: b, y: b })).toEqual({ x: { lagMs: 120, cpuPct: 98, saturated: true }, y: b });
  });

  test("an agent names its workers' health as one entry under its id", () => {
    expect(renameGenerators({ "": a, other: b }, "agent-1")).toEqual({ "agent-1": { lagMs: 120, cpuPct: 98, saturated: true } });
    expect(renameGenerators(undefined, "agent-1")).toBeUndefined();
  });

  test("coalescing snapshots in an accumulator keeps the max, per agent", () => {
    const acc = new SnapshotAccumulator();
    const own = new SnapshotAccumulator();
    acc.add({ scenarios: {}, generator: { "agent-1": a } }, own);
    acc.add({ scenarios: {}, generator: { "agent-1": b, "agent-2": b } }, own);
    acc.add({ scenarios: {} });
    const expected = { "agent-1": { lagMs: 120, cpuPct: 98, saturated: true }, "agent-2": b };
    expect(acc.toSnapshot().generator).toEqual(expected);
    expect(own.generator()).toEqual(expected);
    const cumulative = new SnapshotAccumulator();
    cumulative.addAccumulator(acc);
    expect(cumulative.toSnapshot().generator).toEqual(expected);
  });

  test("a snapshot without generator health stays without it", () => {
    const acc = new SnapshotAccumulator();
    acc.add({ scenarios: {} });
    expect(acc.toSnapshot()).toEqual({ scenarios: {} });
  });
});

describe("over a run", () => {
  const sat = (cpuPct: number, lagMs: number): GeneratorHealth => ({ cpuPct, lagMs, saturated: true });
  const fine: GeneratorHealth = { cpuPct: 20, lagMs: 1, saturated: false };
  const seconds = [undefined, { a: fine, b: fine }, { a: sat(97, 20), b: fine }, { a: sat(95, 130), b: sat(92, 60) }, { a: fine, b: fine }];

  test("the summary counts seconds with any saturated agent, and each agent's worst", () => {
    const s = summarizeGenerators(seconds);
    expect(s.seconds).toBe(4);
    expect(s.saturatedSeconds).toBe(2);
    expect(s.agents.a).toEqual({ cpuPct: 97, lagMs: 130, saturated: true, saturatedSeconds: 2 });
    expect(s.agents.b).toEqual({ cpuPct: 92, lagMs: 60, saturated: true, saturatedSeconds: 1 });
    expect(saturationFraction(s)).toBe(0.5);
  });

  test("no measured second is no data, not a pass", () => {
    expect(saturationFraction(summarizeGenerators([undefined, {}]))).toBeNaN();
  });

  test("saturated agents of a second, worst first, and the warning naming them", () => {
    const agents = saturatedAgents({ a: sat(91, 10), b: fine, c: sat(99, 120) });
    expect(agents.map((x) => x.agent)).toEqual(["c", "a"]);
    expect(formatSaturationWarning(agents.slice(0, 1))).toBe(
      "⚠ generator saturated on c (cpu 99%, lag 120 ms): latencies are inflated by the load generator itself",
    );
    expect(formatSaturationWarning(agents, { saturated: 3, of: 30 })).toContain("on c (cpu 99%, lag 120 ms), a (cpu 91%, lag 10 ms) for 3 of 30 s:");
  });
});

describe("generator health travels with the snapshot", () => {
  const snapshot: Snapshot = {
    scenarios: { s: { iterations: 1, vus: 2, steps: {} } },
    generator: { "agent-1": { lagMs: 120.5, cpuPct: 97.5, saturated: true } },
  };

  test("in the live progress a remote CLI receives", () => {
    const row = { state: "running" as const, elapsedMs: 3000, vus: 10, rps: 50, p95: 12.5, errorRatio: 0, generator: snapshot.generator };
    const wire = pb.ProgressUpdate.decode(pb.ProgressUpdate.encode(progressToProto({ runId: "r", row, thresholds: [] })).finish());
    expect(progressFromProto(wire).update.row).toEqual(row);
    const { generator: _, ...without } = row;
    const plain = pb.ProgressUpdate.decode(pb.ProgressUpdate.encode(progressToProto({ runId: "r", row: without, thresholds: [] })).finish());
    expect(progressFromProto(plain).update.row).toEqual(without);
  });

  test("through the run store's encoding", () => {
    expect(decodeSnapshot(encodeSnapshot(snapshot))).toEqual(snapshot);
    expect(decodeSnapshot(encodeSnapshot({ scenarios: {} }))).toEqual({ scenarios: {} });
  });
});

describe("how far apart the lag probes are: close while the thread may stall for the lag that counts, far apart while it cannot", () => {
  // busy period 50 ms, idle period 250 ms: 50 ms of CPU in 250 ms (20%) could be one stall of 50 ms
  const cases: [string, number, number, number][] = [
    ["an idle window (no CPU)", 0, 250, 250],
    ["a waiting run: 10% of an idle window", 25_000, 250, 250],
    ["just under 20% of an idle window", 49_999, 250, 250],
    ["20% of an idle window: it may have held a 50 ms stall", 50_000, 250, 50],
    ["a busy window stays busy at 20%", 10_000, 50, 50],
    ["a busy window that went quiet", 5_000, 50, 250],
    ["a whole window of CPU", 250_000, 250, 50],
    ["a probe that fired late: its window is longer, the share is what counts", 60_000, 400, 250],
  ];
  for (const [name, cpuUs, windowMs, want] of cases) {
    test(name, () => expect(nextProbeMs(cpuUs, windowMs, 50, 250)).toBe(want));
  }
});

describe("the monitor", () => {
  test("an idle thread is probed at the idle period, a busy one at the busy period", async () => {
    // the monitor reads the thread's CPU at every probe: the reads count the probes
    let idleReads = 0;
    const idle = startGeneratorMonitor({ cpuUs: () => (idleReads++, 0), processCpuUs: () => 0, probeMs: 10, idleProbeMs: 100 });
    let busyReads = 0;
    // every read 1 s more CPU: always busier than 20%
    const busy = startGeneratorMonitor({ cpuUs: () => ++busyReads * 1_000_000, processCpuUs: () => 0, probeMs: 10, idleProbeMs: 100 });
    try {
      await Bun.sleep(400);
      // 10 ms apart would be ~40 probes; 100 ms apart at most ~5 (fewer on a loaded machine, never more)
      expect(idleReads).toBeLessThanOrEqual(6);
      expect(busyReads).toBeGreaterThan(idleReads);
    } finally {
      idle.stop();
      busy.stop();
    }
  });

  test("after idle windows, when the probes are far apart, a block longer than their period is still measured", async () => {
    const monitor = startGeneratorMonitor({ cpuUs: () => 0, processCpuUs: () => 0, probeMs: 10, idleProbeMs: 100 });
    try {
      await Bun.sleep(300); // several idle windows: the pending probe is now one 100 ms apart
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); // the loop cannot run for 400 ms
      // whatever the probe's period, a 400 ms block holds its due time: at least 400 - 100 ms late
      expect(monitor.take().lagMs).toBeGreaterThanOrEqual(300);
    } finally {
      monitor.stop();
    }
  });

  test("a blocked event loop shows as lag; CPU is the thread's share of the interval", async () => {
    let cpu = 0;
    const monitor = startGeneratorMonitor({ cpuUs: () => cpu, processCpuUs: () => 0, probeMs: 20 });
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // the loop cannot run for 200 ms
      const t0 = performance.now();
      const blocked = monitor.take();
      const t1 = performance.now();
      expect(blocked.lagMs).toBeGreaterThan(100);
      await Bun.sleep(100);
      cpu += 95_000; // 95 ms of CPU in a ~100 ms interval (longer on a loaded machine: the share is what it was)
      const t2 = performance.now();
      const busy = monitor.take();
      const t3 = performance.now();
      // the monitor's interval lies between t1→t2 and t0→t3: 95 ms of CPU over it, capped at one core
      expect(busy.cpuPct).toBeGreaterThanOrEqual(Math.min(100, 9500 / (t3 - t0)) - 0.1);
      expect(busy.cpuPct).toBeLessThanOrEqual(Math.min(100, 9500 / (t2 - t1)) + 0.1);
      expect(busy.saturated).toBe(false); // two intervals over the limits are not three
    } finally {
      monitor.stop();
    }
  });

  test("CPU is the process's share of its cores when that is the busier: a VU thread starved by its own JIT and collector", async () => {
    let thread = 0;
    let whole = 0;
    const monitor = startGeneratorMonitor({ cpuUs: () => thread, processCpuUs: () => whole, cores: 2, probeMs: 20 });
    try {
      const t0 = performance.now();
      monitor.take();
      const t1 = performance.now();
      await Bun.sleep(100);
      thread += 50_000; // the VU thread: half a core
      whole += 196_000; // the process: both cores, nearly whole
      const t2 = performance.now();
      const busy = monitor.take();
      const t3 = performance.now();
      // 196 ms over two cores in the interval, which lies between t1→t2 and t0→t3 (capped at 100%)
      expect(busy.cpuPct).toBeGreaterThanOrEqual(Math.min(100, 9800 / (t3 - t0)) - 0.1);
      expect(busy.cpuPct).toBeLessThanOrEqual(Math.min(100, 9800 / (t2 - t1)) + 0.1);
      expect(busy.cpuPct).toBeGreaterThan(50 * 100 / (t3 - t0)); // more than the thread's own share
      await Bun.sleep(100);
      thread += 95_000; // now the thread is the busier
      whole += 100_000;
      const own = monitor.take();
      const t5 = performance.now();
      expect(own.cpuPct).toBeGreaterThanOrEqual(Math.min(100, 9500 / (t5 - t2)) - 0.1);
    } finally {
      monitor.stop();
    }
  });
});
