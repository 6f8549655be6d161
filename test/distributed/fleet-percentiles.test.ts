// Fleet-wide percentiles are exact: histograms merged across workers, agents and seconds equal one histogram of every sample.
import { describe, expect, test } from "bun:test";
import type { JsHistogram } from "hdr-histogram-js";
import { createAgent } from "../../src/agent/agent.ts";
import { startRun } from "../../src/controller/run.ts";
import type { RunUpdate } from "../../src/run/types.ts";
import { createRealClock } from "../../src/core/clock.ts";
import type { LoadExecutor } from "../../src/engine/runner/executor.ts";
import type { RequestResult } from "../../src/engine/types.ts";
import { createHistogram, emptyCounters, Recorder, SnapshotAccumulator, statsOf, type Snapshot, type Stats } from "../../src/metrics/index.ts";
import { createSilentLogger } from "../../src/observability/logger.ts";
import { parsePlan, type Plan } from "../../src/plan/index.ts";
import * as pb from "../../src/transport/gen/indus.ts";
import { agentMsgFromProto, agentMsgToProto } from "../../src/transport/grpc/codec.ts";
import { createInProcessConnector } from "../../src/transport/in-process.ts";

/** mulberry32: a seeded stream, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies in µs: log-normal around `medianMs`, with a slow tail now and then. */
function latencySource(seed: number, medianMs: number): () => number {
  const r = rng(seed);
  return () => {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const us = medianMs * 1000 * Math.exp(0.6 * z);
    return r() < 0.02 ? us * (5 + 20 * r()) : us;
  };
}

const result = (durationUs: number, error: RequestResult["error"] = null): RequestResult => ({
  status: error ? 500 : 200,
  durationUs,
  bytesIn: 100,
  bytesOut: 50,
  error,
  connected: false,
});

const LAYOUT = [
  { name: "checkout", steps: [{ name: "pay" }, { name: "confirm" }] },
  { name: "browse", steps: [{ name: "list" }] },
];

/** One histogram per scope, fed every sample, the way a StepRecorder rounds it. */
class Reference {
  readonly scopes = new Map<string, JsHistogram>();
  counts = new Map<string, number>();
  record(scenario: string, step: string, us: number): void {
    const v = us < 1 ? 1 : Math.round(us);
    for (const key of ["", scenario, `${scenario}/${step}`]) {
      let h = this.scopes.get(key);
      if (!h) this.scopes.set(key, (h = createHistogram()));
      h.recordValue(v);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }
  stats(key: string, seconds: number): Stats {
    const counters = { ...emptyCounters(), requests: this.counts.get(key) ?? 0 };
    return statsOf(counters, this.scopes.get(key) ?? createHistogram(), 0, seconds);
  }
}

/** The latency part of stats: what must match exactly. */
const latencyOf = (s: Stats | undefined) => s && { min: s.min, max: s.max, mean: s.mean, p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99 };

/** A snapshot as it crosses the wire between agent and controller (proto bytes and back). */
function overTheWire(snapshot: Snapshot, seq: number): Snapshot {
  const bytes = pb.AgentMsg.encode(agentMsgToProto({ kind: "snapshot", seq, snapshot, final: false })).finish();
  const back = agentMsgFromProto(pb.AgentMsg.decode(bytes));
  if (back.kind !== "snapshot") throw new Error("not a snapshot");
  return back.snapshot;
}

describe("fleet percentiles: unit", () => {
  test("6 workers on 3 agents over 10 s: the controller's merged p95/p99 equal one histogram holding every sample", () => {
    const agents = [0, 1, 2].map((a) => ({
      workers: [0, 1].map((w) => ({ recorder: new Recorder(LAYOUT), next: latencySource(100 * a + w + 1, [5, 20, 80][a]!) })),
    }));
    const reference = new Reference();
    const cumulative = new SnapshotAccumulator();
    const r = rng(42);
    for (let second = 1; second <= 10; second++) {
      const bucket = new SnapshotAccumulator();
      for (const agent of agents) {
        // agent side: its workers' deltas merged into one snapshot per heartbeat
        const merged = new SnapshotAccumulator();
        for (const w of agent.workers) {
          for (const sc of w.recorder.scenarios) {
            for (const st of sc.steps) {
              const n = 50 + Math.floor(r() * 400);
              for (let i = 0; i < n; i++) {
                const us = w.next();
                st.record(result(us, r() < 0.01 ? "http_5xx" : null));
                reference.record(sc.name, st.name, us);
              }
            }
          }
          merged.add(w.recorder.takeDelta());
        }
        // controller side, as run.ts does: per-second bucket, folded into the cumulative view
        bucket.add(overTheWire(merged.toSnapshot(), second));
      }
      cumulative.addAccumulator(bucket);
    }

    const scopes: [string, { scenario?: string; step?: string }][] = [
      ["", {}],
      ["checkout", { scenario: "checkout" }],
      ["browse", { scenario: "browse" }],
      ["checkout/pay", { scenario: "checkout", step: "pay" }],
      ["checkout/confirm", { scenario: "checkout", step: "confirm" }],
      ["browse/list", { scenario: "browse", step: "list" }],
    ];
    for (const [key, scope] of scopes) {
      const merged = cumulative.stats(scope, 10)!;
      const expected = reference.stats(key, 10);
      expect(merged.requests).toBe(expected.requests);
      expect(latencyOf(merged)).toEqual(latencyOf(expected)!);
      expect(merged.p95).toBe(expected.p95);
      expect(merged.p99).toBe(expected.p99);
    }
  });

  test("the merged p95 is within the histogram's precision (3 significant digits) of the exact sample p95", () => {
    const values: number[] = [];
    const cumulative = new SnapshotAccumulator();
    for (let w = 0; w < 4; w++) {
      const recorder = new Recorder(LAYOUT);
      const next = latencySource(w + 9, 10 * (w + 1));
      for (let i = 0; i < 5000; i++) {
        const us = Math.round(next());
        values.push(us < 1 ? 1 : us);
        recorder.scenarios[1]!.steps[0]!.record(result(us));
      }
      cumulative.add(overTheWire(recorder.takeDelta(), w + 1));
    }
    values.sort((a, b) => a - b);
    const merged = cumulative.stats({}, 1)!;
    for (const [p, got] of [[95, merged.p95], [99, merged.p99]] as const) {
      const exactMs = values[Math.ceil((p / 100) * values.length) - 1]! / 1000;
      expect(Math.abs(got - exactMs) / exactMs).toBeLessThanOrEqual(0.001);
    }
  });
});

/**
 * A stand-in for the worker-pool executor (which runs real HTTP; here the latencies must be known):
 * at each takeDelta it records a prepared batch of samples into a real Recorder and hands over its delta.
 */
function preparedExecutor(plan: Plan, seed: number, medianMs: number, own: Reference, fleet: Reference): LoadExecutor {
  const recorder = new Recorder(plan.scenarios);
  const next = latencySource(seed, medianMs);
  const r = rng(seed * 7919);
  const fill = () => {
    for (const sc of recorder.scenarios) {
      for (const st of sc.steps) {
        const n = 100 + Math.floor(r() * 300);
        for (let i = 0; i < n; i++) {
          const us = next();
          st.record(result(us));
          own.record(sc.name, st.name, us);
          fleet.record(sc.name, st.name, us);
        }
      }
    }
  };
  return {
    setVus(scenario, vus) {
      recorder.scenario(scenario).vus = vus;
    },
    async takeDelta() {
      fill();
      return recorder.takeDelta();
    },
    async stop() {
      fill(); // requests that finished during the graceful stop
      return recorder.takeDelta();
    },
  };
}

describe("fleet percentiles: the controller's run loop with two agents", () => {
  test("the reported p95/p99 (summary, per scenario and step, live row, per agent) equal those of all agents' samples", async () => {
    const plan = parsePlan(
      `name: exact
scenarios:
  checkout:
    duration: 3s
    profile: { type: constant, vus: 4 }
    steps:
      - { name: pay, url: "http://127.0.0.1:9/pay" }
      - { name: confirm, url: "http://127.0.0.1:9/confirm" }
  browse:
    duration: 2s
    profile: { type: constant, vus: 2 }
    steps:
      - { name: list, url: "http://127.0.0.1:9/list" }
`,
      "exact.yaml",
    );
    const clock = createRealClock();
    const logger = createSilentLogger();
    const fleet = new Reference();
    const own = [new Reference(), new Reference()];
    // a fast agent and a slow one: the fleet's p95 is neither's, nor their average
    const agents = [0, 1].map((i) =>
      createAgent({ id: `agent-${i + 1}`, clock, logger, workers: 1, createExecutor: (p) => preparedExecutor(p, i + 1, [4, 40][i]!, own[i]!, fleet) }),
    );
    const updates: RunUpdate[] = [];
    let agentSnapshots = 0;
    const handle = startRun({
      onSecond: (_entry, _merged, n) => void (agentSnapshots += n),
      runId: "exact001",
      plan,
      agents: agents.map((a, i) => createInProcessConnector(`agent-${i + 1}`, a)),
      clock,
      logger,
      gracefulStopMs: 2000,
      onUpdate: (u) => updates.push(u),
    });
    const result = await handle.result;
    expect(result.state).toBe("completed");
    const seconds = result.durationMs / 1000;

    const global = result.summary.global;
    expect(global.requests).toBe(fleet.counts.get("") ?? -1);
    expect(latencyOf(global)).toEqual(latencyOf(fleet.stats("", seconds))!);
    for (const sc of result.summary.scenarios) {
      expect(latencyOf(sc.stats)).toEqual(latencyOf(fleet.stats(sc.name, seconds))!);
      for (const st of sc.steps) expect(latencyOf(st.stats)).toEqual(latencyOf(fleet.stats(`${sc.name}/${st.name}`, seconds))!);
    }
    // the last live row and the per-agent stats come from the same merges
    expect(updates.at(-1)!.row.p95).toBe(global.p95);
    result.agents.forEach((a, i) => {
      expect(a.requests).toBe(own[i]!.counts.get("") ?? -1);
      expect(a.stats?.p95).toBe(own[i]!.stats("", seconds).p95);
      expect(a.stats?.p99).toBe(own[i]!.stats("", seconds).p99);
    });
    const [fast, slow] = result.agents.map((a) => a.stats!.p95);
    expect(global.p95).not.toBe((fast! + slow!) / 2);
    expect(global.p95).toBeGreaterThan(fast!);
    expect(global.p95).toBeLessThan(slow!);
    // Prometheus counts agent snapshots merged: each agent sends one a second, and a final one
    expect(agentSnapshots).toBeGreaterThanOrEqual(2 * Math.floor(seconds));
    expect(agentSnapshots).toBeLessThanOrEqual(2 * (Math.ceil(seconds) + 2));
  }, 15_000);
});
