// Baseline comparison: the relative change of each summary row and threshold between two runs (`--baseline ID`).
import type { Stats } from "../metrics/stats.ts";
import type { ThresholdCondition } from "../plan/types.ts";
import { thresholdName, type ReportInput } from "./model.ts";

export const COMPARED_METRICS = ["requests", "rps", "p50", "p90", "p95", "p99", "max", "mean", "error_ratio"] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** Which way is worse: latencies and errors going up, throughput going down. */
const HIGHER_IS_WORSE: Record<ComparedMetric, boolean> = {
  requests: false,
  rps: false,
  p50: true,
  p90: true,
  p95: true,
  p99: true,
  max: true,
  mean: true,
  error_ratio: true,
};

export interface Delta {
  current: number;
  baseline: number;
  /** (current − baseline) / baseline: 0.12 is +12%; null when the baseline is 0 or either side has no value */
  change: number | null;
  /** worse than the baseline by more than the tolerance (or from zero to something, for errors) */
  regression: boolean;
  improvement: boolean;
}

export interface RowComparison {
  /** undefined for the global row */
  scenario: string | undefined;
  /** undefined for a scenario's own row */
  step: string | undefined;
  deltas: Record<ComparedMetric, Delta>;
}

export interface ThresholdComparison {
  /** "p95 < 500 [checkout]" */
  name: string;
  delta: Delta;
  passedBefore: boolean;
  passedNow: boolean;
}

export interface Comparison {
  baseline: { runId: string; planName: string; startedAt: Date; state: string; passed: boolean };
  /** relative change that counts as a regression (default 0.05: ±5% is noise) */
  tolerance: number;
  /** global, then each scenario followed by its steps, for rows present in both runs */
  rows: RowComparison[];
  /** the current run's thresholds that the baseline also had (matched by name: label and scope) */
  thresholds: ThresholdComparison[];
}

export function compareRuns(current: ReportInput, baseline: ReportInput, opts: { tolerance?: number } = {}): Comparison {
  const tolerance = opts.tolerance ?? 0.05;
  const rows: RowComparison[] = [row(undefined, undefined, current.summary.global, baseline.summary.global, tolerance)];
  for (const sc of current.summary.scenarios) {
    const base = baseline.summary.scenarios.find((b) => b.name === sc.name);
    if (!base) continue;
    rows.push(row(sc.name, undefined, sc.stats, base.stats, tolerance));
    for (const st of sc.steps) {
      const baseStep = base.steps.find((b) => b.name === st.name);
      if (baseStep) rows.push(row(sc.name, st.name, st.stats, baseStep.stats, tolerance));
    }
  }
  const thresholds: ThresholdComparison[] = [];
  for (const t of current.thresholds) {
    const name = thresholdName(t);
    const base = baseline.thresholds.find((b) => thresholdName(b) === name);
    if (!base) continue;
    const delta = makeDelta(t.actual, base.actual, higherIsWorse(t.threshold.condition), tolerance);
    if (base.passed && !t.passed) delta.regression = true;
    thresholds.push({ name, delta, passedBefore: base.passed, passedNow: t.passed });
  }
  return {
    baseline: { runId: baseline.runId, planName: baseline.planName, startedAt: baseline.startedAt, state: baseline.state, passed: baseline.passed },
    tolerance,
    rows,
    thresholds,
  };
}

export function findRow(comparison: Comparison | undefined, scenario?: string, step?: string): RowComparison | undefined {
  return comparison?.rows.find((r) => r.scenario === scenario && r.step === step);
}

export function findThreshold(comparison: Comparison | undefined, name: string): ThresholdComparison | undefined {
  return comparison?.thresholds.find((t) => t.name === name);
}

/** "+12%", "−3%", "±0%"; "new" when the baseline was 0; "" without a value. */
export function formatChange(delta: Delta): string {
  if (delta.change === null) return Number.isFinite(delta.current) && delta.baseline === 0 && delta.current !== 0 ? "new" : "";
  const pct = delta.change * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  const text = Math.abs(pct).toFixed(digits);
  if (Number(text) === 0) return "±0%";
  return `${pct > 0 ? "+" : "\u2212"}${text}%`;
}

function row(scenario: string | undefined, step: string | undefined, current: Stats, baseline: Stats, tolerance: number): RowComparison {
  const deltas = {} as Record<ComparedMetric, Delta>;
  for (const m of COMPARED_METRICS) deltas[m] = makeDelta(current[m], baseline[m], HIGHER_IS_WORSE[m], tolerance);
  return { scenario, step, deltas };
}

function higherIsWorse(condition: ThresholdCondition): boolean {
  return condition === "<" || condition === "<=";
}

function makeDelta(current: number, baseline: number, higherWorse: boolean, tolerance: number): Delta {
  const both = Number.isFinite(current) && Number.isFinite(baseline);
  const change = both && baseline !== 0 ? (current - baseline) / baseline : null;
  const worse = change === null ? both && baseline === 0 && higherWorse && current > 0 : higherWorse ? change > tolerance : change < -tolerance;
  const better = change !== null && (higherWorse ? change < -tolerance : change > tolerance);
  return { current, baseline, change, regression: worse, improvement: better };
}
