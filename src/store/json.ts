// JSON columns: NaN latencies are written as null and read back as NaN, so stats survive the trip.
import type { CheckSummary, RunSummary } from "../run/types.ts";
import type { Stats } from "../metrics/stats.ts";

const NUMERIC_KEYS = ["requests", "errors", "iterations", "bytesIn", "bytesOut", "rps", "error_ratio", "min", "max", "mean", "p50", "p90", "p95", "p99"] as const;

type JsonStats = { [K in keyof Stats]: Stats[K] | null };

export function statsFromJson(json: JsonStats): Stats {
  const out = { ...json, errorsByClass: { ...(json.errorsByClass ?? {}) } } as Stats;
  for (const k of NUMERIC_KEYS) if (json[k] === null || json[k] === undefined) out[k] = NaN;
  return out;
}

export function summaryFromJson(text: string): RunSummary {
  const raw = JSON.parse(text) as { global: JsonStats; scenarios: { name: string; stats: JsonStats; steps: { name: string; stats: JsonStats; checks?: CheckSummary[] }[] }[] };
  return {
    global: statsFromJson(raw.global),
    scenarios: raw.scenarios.map((sc) => ({
      name: sc.name,
      stats: statsFromJson(sc.stats),
      steps: sc.steps.map((st) => ({ name: st.name, stats: statsFromJson(st.stats), ...(st.checks ? { checks: st.checks } : {}) })),
    })),
  };
}

/** NaN → null (JSON.stringify already does this for numbers; written out so the intent is plain). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v));
}
