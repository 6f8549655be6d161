// What kind of number each threshold metric is: it decides the units, the no-data rule and the format.
import type { ThresholdMetric } from "../plan/types.ts";

/** latency: ms · ratio: 0..1 · rate: per second · count: whole requests or errors */
export type MetricKind = "latency" | "ratio" | "rate" | "count";

const KIND = {
  p50: "latency",
  p90: "latency",
  p95: "latency",
  p99: "latency",
  min: "latency",
  max: "latency",
  mean: "latency",
  rps: "rate",
  error_ratio: "ratio",
  requests: "count",
  errors: "count",
  generator_saturation: "ratio",
  p50_intended: "latency",
  p90_intended: "latency",
  p95_intended: "latency",
  p99_intended: "latency",
  mean_intended: "latency",
  max_intended: "latency",
  checks: "ratio",
  dropped_iterations: "count",
} as const satisfies Record<ThresholdMetric, MetricKind>;

export function metricKind(metric: ThresholdMetric): MetricKind {
  return KIND[metric];
}

/** Metrics that are plainly 0 when nothing was measured; every other metric has no value then. */
export function zeroWithoutData(metric: ThresholdMetric): boolean {
  return metric === "error_ratio" || metric === "requests" || metric === "errors" || metric === "dropped_iterations";
}
