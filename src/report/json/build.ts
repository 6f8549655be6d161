// Builds the JSON report object from a ReportInput: snake_case keys, seconds for times, null for "no value".
import type { AgentRecord } from "../../run/types.ts";
import type { Stats } from "../../metrics/stats.ts";
import type { Comparison, Delta } from "../compare.ts";
import { thresholdName, type ReportInput } from "../model.ts";
import { timelineSeries, type ScopeSeries } from "../series.ts";
import { REPORT_SCHEMA_VERSION, type JsonReport } from "./schema.ts";

/** A finite number rounded to `digits` decimals (µs precision for ms by default), else null. */
export function num(n: number | undefined, digits = 3): number | null {
  if (n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function buildJsonReport(input: ReportInput, comparison?: Comparison): JsonReport {
  const endedAt = new Date(input.startedAt.getTime() + input.durationMs);
  const report: JsonReport = {
    schema_version: REPORT_SCHEMA_VERSION,
    run: {
      id: input.runId,
      plan_name: input.planName,
      plan_file: input.planFile ?? null,
      state: input.state,
      reason: input.reason ?? null,
      passed: input.passed,
      started_at: input.startedAt.toISOString(),
      ended_at: endedAt.toISOString(),
      duration_s: num(input.durationMs / 1000) ?? 0,
      summary_from_timeline: input.summaryFromTimeline,
      agents: input.agents.map((a) => ({ id: a.id, address: a.address, state: a.state, lost_at_s: a.lostAtMs === undefined ? null : num(a.lostAtMs / 1000) })),
      script_errors: (input.scriptErrors ?? []).map((e) => ({ scenario: e.scenario, step: e.step, message: e.message, frame: e.frame ?? null, agent: e.agent })),
    },
    summary: {
      global: stats(input.summary.global),
      scenarios: input.summary.scenarios.map((sc) => ({
        name: sc.name,
        ...stats(sc.stats),
        steps: sc.steps.map((st) => ({
          name: st.name,
          ...stats(st.stats),
          ...(st.checks
            ? { checks_by_name: st.checks.map((c) => ({ name: c.name, passes: c.passes, fails: c.fails, pass_ratio: c.passes + c.fails > 0 ? num(c.passes / (c.passes + c.fails), 6) : null })) }
            : {}),
        })),
      })),
      agents: input.agents.map((a) => agentStats(a, input.durationMs)),
      ...(input.summary.tags !== undefined
        ? { tags: input.summary.tags.map((t) => ({ key: t.key, limit: t.limit, folded_values: t.folded, values: t.values.map((v) => ({ value: v.value, ...stats(v.stats) })) })) }
        : {}),
      ...(input.summary.tagSets !== undefined ? { tag_sets: input.summary.tagSets.map((t) => ({ tags: { ...t.tags }, ...stats(t.stats) })) } : {}),
    },
    thresholds: input.thresholds.map((r) => ({
      label: thresholdName(r),
      metric: r.threshold.metric,
      condition: r.threshold.condition,
      value: r.threshold.value,
      scope: { scenario: r.threshold.scenario ?? null, step: r.threshold.step ?? null, ...(r.threshold.tags !== undefined ? { tags: { ...r.threshold.tags } } : {}) },
      passed: r.passed,
      actual: num(r.actual, 6),
      first_failed_at_s: r.firstFailedAtMs === undefined ? null : num(r.firstFailedAtMs / 1000),
      abort_on_fail: r.threshold.abort_on_fail,
      ...(r.threshold.window !== undefined ? { window_s: r.threshold.window / 1000 } : {}),
    })),
    timeline: timeline(input),
    plan: JSON.parse(JSON.stringify(input.plan)),
    plan_yaml: input.planYaml ?? null,
  };
  if (comparison) report.baseline = baselineSection(comparison);
  return report;
}

function stats(s: Stats) {
  return {
    requests: s.requests,
    rps: num(s.rps) ?? 0,
    min: num(s.min),
    max: num(s.max),
    mean: num(s.mean),
    p50: num(s.p50),
    p90: num(s.p90),
    p95: num(s.p95),
    p99: num(s.p99),
    errors: s.errors,
    errors_by_class: { ...s.errorsByClass },
    error_ratio: num(s.error_ratio, 6) ?? 0,
    iterations: s.iterations,
    bytes_in: s.bytesIn,
    bytes_out: s.bytesOut,
    ...(s.bytesDecoded ? { bytes_decoded: s.bytesDecoded } : {}),
    ...(s.errorKinds !== undefined ? { error_kinds: { ...s.errorKinds } } : {}),
    ...openModel(s),
  };
}

/** Only where they exist: an arrival-rate scope's latency from the intended start and drops, a scope's checks. */
function openModel(s: Stats) {
  const out: Partial<Pick<JsonReport["summary"]["global"], "intended" | "dropped_iterations" | "checks">> = {};
  if (s.p95_intended !== undefined) {
    out.intended = {
      p50: num(s.p50_intended),
      p90: num(s.p90_intended),
      p95: num(s.p95_intended),
      p99: num(s.p99_intended),
      mean: num(s.mean_intended),
      max: num(s.max_intended),
    };
  }
  if (s.dropped_iterations !== undefined) out.dropped_iterations = s.dropped_iterations;
  if (s.checks_passed !== undefined && s.checks_failed !== undefined) {
    out.checks = { passes: s.checks_passed, fails: s.checks_failed, pass_ratio: num(s.checks, 6) ?? 0 };
  }
  return out;
}

function agentStats(a: AgentRecord, durationMs: number) {
  const s = a.stats;
  const seconds = durationMs / 1000;
  return {
    id: a.id,
    requests: a.requests,
    rps: num(s?.rps ?? (seconds > 0 ? a.requests / seconds : 0)) ?? 0,
    min: num(s?.min),
    max: num(s?.max),
    mean: num(s?.mean),
    p50: num(s?.p50),
    p90: num(s?.p90),
    p95: num(s?.p95),
    p99: num(s?.p99),
    errors: a.errors,
    errors_by_class: { ...(s?.errorsByClass ?? {}) },
    error_ratio: num(a.requests > 0 ? a.errors / a.requests : 0, 6) ?? 0,
  };
}

function timeline(input: ReportInput): JsonReport["timeline"] {
  const series = timelineSeries(input.plan, input.timeline);
  const at = (s: ScopeSeries, i: number) => ({
    vus: s.vus[i]!,
    requests: s.requests[i]!,
    errors: s.errors[i]!,
    rps: num(s.rps[i]) ?? 0,
    p50: num(s.p50[i]),
    p95: num(s.p95[i]),
    p99: num(s.p99[i]),
    ...(s.open
      ? { p95_intended: num(s.open.p95Intended[i]), p99_intended: num(s.open.p99Intended[i]), dropped_iterations: s.open.dropped[i]! }
      : {}),
  });
  return series.t.map((t, i) => {
    const byClass: Record<string, number> = {};
    for (const [cls, column] of Object.entries(series.global.errorsByClass)) if (column[i]) byClass[cls] = column[i];
    const generator = input.timeline[i]?.snapshot.generator;
    return {
      t,
      ...at(series.global, i),
      errors_by_class: byClass,
      scenarios: Object.fromEntries(series.scenarios.map(({ name, series: s }) => [name, at(s, i)])),
      generator: generator
        ? Object.fromEntries(Object.entries(generator).map(([agent, h]) => [agent, { cpu_pct: num(h.cpuPct, 1) ?? 0, lag_ms: num(h.lagMs, 1) ?? 0, saturated: h.saturated }]))
        : null,
    };
  });
}

function delta(d: Delta) {
  return { current: num(d.current, 6), baseline: num(d.baseline, 6), change: num(d.change ?? undefined, 6), regression: d.regression };
}

function baselineSection(c: Comparison): NonNullable<JsonReport["baseline"]> {
  return {
    run_id: c.baseline.runId,
    plan_name: c.baseline.planName,
    started_at: c.baseline.startedAt.toISOString(),
    state: c.baseline.state as NonNullable<JsonReport["baseline"]>["state"],
    passed: c.baseline.passed,
    tolerance: c.tolerance,
    rows: c.rows.map((r) => ({
      scenario: r.scenario ?? null,
      step: r.step ?? null,
      metrics: Object.fromEntries(Object.entries(r.deltas).map(([m, d]) => [m, delta(d)])) as NonNullable<JsonReport["baseline"]>["rows"][number]["metrics"],
    })),
    thresholds: c.thresholds.map((t) => ({ label: t.name, ...delta(t.delta), passed_before: t.passedBefore, passed_now: t.passedNow })),
  };
}
