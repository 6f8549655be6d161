// Threshold results as text: one line each, and the THRESHOLD RESULTS block printed at the end of a run.
import { formatDuration } from "../core/duration.ts";
import type { ThresholdMetric } from "../plan/types.ts";
import type { ThresholdResult } from "./evaluate.ts";
import { thresholdScope } from "./label.ts";
import { metricKind } from "./metric.ts";

const PASSED = "✓";
const FAILED = "✗";

/** "✓ p95 < 500 actual: 487.85", "✗ error_ratio < 0.01 [checkout-spike] actual: 0.0320". */
export function formatThresholdResult(r: ThresholdResult): string {
  const scope = thresholdScope(r.threshold);
  return `${mark(r)} ${r.label}${scope ? ` ${scope}` : ""} actual: ${formatActual(r.threshold.metric, r.actual)}`;
}

/**
 * THRESHOLD RESULTS:
 * ✓ p95         < 1000                    actual: 610.30
 * ✓ error_ratio < 0.02                    actual: 0.0040
 * ✗ p95         < 300   [baseline-health] actual: 341.10
 */
export function formatThresholdResults(results: readonly ThresholdResult[]): string {
  if (results.length === 0) return "THRESHOLD RESULTS:\n(no thresholds)";
  const rows = results.map((r) => ({
    mark: mark(r),
    metric: r.threshold.metric,
    bound: `${r.threshold.condition} ${r.threshold.value}${r.threshold.window === undefined ? "" : ` over ${formatDuration(r.threshold.window)}`}`,
    scope: thresholdScope(r.threshold),
    actual: formatActual(r.threshold.metric, r.actual),
  }));
  const widest = (key: "metric" | "bound" | "scope") => Math.max(...rows.map((row) => row[key].length));
  const [metricW, boundW, scopeW] = [widest("metric"), widest("bound"), widest("scope")];
  const lines = rows.map((row) =>
    [row.mark, row.metric.padEnd(metricW), row.bound.padEnd(boundW), ...(scopeW ? [row.scope.padEnd(scopeW)] : []), `actual: ${row.actual}`].join(" "),
  );
  return ["THRESHOLD RESULTS:", ...lines].join("\n");
}

/** Latency in ms with 2 decimals, ratios with 4, rps with 1, counts whole; "no data" for NaN. */
export function formatActual(metric: ThresholdMetric, actual: number): string {
  if (Number.isNaN(actual)) return "no data";
  switch (metricKind(metric)) {
    case "latency":
      return actual.toFixed(2);
    case "ratio":
      return actual.toFixed(4);
    case "rate":
      return actual.toFixed(1);
    case "count":
      return String(Math.round(actual));
  }
}

function mark(r: ThresholdResult): string {
  return r.passed ? PASSED : FAILED;
}
