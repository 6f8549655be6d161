// Per-tag columns: requests per second and p95 of the steps that carry each `key=value` tag, second by second.
import type { Plan } from "../plan/types.ts";
import { bucketsOf, createPercentiles, EMPTY_BUCKETS, mergeBuckets, type Buckets } from "./buckets.ts";
import type { ReportInput } from "./model.ts";

type TimelineEntry = ReportInput["timeline"][number];

export interface TagSeries {
  /** "key=value" */
  tag: string;
  rps: number[];
  /** ms; NaN in seconds without samples */
  p95: number[];
}

/** The steps carrying each tag, in plan order: "key=value" → [scenario, step][]. */
export function taggedSteps(plan: Plan): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  for (const sc of plan.scenarios) {
    for (const st of sc.steps) {
      for (const [k, v] of Object.entries(st.tags ?? {})) {
        const key = `${k}=${v}`;
        out.set(key, [...(out.get(key) ?? []), [sc.name, st.name]]);
      }
    }
  }
  return out;
}

/** One column set per tag; empty when no step has tags. prevT: the second before the first entry (0 from the start). */
export function tagSeries(plan: Plan, timeline: readonly TimelineEntry[], prevT = 0): TagSeries[] {
  const tags = taggedSteps(plan);
  if (tags.size === 0) return [];
  const percentiles = createPercentiles();
  return [...tags].map(([tag, steps]) => {
    const rps: number[] = [];
    const p95: number[] = [];
    timeline.forEach((entry, i) => {
      const dt = Math.max(entry.t - (i > 0 ? timeline[i - 1]!.t : prevT), 1);
      let requests = 0;
      let merged: Buckets = EMPTY_BUCKETS;
      for (const [scenario, step] of steps) {
        const st = entry.snapshot.scenarios[scenario]?.steps[step];
        if (!st) continue;
        requests += st.requests;
        merged = mergeBuckets(merged, bucketsOf(st.latency));
      }
      rps.push(requests / dt);
      p95.push(percentiles(merged, [95])[0]! / 1000);
    });
    return { tag, rps, p95 };
  });
}

/** Appends one second to columns made by tagSeries (the live page). */
export function appendTagSecond(into: TagSeries[], plan: Plan, prevT: number, entry: TimelineEntry): void {
  for (const one of tagSeries(plan, [entry], prevT)) {
    const target = into.find((s) => s.tag === one.tag);
    if (!target) continue;
    target.rps.push(one.rps[0]!);
    target.p95.push(one.p95[0]!);
  }
}
