// Series whose label names are only known per run (tag_<key>): prom-client fixes a metric's label names up front,
// so these are kept here and exposed under the same metric name as its fixed-label series.
import type { Counter, Gauge, Registry } from "prom-client";
import type { Tags } from "../metrics/tag-set.ts";

export type Labels = Record<string, string>;

export interface TaggedSeries {
  inc(labels: Labels, n: number): void;
  set(labels: Labels, value: number): void;
  /** Removes every series of a run. */
  forget(runId: string): void;
}

/** `tag_<key>` labels for a tag set; characters a label name may not hold become "_". */
export function tagLabels(tags: Tags): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(tags)) out[`tag_${k.replace(/[^A-Za-z0-9_]/g, "_")}`] = v;
  return out;
}

/**
 * Registers `base` (created with `registers: []`) in `registry` together with the tagged series returned, as one
 * metric: one HELP/TYPE block, the fixed-label series first.
 */
export function withTaggedSeries(registry: Registry, base: Counter<string> | Gauge<string>): TaggedSeries {
  const series = new Map<string, { labels: Labels; value: number }>();
  const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const metric = {
    name: (base as unknown as { name: string }).name,
    help: (base as unknown as { help: string }).help,
    type: (base as unknown as { type: string }).type,
    aggregator: "sum",
    // what the metrics reference lists: the fixed labels, then tag_<key> for each tag of a tagged request
    labelNames: [...((base as unknown as { labelNames?: string[] }).labelNames ?? []), "tag_<key>"],
    async get() {
      const own = await base.get();
      return { ...own, values: [...own.values, ...[...series.values()].map((s) => ({ labels: { ...s.labels }, value: s.value }))] };
    },
    reset() {
      base.reset();
      series.clear();
    },
  };
  registry.registerMetric(metric as unknown as Parameters<Registry["registerMetric"]>[0]);
  return {
    inc(labels, n) {
      const key = keyOf(labels);
      const s = series.get(key);
      if (s) s.value += n;
      else series.set(key, { labels, value: n });
    },
    set(labels, value) {
      const key = keyOf(labels);
      const s = series.get(key);
      if (s) s.value = value;
      else series.set(key, { labels, value });
    },
    forget(runId) {
      for (const [key, s] of series) if (s.labels.run_id === runId) series.delete(key);
    },
  };
}
