// The end-of-run summary: global, per scenario and per step stats from the cumulative merge (also the live page's summary so far).
import type { Scope, SnapshotAccumulator } from "../metrics/accumulator.ts";
import { statsOf } from "../metrics/stats-of.ts";
import { createHistogram } from "../metrics/hdr.ts";
import { emptyCounters } from "../metrics/snapshot.ts";
import type { RunSummary, StepSummary } from "./types.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan } from "../plan/types.ts";
import { OTHER_TAG_VALUE, parseTagSetKey, tagLayout } from "../plan/tags.ts";

/**
 * What a summary reads: a merge's scopes; each step's checks when the merge keeps them (without, the steps carry
 * no checks), the step names it saw (without, a script scenario lists only the plan's steps), and the tag sets it
 * saw (without, the tag tables wait for the end).
 */
export type SummarySource = Pick<SnapshotAccumulator, "scope"> & Partial<Pick<SnapshotAccumulator, "checks" | "stepNames" | "tagSetKeys">>;

/** Nothing merged yet: every scope empty. */
export const NOTHING_MERGED: SummarySource = { scope: () => undefined };

export function summarize(plan: Plan, cumulative: SummarySource, elapsedS: number): RunSummary {
  const seconds = Math.max(elapsedS, 1e-9);
  const stats = (scope: Scope, s: number): Stats => {
    const m = cumulative.scope(scope);
    return m ? statsOf(m.counters, m.latency, m.iterations, s, m.extras) : statsOf(emptyCounters(), createHistogram(), 0, s);
  };
  const summary: RunSummary = {
    global: stats({}, seconds),
    scenarios: plan.scenarios.map((sc) => {
      const scSeconds = Math.max(Math.min(seconds, Math.ceil(sc.duration / 1000)), 1e-9);
      return {
        name: sc.name,
        stats: stats({ scenario: sc.name }, scSeconds),
        // a script names its steps as it runs: they are the ones the agents reported
        steps: (sc.script ? [...new Set([...(cumulative.stepNames?.(sc.name) ?? []), ...sc.steps.map((st) => st.name)])] : sc.steps.map((st) => st.name)).map((stepName) => {
          const step: StepSummary = { name: stepName, stats: stats({ scenario: sc.name, step: stepName }, scSeconds) };
          const checks = Object.entries(cumulative.checks?.(sc.name, stepName) ?? {}).map(([name, c]) => ({ name, ...c }));
          if (checks.length > 0) step.checks = checks;
          return step;
        }),
      };
    }),
  };
  const tagged = cumulative.tagSetKeys && summarizeTags(plan, cumulative.tagSetKeys(), (scope) => stats(scope, seconds));
  if (tagged) Object.assign(summary, tagged);
  return summary;
}

/**
 * The per-tag parts of a summary from the tag sets seen and a reader of a scope's stats (the live page reads its
 * own merge this way); undefined when the plan tags nothing.
 */
export function summarizeTags(plan: Plan, tagSetKeys: readonly string[], stats: (scope: Scope) => Stats): Required<Pick<RunSummary, "tags" | "tagSets">> | undefined {
  const layout = tagLayout(plan);
  if (layout.keys.length === 0) return undefined;
  const sets = [...tagSetKeys].sort();
  const seen = sets.map(parseTagSetKey);
  const tags = layout.keys.map(({ key, values, folded }) => {
    const present = new Set(seen.flatMap((t) => (t[key] === undefined ? [] : [t[key]!])));
    const order = [...values.filter((v) => present.has(v)), ...[...present].filter((v) => !values.includes(v) && v !== OTHER_TAG_VALUE).sort()];
    if (present.has(OTHER_TAG_VALUE) && !order.includes(OTHER_TAG_VALUE)) order.push(OTHER_TAG_VALUE);
    return { key, limit: layout.limit, folded, values: order.map((value) => ({ value, stats: stats({ tags: { [key]: value } }) })) };
  });
  return { tags, tagSets: sets.map((tagSet, i) => ({ tags: seen[i]!, stats: stats({ tagSet }) })) };
}
