// Per-tag columns: requests per second and p95 of the requests that carry each `key=value` tag, second by second.
import type { Plan } from "../plan/types.ts";
import { forEachTagged } from "../metrics/snapshot.ts";
import { OTHER_TAG_VALUE, parseTagSetKey, tagLayout, tagsMatch, type Tags } from "../plan/tags.ts";
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

/**
 * The tags a chart draws, "key=value", in plan order: each key's kept values, then "other" when values were folded.
 * Read from the plan's tag layout (scenario, step and data.tags), so the live page knows them from the start.
 */
export function chartedTags(plan: Plan): string[] {
  return tagLayout(plan).keys.flatMap(({ key, values, folded }) => [...values, ...(folded > 0 ? [OTHER_TAG_VALUE] : [])].map((v) => `${key}=${v}`));
}

/**
 * One column set per tag; empty when nothing is tagged. prevT: the second before the first entry (0 from the start).
 * From each second's requests per tag set (the snapshot's `tagged`); a run stored before those were kept falls back
 * to the steps that carry each tag.
 */
export function tagSeries(plan: Plan, timeline: readonly TimelineEntry[], prevT = 0): TagSeries[] {
  const tags = chartedTags(plan);
  if (tags.length === 0) return [];
  const byTagSets = timeline.length === 0 || timeline.some((e) => Object.values(e.snapshot.scenarios).some((sc) => sc.tagged !== undefined || sc.stepTags !== undefined));
  const steps = byTagSets ? undefined : taggedSteps(plan);
  const percentiles = createPercentiles();
  const parsed = new Map<string, Tags>();
  const tagsOf = (key: string) => parsed.get(key) ?? parsed.set(key, parseTagSetKey(key)).get(key)!;
  return tags.map((tag) => {
    const eq = tag.indexOf("=");
    const want = { [tag.slice(0, eq)]: tag.slice(eq + 1) };
    const rps: number[] = [];
    const p95: number[] = [];
    timeline.forEach((entry, i) => {
      const dt = Math.max(entry.t - (i > 0 ? timeline[i - 1]!.t : prevT), 1);
      let requests = 0;
      let merged: Buckets = EMPTY_BUCKETS;
      const add = (st: { requests: number; latency: Uint8Array } | undefined) => {
        if (!st) return;
        requests += st.requests;
        merged = mergeBuckets(merged, bucketsOf(st.latency));
      };
      if (steps === undefined) {
        for (const sc of Object.values(entry.snapshot.scenarios)) forEachTagged(sc, (key, _step, delta) => tagsMatch(tagsOf(key), want) && add(delta));
      } else {
        for (const [scenario, step] of steps.get(tag) ?? []) add(entry.snapshot.scenarios[scenario]?.steps[step]);
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
