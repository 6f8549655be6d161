// Threshold results as text: "✓ p95 < 500 [scenario] actual: 487.85", aligned, under THRESHOLD RESULTS:.
import type { ThresholdMetric } from "../plan/types.ts";
import type { ThresholdResult } from "./evaluate.ts";

export function formatActual(metric: ThresholdMetric, actual: number): string {
  if (Number.isNaN(actual)) return "no data";
  switch (metric) {
    case "error_ratio":
      return actual.toFixed(4);
    case "rps":
      return actual.toFixed(1);
    case "requests":
    case "errors":
      return String(Math.round(actual));
    default:
      return actual.toFixed(2);
  }
}

function scopeText(r: ThresholdResult): string {
  const { scenario, step } = r.threshold;
  if (scenario && step) return ` [${scenario}/${step}]`;
  if (scenario) return ` [${scenario}]`;
  if (step) return ` [${step}]`;
  return "";
}

export function formatThresholdResult(r: ThresholdResult, labelWidth = 0): string {
  const label = (r.label + scopeText(r)).padEnd(labelWidth);
  return `${r.passed ? "✓" : "✗"} ${label} actual: ${formatActual(r.threshold.metric, r.actual)}`;
}

export function formatThresholdResults(results: ThresholdResult[]): string {
  const width = Math.max(0, ...results.map((r) => (r.label + scopeText(r)).length)) + 2;
  return ["THRESHOLD RESULTS:", ...results.map((r) => "  " + formatThresholdResult(r, width))].join("\n");
}
