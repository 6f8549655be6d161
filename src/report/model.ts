// What every report is rendered from, built the same way from a just-finished run or a stored one.
import type { RunResult } from "../run/types.ts";
import type { Plan } from "../plan/types.ts";
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
  return {
    runId: run.id,
    planName: run.planName,
    plan: run.plan,
    planYaml: run.planYaml,
    planFile: run.planFile,
    state: run.state,
    reason: run.reason,
    // a run still going has no verdict yet: reports call it not passed
    passed: run.passed ?? false,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    summary: run.summary,
    summaryFromTimeline: run.summaryFromTimeline,
    thresholds: run.thresholds,
    agents: run.agents,
    timeline: run.timeline,
    ...(run.generator ? { generator: run.generator } : {}),
  };
}

/** A threshold as printed everywhere: its label and, when it has one, its scope: "p95 < 500 [checkout]". */
export function thresholdName(r: ThresholdResult): string {
  const scope = thresholdScope(r.threshold);
  return scope ? `${r.label} ${scope}` : r.label;
}
