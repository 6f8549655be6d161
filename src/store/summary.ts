// A run's summary and verdicts rebuilt from its per-second timeline, for runs that died before they could store them.
import type { ThresholdOutcome, TimelineEntry } from "../controller/types.ts";
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { saturationFraction, summarizeGenerators } from "../metrics/generator.ts";
import { createHistogram } from "../metrics/hdr.ts";
import type { RunSummary } from "../metrics/run.ts";
import { emptyCounters } from "../metrics/snapshot.ts";
import { statsOf } from "../metrics/stats-of.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan } from "../plan/types.ts";
import { evaluateThresholds, type ThresholdScope } from "../threshold/index.ts";

/** Merges every second exactly (histograms bucket by bucket); rates use each scenario's share of durationMs, as the controller does. */
export function summaryFromTimeline(plan: Plan, timeline: readonly TimelineEntry[], durationMs: number): RunSummary {
  return rebuildFromTimeline(plan, timeline, durationMs).summary;
}

/** The summary, and the plan's thresholds judged on the whole timeline (when each first failed is not known). */
export function rebuildFromTimeline(
  plan: Plan,
  timeline: readonly TimelineEntry[],
  durationMs: number,
): { summary: RunSummary; thresholds: ThresholdOutcome[] } {
  const cumulative = new SnapshotAccumulator();
  for (const entry of timeline) cumulative.add(entry.snapshot);
  const seconds = Math.max(durationMs / 1000, 1e-9);
  const scenarioSeconds = (name: string | undefined) => {
    const sc = name === undefined ? undefined : plan.scenarios.find((s) => s.name === name);
    return sc ? Math.max(Math.min(seconds, Math.ceil(sc.duration / 1000)), 1e-9) : seconds;
  };
  const empty = (s: number): Stats => statsOf(emptyCounters(), createHistogram(), 0, s);
  const statsFor = (scope: ThresholdScope) => cumulative.stats(scope, scenarioSeconds(scope.scenario));
  const summary: RunSummary = {
    global: statsFor({}) ?? empty(seconds),
    scenarios: plan.scenarios.map((sc) => ({
      name: sc.name,
      stats: statsFor({ scenario: sc.name }) ?? empty(scenarioSeconds(sc.name)),
      // a script names its steps as it runs: they are the ones the timeline holds
      steps: (sc.script ? [...new Set([...cumulative.stepNames(sc.name), ...sc.steps.map((st) => st.name)])] : sc.steps.map((st) => st.name)).map((name) => {
        const st = { name };
        const checks = Object.entries(cumulative.checks(sc.name, st.name)).map(([name, c]) => ({ name, ...c }));
        return {
          name: st.name,
          stats: statsFor({ scenario: sc.name, step: st.name }) ?? empty(scenarioSeconds(sc.name)),
          ...(checks.length > 0 ? { checks } : {}),
        };
      }),
    })),
  };
  const generator_saturation = saturationFraction(summarizeGenerators(timeline.map((e) => e.snapshot.generator)));
  const judged = (scope: ThresholdScope) => {
    const stats = scope.window === undefined ? statsFor(scope) : lastSeconds(timeline, scope.window).stats(scope, Math.min(timeline.length, Math.ceil(scope.window / 1000)) || 1e-9);
    return stats && { ...stats, generator_saturation };
  };
  const thresholds = evaluateThresholds(plan.thresholds, judged).map((r) => ({ ...r, firstFailedAtMs: undefined }));
  return { summary, thresholds };
}

/** The last seconds of a timeline merged: what a threshold with a `window` judged at the end. */
function lastSeconds(timeline: readonly TimelineEntry[], windowMs: number): SnapshotAccumulator {
  const acc = new SnapshotAccumulator();
  for (const entry of timeline.slice(-Math.max(1, Math.ceil(windowMs / 1000)))) acc.add(entry.snapshot);
  return acc;
}
