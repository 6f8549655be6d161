// A run's summary and verdicts rebuilt from its per-second timeline, for runs that died before they could store them.
import type { GeneratorSummary } from "../metrics/generator.ts";
import type { Plan } from "../plan/types.ts";
import { judgeTimeline } from "../run/judge.ts";
import type { RunSummary, ThresholdOutcome, TimelineEntry } from "../run/types.ts";

/** Merges every second exactly (histograms bucket by bucket); rates use each scenario's share of durationMs, as the controller does. */
export function summaryFromTimeline(plan: Plan, timeline: readonly TimelineEntry[], durationMs: number): RunSummary {
  return rebuildFromTimeline(plan, timeline, durationMs).summary;
}

/** The summary, and the plan's thresholds judged second by second by the one judge, as the controller did live. */
export function rebuildFromTimeline(
  plan: Plan,
  timeline: readonly TimelineEntry[],
  durationMs: number,
): { summary: RunSummary; thresholds: ThresholdOutcome[]; generator: GeneratorSummary } {
  return judgeTimeline(plan, timeline, durationMs);
}
