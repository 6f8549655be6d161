// A run's summary rebuilt from its per-second timeline, for runs that died before they could store one.
import type { TimelineEntry } from "../controller/types.ts";
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { createHistogram } from "../metrics/hdr.ts";
import type { RunSummary } from "../metrics/run.ts";
import { emptyCounters } from "../metrics/snapshot.ts";
import { statsOf } from "../metrics/stats-of.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan } from "../plan/types.ts";

/** Merges every second exactly (histograms bucket by bucket); rates use each scenario's share of durationMs, as the controller does. */
export function summaryFromTimeline(plan: Plan, timeline: readonly TimelineEntry[], durationMs: number): RunSummary {
  const cumulative = new SnapshotAccumulator();
  for (const entry of timeline) cumulative.add(entry.snapshot);
  const seconds = Math.max(durationMs / 1000, 1e-9);
  const empty = (s: number): Stats => statsOf(emptyCounters(), createHistogram(), 0, s);
  return {
    global: cumulative.stats({}, seconds) ?? empty(seconds),
    scenarios: plan.scenarios.map((sc) => {
      const scSeconds = Math.max(Math.min(seconds, Math.ceil(sc.duration / 1000)), 1e-9);
      return {
        name: sc.name,
        stats: cumulative.stats({ scenario: sc.name }, scSeconds) ?? empty(scSeconds),
        steps: sc.steps.map((st) => ({
          name: st.name,
          stats: cumulative.stats({ scenario: sc.name, step: st.name }, scSeconds) ?? empty(scSeconds),
        })),
      };
    }),
  };
}
