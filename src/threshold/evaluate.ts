// Threshold evaluation: a pure function of a threshold and the stats of its scope.
//
// Grammar (one threshold):   metric condition value [scope]
//   metric    := p50 | p90 | p95 | p99 | min | max | mean      (milliseconds)
//              | rps                                           (requests per second)
//              | error_ratio                                   (errors / requests, 0..1)
//              | requests | errors                             (counts)
//   condition := "<" | ">" | "<=" | ">="
//   value     := number
//   scope     := [scenario] | [scenario/step] | [step]        (absent: the whole run)
// A latency threshold with no samples fails: no data is never a silent pass.
import type { Stats } from "../metrics/stats.ts";
import type { Threshold, ThresholdCondition } from "../plan/types.ts";

export interface ThresholdResult {
  threshold: Threshold;
  /** "p95 < 500" */
  label: string;
  /** NaN when there was no data */
  actual: number;
  passed: boolean;
}

export interface ThresholdScope {
  scenario?: string;
  step?: string;
}

const COMPARE: Record<ThresholdCondition, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  ">": (a, b) => a > b,
  "<=": (a, b) => a <= b,
  ">=": (a, b) => a >= b,
};

const COUNT_METRICS = new Set(["error_ratio", "errors", "requests"]);

export function thresholdLabel(t: Threshold): string {
  return `${t.metric} ${t.condition} ${t.value}`;
}

export function thresholdScope(t: Threshold): ThresholdScope {
  const scope: ThresholdScope = {};
  if (t.scenario !== undefined) scope.scenario = t.scenario;
  if (t.step !== undefined) scope.step = t.step;
  return scope;
}

export function actualValue(t: Threshold, stats: Stats | undefined): number {
  if (!stats) return COUNT_METRICS.has(t.metric) ? 0 : NaN;
  return stats[t.metric];
}

export function evaluateThreshold(t: Threshold, stats: Stats | undefined): ThresholdResult {
  const actual = actualValue(t, stats);
  const passed = !Number.isNaN(actual) && COMPARE[t.condition](actual, t.value);
  return { threshold: t, label: thresholdLabel(t), actual, passed };
}

export function evaluateThresholds(
  thresholds: Threshold[],
  lookup: (scope: ThresholdScope) => Stats | undefined,
): ThresholdResult[] {
  return thresholds.map((t) => evaluateThreshold(t, lookup(thresholdScope(t))));
}

/** The first failing threshold with abort_on_fail whose delay has passed, if any. */
export function abortRequested(results: ThresholdResult[], elapsedMs: number): ThresholdResult | undefined {
  return results.find((r) => !r.passed && r.threshold.abort_on_fail && elapsedMs >= r.threshold.delay);
}
