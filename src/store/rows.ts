// Rows as SQLite returns them, and how each becomes the record the rest of indus uses.
import type { AgentRecord, ThresholdOutcome } from "../run/types.ts";
import type { RunState } from "../run/types.ts";
import type { Threshold, ThresholdCondition, ThresholdMetric } from "../plan/types.ts";
import { statsFromJson } from "./json.ts";
import type { RunListItem, RunOrigin } from "./types.ts";

export interface RunRow {
  id: string;
  plan_name: string;
  plan_yaml: string | null;
  plan_json: string;
  plan_file: string | null;
  origin: RunOrigin;
  state: RunState;
  reason: string | null;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  passed: number | null;
  summary_json: string | null;
  /** the finished run in the model's encoding (src/run/codec.ts); NULL while running and for runs stored before v3 */
  result_json: string | null;
  /** the run's script errors so far (v4), kept as they arrive; a finished run has them in result_json too */
  script_errors_json: string | null;
}

export interface AgentRow {
  agent_id: string;
  address: string;
  state: AgentRecord["state"];
  lost_at_ms: number | null;
  requests: number;
  errors: number;
  stats_json: string | null;
}

export interface ThresholdRow {
  label: string;
  metric: ThresholdMetric;
  condition: ThresholdCondition;
  value: number;
  scenario: string | null;
  step: string | null;
  passed: number;
  actual: number | null;
  first_failed_at_ms: number | null;
  abort_on_fail: number;
  delay_ms: number;
  window_ms: number | null;
}

export interface ListRow {
  id: string;
  plan_name: string;
  origin: RunOrigin;
  state: RunState;
  reason: string | null;
  started_at: number;
  duration_ms: number | null;
  passed: number | null;
  requests: number | null;
  rps: number | null;
  p95: number | null;
  error_ratio: number | null;
}

export function agentFromRow(r: AgentRow): AgentRecord {
  const record: AgentRecord = { id: r.agent_id, address: r.address, state: r.state, requests: r.requests, errors: r.errors };
  if (r.lost_at_ms !== null) record.lostAtMs = r.lost_at_ms;
  if (r.stats_json !== null) record.stats = statsFromJson(JSON.parse(r.stats_json));
  return record;
}

export function thresholdFromRow(r: ThresholdRow): ThresholdOutcome {
  const threshold: Threshold = {
    metric: r.metric,
    condition: r.condition,
    value: r.value,
    scenario: r.scenario ?? undefined,
    step: r.step ?? undefined,
    abort_on_fail: r.abort_on_fail === 1,
    delay: r.delay_ms,
  };
  if (r.window_ms !== null) threshold.window = r.window_ms;
  return {
    threshold,
    label: r.label,
    actual: r.actual ?? NaN,
    passed: r.passed === 1,
    firstFailedAtMs: r.first_failed_at_ms ?? undefined,
  };
}

export function listItemFromRow(r: ListRow): RunListItem {
  return {
    id: r.id,
    planName: r.plan_name,
    origin: r.origin,
    state: r.state,
    reason: r.reason ?? undefined,
    startedAt: new Date(r.started_at),
    durationMs: r.duration_ms ?? 0,
    passed: r.passed === null ? undefined : r.passed === 1,
    requests: r.requests ?? undefined,
    rps: r.rps ?? undefined,
    p95: r.p95 ?? undefined,
    errorRatio: r.error_ratio ?? undefined,
  };
}

export const finite = (n: number | undefined): number | null => (n !== undefined && Number.isFinite(n) ? n : null);
