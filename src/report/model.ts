// What every report is rendered from, built the same way from a just-finished run or a stored one.
import type { RunResult } from "../run/types.ts";
import type { Plan } from "../plan/types.ts";
import { resultOfStored } from "../store/result.ts";
import type { StoredRun } from "../store/types.ts";
import { thresholdScope, type ThresholdResult } from "../threshold/index.ts";

/** The run model, plus the plan it ran and where that came from: what every report renders. */
export interface ReportInput extends RunResult {
  plan: Plan;
  /** the plan file as written, when there was one */
  planYaml: string | undefined;
  planFile: string | undefined;
  /** true when the summary was merged from the timeline because the run never stored one */
  summaryFromTimeline: boolean;
}

export function reportInputFromResult(result: RunResult, plan: Plan, source: { planYaml?: string; planFile?: string } = {}): ReportInput {
  return { ...result, plan, planYaml: source.planYaml, planFile: source.planFile, summaryFromTimeline: false };
}

export function reportInputFromStored(run: StoredRun): ReportInput {
  // the stored run as the model (one mapping for every field: resultOfStored), plus where its plan came from
  return { ...resultOfStored(run), plan: run.plan, planYaml: run.planYaml, planFile: run.planFile, summaryFromTimeline: run.summaryFromTimeline };
}

/** A threshold as printed everywhere: its label and, when it has one, its scope: "p95 < 500 [checkout]". */
export function thresholdName(r: ThresholdResult): string {
  const scope = thresholdScope(r.threshold);
  return scope ? `${r.label} ${scope}` : r.label;
}
