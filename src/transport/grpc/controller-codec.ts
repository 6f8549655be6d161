// Controller API messages ⇄ the controller's own types: progress, run records, results as JSON.
import { decodeRun, encodeRun } from "../../run/codec.ts";
import type { AgentRecord, RunResult, RunUpdate, ScriptError, ThresholdOutcome } from "../../run/types.ts";
import type { GeneratorByAgent } from "../../metrics/generator.ts";
import type { ProgressRow, RunState } from "../../run/types.ts";
import { generatorFromProto, generatorToProto, scriptErrorReportFromProto, scriptErrorToProto } from "./codec.ts";
import type { Stats } from "../../metrics/stats.ts";
import type { Threshold, ThresholdCondition, ThresholdMetric } from "../../plan/types.ts";
import type { ThresholdResult } from "../../threshold/index.ts";
import type * as pb from "../gen/indus.ts";

// ---- big objects (final results, reports, records): the run model's own encoding ----

export function resultToJson(result: RunResult, withTimeline: boolean): string {
  return encodeRun(result, { timeline: withTimeline });
}

export function resultFromJson(json: string): RunResult {
  return decodeRun(json);
}

// ---- thresholds ----

export function thresholdToProto(t: Threshold): pb.ThresholdSpec {
  const { metric, condition, value, scenario, step, abort_on_fail, delay, window, tags, ...unmapped } = t;
  // a field added to Threshold must be given a proto field here (tsc fails until it is)
  const none: Record<string, never> = unmapped;
  void none;
  return { metric, condition, value, scenario, step, abortOnFail: abort_on_fail, delayMs: delay, windowMs: window, tags: { ...tags } };
}

export function thresholdFromProto(t: pb.ThresholdSpec | undefined): Threshold {
  const threshold: Threshold = {
    metric: (t?.metric ?? "p95") as ThresholdMetric,
    condition: (t?.condition ?? "<") as ThresholdCondition,
    value: t?.value ?? 0,
    scenario: t?.scenario || undefined,
    step: t?.step || undefined,
    abort_on_fail: t?.abortOnFail ?? false,
    delay: t?.delayMs ?? 0,
  };
  if (t?.windowMs !== undefined) threshold.window = t.windowMs;
  if (t !== undefined && Object.keys(t.tags).length > 0) threshold.tags = { ...t.tags };
  return threshold;
}

export function thresholdResultToProto(r: ThresholdResult | ThresholdOutcome): pb.ThresholdResultMsg {
  const { threshold, label, actual, passed, firstFailedAtMs, ...unmapped } = r as ThresholdOutcome;
  // a field added to a threshold's outcome must get a proto field here (tsc fails until it is named above)
  const none: Record<string, never> = unmapped;
  void none;
  return { threshold: thresholdToProto(threshold), label, actual, passed, firstFailedAtMs };
}

export function thresholdResultFromProto(m: pb.ThresholdResultMsg): ThresholdOutcome {
  return { threshold: thresholdFromProto(m.threshold), label: m.label, actual: m.actual, passed: m.passed, firstFailedAtMs: m.firstFailedAtMs };
}

// ---- progress ----

export function progressToProto(update: RunUpdate, final?: RunResult): pb.ProgressUpdate {
  const { state, elapsedMs, vus, rps, p95, errorRatio, generator, ...unmapped } = update.row;
  // the live agents list feeds the dashboard inside the controller's own process: it does not travel every second
  const { runId: _runId, row: _row, thresholds: _thresholds, agents: _dashboardOnly, scriptErrors: _scriptErrors, ...unmappedUpdate } = update;
  // a field added to ProgressRow or RunUpdate must get a proto field here, or be named above as staying home
  const none: Record<string, never> = { ...unmapped, ...unmappedUpdate };
  void none;
  return {
    runId: update.runId,
    state,
    elapsedMs: Math.round(elapsedMs),
    vus,
    rps,
    p95Ms: p95,
    errorRatio,
    thresholds: update.thresholds.map(thresholdResultToProto),
    resultJson: final ? resultToJson(final, false) : undefined,
    generator: generatorToProto(generator),
    scriptErrors: (update.scriptErrors ?? []).map(({ agent, ...report }) => scriptErrorToProto(report, agent)),
  };
}

function scriptErrorFromProto(m: pb.ScriptError): ScriptError {
  return { ...scriptErrorReportFromProto(m), agent: m.agent };
}

export function progressFromProto(m: pb.ProgressUpdate): { update: RunUpdate; result: RunResult | undefined } {
  return {
    update: {
      runId: m.runId,
      row: withGenerator(
        { state: m.state as RunState, elapsedMs: m.elapsedMs, vus: m.vus, rps: m.rps, p95: m.p95Ms, errorRatio: m.errorRatio },
        generatorFromProto(m.generator),
      ),
      thresholds: m.thresholds.map(thresholdResultFromProto),
      ...(m.scriptErrors.length > 0 ? { scriptErrors: m.scriptErrors.map(scriptErrorFromProto) } : {}),
    },
    result: m.resultJson ? resultFromJson(m.resultJson) : undefined,
  };
}

function withGenerator(row: ProgressRow, generator: GeneratorByAgent | undefined): ProgressRow {
  return generator ? { ...row, generator } : row;
}

// ---- run records (status) ----

export function statsToProto(s: Stats): pb.Stats {
  return {
    requests: s.requests,
    errors: s.errors,
    errorsByClass: Object.fromEntries(Object.entries(s.errorsByClass).filter(([, n]) => n !== undefined)) as Record<string, number>,
    iterations: s.iterations,
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    rps: s.rps,
    errorRatio: s.error_ratio,
    minMs: s.min,
    maxMs: s.max,
    meanMs: s.mean,
    p50Ms: s.p50,
    p90Ms: s.p90,
    p95Ms: s.p95,
    p99Ms: s.p99,
    bytesDecoded: s.bytesDecoded ?? 0,
    errorKinds: { ...s.errorKinds },
  };
}

export function statsFromProto(s: pb.Stats | undefined): Stats {
  const z = s ?? ({ errorsByClass: {} } as unknown as pb.Stats);
  return {
    requests: z.requests ?? 0,
    errors: z.errors ?? 0,
    errorsByClass: { ...z.errorsByClass },
    iterations: z.iterations ?? 0,
    bytesIn: z.bytesIn ?? 0,
    bytesOut: z.bytesOut ?? 0,
    ...(z.bytesDecoded ? { bytesDecoded: z.bytesDecoded } : {}),
    ...(z.errorKinds !== undefined && Object.keys(z.errorKinds).length > 0 ? { errorKinds: { ...z.errorKinds } } : {}),
    rps: z.rps ?? 0,
    error_ratio: z.errorRatio ?? 0,
    min: z.minMs ?? NaN,
    max: z.maxMs ?? NaN,
    mean: z.meanMs ?? NaN,
    p50: z.p50Ms ?? NaN,
    p90: z.p90Ms ?? NaN,
    p95: z.p95Ms ?? NaN,
    p99: z.p99Ms ?? NaN,
  };
}

function agentToProto(a: AgentRecord): pb.AgentRecordMsg {
  return { id: a.id, address: a.address, state: a.state, lostAtMs: a.lostAtMs, requests: a.requests, errors: a.errors };
}

function agentFromProto(a: pb.AgentRecordMsg): AgentRecord {
  return { id: a.id, address: a.address, state: a.state as AgentRecord["state"], lostAtMs: a.lostAtMs, requests: a.requests, errors: a.errors };
}

export function recordToProto(r: RunResult): pb.RunRecord {
  return {
    runId: r.runId,
    planName: r.planName,
    state: r.state,
    reason: r.reason,
    startedAtMs: r.startedAt.getTime(),
    durationMs: r.durationMs,
    passed: r.passed,
    global: statsToProto(r.summary.global),
    scenarios: r.summary.scenarios.map((sc) => ({
      name: sc.name,
      stats: statsToProto(sc.stats),
      steps: sc.steps.map((st) => ({ name: st.name, stats: statsToProto(st.stats) })),
    })),
    thresholds: r.thresholds.map(thresholdResultToProto),
    agents: r.agents.map(agentToProto),
    resultJson: encodeRun(r, { timeline: false }),
  };
}

/** A RunResult without its timeline, as `indus status` needs it: the whole model when the controller sent it. */
export function recordFromProto(m: pb.RunRecord): RunResult {
  if (m.resultJson !== undefined) return decodeRun(m.resultJson);
  // an older controller: only the typed view
  return {
    runId: m.runId,
    planName: m.planName,
    state: m.state as RunState,
    reason: m.reason,
    startedAt: new Date(m.startedAtMs),
    durationMs: m.durationMs,
    summary: {
      global: statsFromProto(m.global),
      scenarios: m.scenarios.map((sc) => ({
        name: sc.name,
        stats: statsFromProto(sc.stats),
        steps: sc.steps.map((st) => ({ name: st.name, stats: statsFromProto(st.stats) })),
      })),
    },
    thresholds: m.thresholds.map(thresholdResultFromProto),
    passed: m.passed,
    agents: m.agents.map(agentFromProto),
    timeline: [],
  };
}
