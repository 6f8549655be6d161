// Threshold: pure evaluation of the plan's pass/fail gates against merged stats, and their text.
export { evaluateThreshold, evaluateThresholds, abortRequested, type ThresholdResult, type ThresholdScope } from "./evaluate.ts";
export { formatThresholdResult, formatThresholdResults, formatActual } from "./format.ts";
export { thresholdLabel, thresholdScope } from "./label.ts";
export { metricKind, zeroWithoutData, type MetricKind } from "./metric.ts";
