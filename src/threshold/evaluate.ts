// Thresholds checked against stats: a pure function of what was measured, never a silent pass.
import type { Stats } from "../metrics/stats.ts";
import type { Threshold, ThresholdCondition } from "../plan/types.ts";
import { thresholdLabel } from "./label.ts";
import { zeroWithoutData } from "./metric.ts";

export interface ThresholdResult {
  threshold: Threshold;
  /** "p95 < 500" */
  label: string;
  /** NaN when there is no data */
  actual: number;
  passed: boolean;
}

/** Which stats a threshold reads: the whole run, a scenario, or a step (of a scenario). */
export interface ThresholdScope {
  scenario?: string;
  step?: string;
  /** ms: only the last this-much of the run (a threshold's `window`) */
  window?: number;
  /** only requests whose tag set holds all of these */
  tags?: Record<string, string>;
}

/**
 * Checks one threshold. With no stats, or a latency that is NaN because nothing was sampled,
 * the threshold fails; error_ratio, requests and errors are simply 0 then.
 */
export function evaluateThreshold(t: Threshold, stats: Stats | undefined): ThresholdResult {
  const measured = stats?.[t.metric] ?? Number.NaN;
  const actual = Number.isNaN(measured) && zeroWithoutData(t.metric) ? 0 : measured;
  return { threshold: t, label: thresholdLabel(t), actual, passed: holds(actual, t.condition, t.value) };
}

/** Checks every threshold against the stats of its scope, in plan order. */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  lookup: (scope: ThresholdScope) => Stats | undefined,
): ThresholdResult[] {
  return thresholds.map((t) => evaluateThreshold(t, lookup(scopeOf(t))));
}

/** The first failing threshold with abort_on_fail whose delay has elapsed, if any: the run should stop. */
export function abortRequested(results: readonly ThresholdResult[], elapsedMs: number): ThresholdResult | undefined {
  return results.find((r) => !r.passed && r.threshold.abort_on_fail && elapsedMs >= r.threshold.delay);
}

function scopeOf(t: Threshold): ThresholdScope {
  const scope: ThresholdScope = {};
  if (t.scenario !== undefined) scope.scenario = t.scenario;
  if (t.step !== undefined) scope.step = t.step;
  if (t.window !== undefined) scope.window = t.window;
  if (t.tags !== undefined && Object.keys(t.tags).length > 0) scope.tags = t.tags;
  return scope;
}

// NaN compares false every way, so no data can never pass.
function holds(actual: number, condition: ThresholdCondition, value: number): boolean {
  switch (condition) {
    case "<":
      return actual < value;
    case ">":
      return actual > value;
    case "<=":
      return actual <= value;
    case ">=":
      return actual >= value;
  }
}
