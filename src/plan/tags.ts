// Tags: the tag set each request carries, worked out once from the plan (and its data rows) before the run,
// with every tag key's values bounded: beyond the plan's max_tag_values, values fold into "other".
import { OTHER_TAG_VALUE, tagSetKey, type Tags } from "../metrics/tag-set.ts";
import type { Plan, Scenario } from "./types.ts";

export { OTHER_TAG_VALUE, parseTagSetKey, tagSetKey, tagsMatch, type Tags } from "../metrics/tag-set.ts";
export const DEFAULT_MAX_TAG_VALUES = 20;

/*
 * Precedence, most specific last: the scenario's tags, then the step's, then the data row's (data.tags columns).
 * Which values a key keeps is decided in plan order — each scenario's tags, its steps' tags, then its data rows in
 * file order — so every agent, the controller and a stored run fold the same values the same way, with no
 * coordination. A row whose tag column is empty adds no tag.
 */

export interface TagKeyValues {
  key: string;
  /** the values kept, in the order first seen */
  values: string[];
  /** how many distinct values were folded into "other" */
  folded: number;
}

export interface ScenarioTagLayout {
  /**
   * Per step, per row set (index 0 when the scenario tags no data column): the key of the tag set its requests
   * carry ("" when none).
   */
  stepKeys: string[][];
  /** per data row (file order): its row set; null when the scenario tags no data column */
  rowSets: Int32Array | null;
  /** the scenario's own tags, folded: what requests of steps a script names carry (not data.tags) */
  scenarioKey: string;
}

export interface TagLayout {
  limit: number;
  /** every tag key of the run, sorted */
  keys: TagKeyValues[];
  scenarios: Map<string, ScenarioTagLayout>;
}

export function tagLayout(plan: Pick<Plan, "scenarios" | "max_tag_values">): TagLayout {
  const limit = plan.max_tag_values ?? DEFAULT_MAX_TAG_VALUES;
  const kept = new Map<string, Set<string>>();
  const seen = new Map<string, Set<string>>();
  const see = (key: string, value: string) => {
    let all = seen.get(key);
    if (!all) seen.set(key, (all = new Set()));
    all.add(value);
    let keep = kept.get(key);
    if (!keep) kept.set(key, (keep = new Set()));
    if (keep.size < limit) keep.add(value);
  };
  for (const sc of plan.scenarios) {
    for (const [k, v] of Object.entries(sc.tags ?? {})) see(k, v);
    for (const st of sc.steps) for (const [k, v] of Object.entries(st.tags ?? {})) see(k, v);
    const columns = rowTagColumns(sc);
    for (const row of sc.data?.rows ?? []) {
      for (const [k, i] of columns) if (row[i]) see(k, row[i]!);
    }
  }
  const fold = (tags: Tags): Tags => {
    const out: Tags = {};
    for (const k in tags) out[k] = kept.get(k)!.has(tags[k]!) ? tags[k]! : OTHER_TAG_VALUE;
    return out;
  };
  const scenarios = new Map<string, ScenarioTagLayout>();
  for (const sc of plan.scenarios) {
    const columns = rowTagColumns(sc);
    let rowSets: Int32Array | null = null;
    let rowTags: Tags[] = [{}];
    if (columns.length > 0) {
      const rows = sc.data?.rows ?? [];
      const ids = new Map<string, number>();
      rowTags = [];
      rowSets = new Int32Array(rows.length);
      rows.forEach((row, r) => {
        const tags: Tags = {};
        for (const [k, i] of columns) if (row[i]) tags[k] = row[i]!;
        const folded = fold(tags);
        const key = tagSetKey(folded);
        let id = ids.get(key);
        if (id === undefined) {
          ids.set(key, (id = rowTags.length));
          rowTags.push(folded);
        }
        rowSets![r] = id;
      });
      if (rowTags.length === 0) rowTags.push({});
    }
    const stepKeys = sc.steps.map((st) => {
      const fixed = fold({ ...(sc.tags ?? {}), ...(st.tags ?? {}) });
      return rowTags.map((row) => tagSetKey({ ...fixed, ...row }));
    });
    scenarios.set(sc.name, { stepKeys, rowSets, scenarioKey: tagSetKey(fold(sc.tags ?? {})) });
  }
  const keys = [...seen.keys()].sort().map((key) => ({ key, values: [...kept.get(key)!], folded: seen.get(key)!.size - kept.get(key)!.size }));
  return { limit, keys, scenarios };
}

/** The scenario's data.tags as [tag key, column index], columns the data file lacks left out. */
function rowTagColumns(sc: Scenario): [string, number][] {
  const columns = sc.data?.columns ?? [];
  return (sc.data?.tags ?? []).flatMap((k): [string, number][] => (columns.includes(k) ? [[k, columns.indexOf(k)]] : []));
}
