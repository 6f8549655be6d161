// The JSON report's shape as a zod schema: the source of schema/report.schema.json and of the tests' validation.
import { z } from "zod";
import { ERROR_CLASSES } from "../../metrics/error-class.ts";
import { THRESHOLD_CONDITIONS, THRESHOLD_METRICS } from "../../plan/types.ts";
import { COMPARED_METRICS } from "../compare.ts";

export const REPORT_SCHEMA_VERSION = 1;

const RUN_STATES = ["pending", "running", "completed", "failed", "aborted"] as const;
const AGENT_STATES = ["active", "finished", "lost", "failed"] as const;

const count = z.int().min(0);
const ms = z.number().nullable().meta({ description: "milliseconds; null when there were no samples" });
const ratio = z.number().min(0).meta({ description: "errors / requests; 0 when there were no requests" });
const errorsByClass = z.partialRecord(z.enum(ERROR_CLASSES), count).meta({ description: "errors by class; classes that did not occur are left out" });
const isoTime = z.iso.datetime({ offset: true }).meta({ description: "ISO 8601, UTC" });

const latencies = {
  min: ms,
  max: ms,
  mean: ms,
  p50: ms,
  p90: ms,
  p95: ms,
  p99: ms,
};

const statsFields = {
  requests: count,
  rps: z.number().min(0).meta({ description: "requests per second over the scope's elapsed time" }),
  ...latencies,
  errors: count,
  errors_by_class: errorsByClass,
  error_ratio: ratio,
  iterations: count,
  bytes_in: count,
  bytes_out: count,
  bytes_decoded: count.optional().meta({ description: "steps with compression: response bodies once decoded (bytes_in is what crossed the wire)" }),
  error_kinds: z
    .record(z.string(), count)
    .optional()
    .meta({ description: 'failures with a kind, by "class: kind" (e.g. "tls: certificate expired"), counted' }),
  intended: z
    .strictObject({ p50: ms, p90: ms, p95: ms, p99: ms, mean: ms, max: ms })
    .optional()
    .meta({ description: "arrival-rate scenarios only: latency from each iteration's intended start (lateness included), ms" }),
  dropped_iterations: count.optional().meta({ description: "arrival-rate scenarios only: arrivals that found no free VU" }),
  checks: z
    .strictObject({ passes: count, fails: count, pass_ratio: z.number().min(0).max(1) })
    .optional()
    .meta({ description: "checks run in this scope; absent when it has none" }),
};

export const statsSchema = z.strictObject(statsFields);

const checkResult = z.strictObject({ name: z.string(), passes: count, fails: count, pass_ratio: z.number().min(0).max(1).nullable() });
const stepSummary = z.strictObject({
  name: z.string(),
  ...statsFields,
  checks_by_name: z.array(checkResult).optional().meta({ description: "each check of the step, in plan order" }),
});
const scenarioSummary = z.strictObject({ name: z.string(), ...statsFields, steps: z.array(stepSummary) });
const tagBreakdown = z
  .strictObject({
    key: z.string(),
    limit: count.meta({ description: "the plan's max_tag_values: distinct values this key keeps in a run" }),
    folded_values: count.meta({ description: 'distinct values beyond the limit, counted under the value "other"' }),
    values: z.array(z.strictObject({ value: z.string(), ...statsFields })).meta({ description: 'each value, in the order the plan first names it; "other" last' }),
  })
  .meta({ description: "one tag key: the requests carrying each of its values, over every scenario and step" });
const tagSetSummary = z.strictObject({ tags: z.record(z.string(), z.string()), ...statsFields }).meta({ description: "one distinct tag set: the requests carrying exactly these tags" });
const agentSummary = z
  .strictObject({
    id: z.string(),
    requests: count,
    rps: z.number().min(0),
    ...latencies,
    errors: count,
    errors_by_class: errorsByClass,
    error_ratio: ratio,
  })
  .meta({ description: "what one agent measured itself; latencies are null when the agent did not report them" });

const agent = z.strictObject({
  id: z.string(),
  address: z.string(),
  state: z.enum(AGENT_STATES),
  lost_at_s: z.number().nullable().meta({ description: "seconds since start when the agent was lost" }),
});

const scope = z
  .strictObject({
    scenario: z.string().nullable(),
    step: z.string().nullable(),
    tags: z.record(z.string(), z.string()).optional().meta({ description: "only requests carrying all of these tags" }),
  })
  .meta({ description: "what the threshold looks at: both null for the whole run" });

const threshold = z.strictObject({
  label: z.string().meta({ description: 'as printed: "p95 < 500 [checkout]"' }),
  metric: z.enum(THRESHOLD_METRICS),
  condition: z.enum(THRESHOLD_CONDITIONS),
  value: z.number(),
  scope,
  passed: z.boolean(),
  actual: z.number().nullable().meta({ description: "the metric's value at the end of the run; null without samples" }),
  first_failed_at_s: z.number().nullable().meta({ description: "seconds since start when it first failed during the run; null if it never did" }),
  abort_on_fail: z.boolean(),
  window_s: z.number().optional().meta({ description: "judged over the last this-many seconds only (the threshold's window)" }),
});

/** Only in a second of an arrival-rate scope: such a scenario, or the run's second (over its arrival-rate scenarios) when it has one. */
const OPEN_SCOPE = "arrival-rate scopes only (the run-wide second: over the arrival-rate scenarios)";
const intendedMs = (p: string) =>
  ms.optional().meta({ description: `${OPEN_SCOPE}: ${p} of the latency from each iteration's intended start (lateness included) in this second, milliseconds; null when there were no samples` });
const openSecond = {
  p95_intended: intendedMs("p95"),
  p99_intended: intendedMs("p99"),
  dropped_iterations: count.optional().meta({ description: `${OPEN_SCOPE}: arrivals in this second that found no free VU` }),
};

const secondOfScenario = z.strictObject({
  vus: count,
  requests: count,
  errors: count,
  rps: z.number().min(0),
  p50: ms,
  p95: ms,
  p99: ms,
  ...openSecond,
});

const second = z.strictObject({
  t: z.number().meta({ description: "seconds since start at the end of this second" }),
  vus: count,
  requests: count,
  errors: count,
  errors_by_class: errorsByClass,
  rps: z.number().min(0),
  p50: ms,
  p95: ms,
  p99: ms,
  ...openSecond,
  scenarios: z.record(z.string(), secondOfScenario),
  generator: z
    .record(
      z.string(),
      z.strictObject({
        cpu_pct: z.number().min(0).meta({ description: "CPU of the agent's busiest worker thread, % of one core" }),
        lag_ms: z.number().min(0).meta({ description: "worst event-loop lag (timer drift) of the agent's workers" }),
        saturated: z.boolean().meta({ description: "over 90% CPU or 50 ms lag for 3 consecutive seconds: latencies of this second are inflated by the load generator itself" }),
      }),
    )
    .nullable()
    .meta({ description: "per agent id, how loaded the load generator itself was in this second; null when not measured" }),
});

const delta = z.strictObject({
  current: z.number().nullable(),
  baseline: z.number().nullable(),
  change: z.number().nullable().meta({ description: "(current - baseline) / baseline: 0.12 is +12%; null when the baseline is 0 or a side has no value" }),
  regression: z.boolean(),
});

const baseline = z
  .strictObject({
    run_id: z.string(),
    plan_name: z.string(),
    started_at: isoTime,
    state: z.enum(RUN_STATES),
    passed: z.boolean(),
    tolerance: z.number().meta({ description: "relative change beyond which a worse value counts as a regression" }),
    rows: z.array(
      z.strictObject({
        scenario: z.string().nullable(),
        step: z.string().nullable(),
        metrics: z.record(z.enum(COMPARED_METRICS), delta),
      }),
    ),
    thresholds: z.array(z.strictObject({ label: z.string(), ...delta.shape, passed_before: z.boolean(), passed_now: z.boolean() })),
  })
  .meta({ description: "this run against a baseline run (--baseline ID)" });

const plan = z
  .looseObject({
    name: z.string(),
    scenarios: z.array(z.looseObject({ name: z.string() })),
    thresholds: z.array(z.looseObject({})),
  })
  .meta({ description: "the plan as indus ran it: durations in milliseconds, defaults filled in" });

export const reportSchema = z
  .strictObject({
    schema_version: z.literal(REPORT_SCHEMA_VERSION),
    run: z.strictObject({
      id: z.string(),
      plan_name: z.string(),
      plan_file: z.string().nullable(),
      state: z.enum(RUN_STATES),
      reason: z.string().nullable().meta({ description: "why the run ended early, if it did" }),
      passed: z.boolean(),
      started_at: isoTime,
      ended_at: isoTime,
      duration_s: z.number().min(0),
      summary_from_timeline: z.boolean().meta({ description: "true when the run died and its summary was merged from the stored timeline" }),
      agents: z.array(agent),
      script_errors: z
        .array(
          z.strictObject({
            scenario: z.string(),
            step: z.string(),
            message: z.string(),
            frame: z.string().nullable().meta({ description: 'the first stack frame in the script, "flows/x.ts:12:7"; null when unknown' }),
            agent: z.string().meta({ description: 'the agent that reported it first ("local" in a local run)' }),
          }),
        )
        .meta({ description: "each distinct exception a scenario's script threw (scenario, step and message), at most 10 a run; its requests count under errors_by_class.script" }),
    }),
    summary: z.strictObject({
      global: statsSchema,
      scenarios: z.array(scenarioSummary),
      agents: z.array(agentSummary),
      tags: z.array(tagBreakdown).optional().meta({ description: "per tag key, when the plan tags requests (scenario, step or data.tags)" }),
      tag_sets: z.array(tagSetSummary).optional().meta({ description: "per distinct tag set, when the plan tags requests" }),
    }),
    thresholds: z.array(threshold),
    timeline: z.array(second).meta({ description: "one entry per second of the run" }),
    plan,
    plan_yaml: z.string().nullable().meta({ description: "the plan file as written, when there was one" }),
    baseline: baseline.optional(),
  })
  .meta({
    title: "indus JSON report",
    description: "A load test run: metadata, summary (global, per scenario, per step, per agent), thresholds, a per-second timeline and the plan.",
  });

export type JsonReport = z.infer<typeof reportSchema>;

/** The committed schema/report.schema.json. */
export function reportJsonSchema(): object {
  return z.toJSONSchema(reportSchema, { target: "draft-2020-12", io: "output" });
}
