// Small synthetic runs for the metrics tests: real HDR histograms, a real plan, real threshold results.
import type { RunResult, RunUpdate, TimelineEntry } from "../../src/run/types.ts";
import type { ErrorClass } from "../../src/engine/types.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import type { ControllerMetrics } from "../../src/observability/controller-metrics.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import type { RunState } from "../../src/run/types.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";
import { parsePlan } from "../../src/plan/index.ts";
import type { Plan } from "../../src/plan/types.ts";
import { evaluateThresholds } from "../../src/threshold/index.ts";

export const PLAN_YAML = `name: obs
scenarios:
  browse:
    duration: 10s
    profile: { type: constant, vus: 4 }
    steps:
      - { name: list, method: GET, url: "http://127.0.0.1:8080/api/users" }
      - { name: show, method: GET, url: "http://127.0.0.1:8080/api/users/1" }
  buy:
    duration: 10s
    profile: { type: constant, vus: 2 }
    steps:
      - { name: checkout, method: POST, url: "http://127.0.0.1:8080/api/checkout" }
thresholds:
  - { metric: p95, condition: "<", value: 500 }
  - { metric: error_ratio, condition: "<", value: 0.0001 }
`;

export const plan = (): Plan => parsePlan(PLAN_YAML, "obs.yaml");

export interface StepSpec {
  /** latencies in µs */
  latencies: number[];
  errors?: Partial<Record<ErrorClass, number>>;
  /** per check name */
  checks?: Record<string, { passes: number; fails: number }>;
}

export function snapshot(spec: Record<string, { vus: number; steps: Record<string, StepSpec>; dropped?: number }>): Snapshot {
  const out: Snapshot = { scenarios: {} };
  for (const [name, sc] of Object.entries(spec)) {
    const steps: Snapshot["scenarios"][string]["steps"] = {};
    for (const [stepName, st] of Object.entries(sc.steps)) {
      const h = createHistogram();
      for (const us of st.latencies) h.recordValue(us);
      const errors = Object.values(st.errors ?? {}).reduce((a, b) => a + b, 0);
      steps[stepName] = { requests: st.latencies.length, errors, errorsByClass: { ...st.errors }, bytesIn: 0, bytesOut: 0, latency: encodeHistogram(h) };
      if (st.checks) steps[stepName].checks = st.checks;
    }
    out.scenarios[name] = { iterations: 0, vus: sc.vus, steps };
    if (sc.dropped !== undefined) out.scenarios[name].droppedIterations = sc.dropped;
  }
  return out;
}

/** Latencies 1..n ms, in µs. */
export const ramp = (n: number, scale = 1000) => Array.from({ length: n }, (_, i) => (i + 1) * scale);

export function second(t: number, snap: Snapshot): TimelineEntry {
  const vus: Record<string, number> = {};
  for (const [name, sc] of Object.entries(snap.scenarios)) vus[name] = sc.vus;
  return { t, vus, snapshot: snap };
}

/**
 * Feeds a ControllerMetrics its seconds as the controller does: each with the run so far, merged (a live
 * accumulator per run, as the run loop keeps).
 */
export function feeder(metrics: ControllerMetrics): (runId: string, entry: TimelineEntry, p: Plan | undefined) => void {
  const runs = new Map<string, SnapshotAccumulator>();
  return (runId, entry, p) => {
    let merged = runs.get(runId);
    if (!merged) runs.set(runId, (merged = new SnapshotAccumulator()));
    merged.add(entry.snapshot);
    metrics.onSecond(runId, entry, p, merged);
  };
}

export function update(runId: string, state: RunState, p: Plan, passedAll = true): RunUpdate {
  const stats = { requests: 10, errors: passedAll ? 0 : 5, errorsByClass: {}, iterations: 0, bytesIn: 0, bytesOut: 0, rps: 42, error_ratio: passedAll ? 0 : 0.5, min: 1, max: 9, mean: 5, p50: 5, p90: 8, p95: 9, p99: 9 };
  return {
    runId,
    row: { state, elapsedMs: 2000, vus: 6, rps: 42.5, p95: 9, errorRatio: stats.error_ratio },
    thresholds: evaluateThresholds(p.thresholds, () => stats),
  };
}

export function result(runId: string, state: RunState, p: Plan, passedAll = true): RunResult {
  const u = update(runId, state, p, passedAll);
  const global = { requests: 10, errors: 0, errorsByClass: {}, iterations: 0, bytesIn: 0, bytesOut: 0, rps: 5, error_ratio: 0, min: 1, max: 9, mean: 5, p50: 5, p90: 8, p95: 9, p99: 9 };
  return {
    runId,
    planName: p.name,
    state,
    reason: undefined,
    startedAt: new Date(),
    durationMs: 2000,
    summary: { global, scenarios: [] },
    thresholds: u.thresholds.map((r) => ({ ...r, firstFailedAtMs: r.passed ? undefined : 1000 })),
    passed: u.thresholds.every((r) => r.passed),
    agents: [],
    timeline: [],
  };
}
