// Thresholds judged against a rebuilt summary, for a run that died before the controller could judge them.
import type { ThresholdOutcome } from "../controller/types.ts";
import type { RunSummary } from "../metrics/run.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan, Threshold } from "../plan/types.ts";

export function judgeFromSummary(plan: Plan, summary: RunSummary): ThresholdOutcome[] {
  return plan.thresholds.map((threshold) => {
    const stats = statsOfScope(summary, threshold);
    const actual = stats ? stats[threshold.metric] : NaN;
    return { threshold, label: thresholdLabel(threshold), actual, passed: holds(actual, threshold), firstFailedAtMs: undefined };
  });
}

/** `p95 < 500 [checkout-spike]`, as the live output prints it. */
export function thresholdLabel(t: Threshold): string {
  const scope = t.scenario === undefined ? "" : t.step === undefined ? ` [${t.scenario}]` : ` [${t.scenario}/${t.step}]`;
  return `${t.metric} ${t.condition} ${t.value}${scope}`;
}

function statsOfScope(summary: RunSummary, t: Threshold): Stats | undefined {
  if (t.scenario === undefined) return summary.global;
  const scenario = summary.scenarios.find((s) => s.name === t.scenario);
  if (t.step === undefined) return scenario?.stats;
  return scenario?.steps.find((s) => s.name === t.step)?.stats;
}

function holds(actual: number, t: Threshold): boolean {
  if (!Number.isFinite(actual)) return false;
  switch (t.condition) {
    case "<":
      return actual < t.value;
    case "<=":
      return actual <= t.value;
    case ">":
      return actual > t.value;
    case ">=":
      return actual >= t.value;
  }
}
