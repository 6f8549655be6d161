// THE run model: one shape for a run, in flight and finished; the wire, the store and every report encode it.
import type { SnapshotAccumulator } from "../metrics/accumulator.ts";
import type { GeneratorByAgent, GeneratorSummary } from "../metrics/generator.ts";
import type { CheckCounts, Snapshot } from "../metrics/snapshot.ts";
import type { Stats } from "../metrics/stats.ts";
import type { PlanInputs } from "../plan/inputs.ts";
import type { ThresholdResult } from "../threshold/evaluate.ts";

/*
 * Layout (what travels and is stored, read top-down):
 *
 *   RunResult ─ state, reason, passed, startedAt, durationMs
 *     ├ summary: RunSummary ─ global Stats, scenarios[] ─ Stats, steps[] ─ Stats, checks[] (per check counts),
 *     │          tags[] ─ per tag key: values[] ─ Stats, folded; tagSets[] ─ Stats
 *     │          Stats carry intended-start latency and dropped iterations (open model), checks totals
 *     ├ thresholds: ThresholdOutcome[] ─ the plan's threshold (window included), actual, passed, firstFailedAtMs
 *     ├ agents: AgentRecord[] ─ state, lostAtMs (its loss), requests, errors, own stats
 *     ├ scriptErrors: ScriptError[] ─ each distinct exception a script threw, with the agent that reported it
 *     ├ timeline: TimelineEntry[] ─ per second: VUs per scenario, the merged Snapshot (histograms,
 *     │            counters, checks, drops, generator health per agent)
 *     └ generator: GeneratorSummary ─ how loaded the load generators were
 *
 * Tags: each request carries one tag set, fixed per step or per data row (src/plan/tags.ts, bounded per key).
 * Snapshot's scenarios name the steps with one fixed tag set (`stepTags`: their view is the step itself) and hold
 * the requests of steps tagged per data row again per tag set and step (`tagged`, keys from src/metrics/tag-set.ts);
 * the summary breaks them down per tag key (`tags`) and per tag set (`tagSets`).
 */

export type RunState = "pending" | "running" | "completed" | "failed" | "aborted";

/** One row of the live table: STATE ELAPSED VUs RPS p95(ms) ERRORS. */
export interface ProgressRow {
  state: RunState;
  elapsedMs: number;
  /** active VUs now, all scenarios */
  vus: number;
  /** requests per second over the last reporting interval */
  rps: number;
  /** cumulative p95 in ms (NaN before the first sample) */
  p95: number;
  /** cumulative errors / requests */
  errorRatio: number;
  /** the load generators' health in the latest second, per agent (absent when not measured) */
  generator?: GeneratorByAgent;
}

export interface StepSummary {
  name: string;
  stats: Stats;
  /** each check of the step, in plan order (absent when it has none) */
  checks?: CheckSummary[];
}

export interface CheckSummary extends CheckCounts {
  name: string;
}

export interface ScenarioSummary {
  name: string;
  stats: Stats;
  steps: StepSummary[];
}

/** One tag key's breakdown: each value's requests, over every scenario and step that carried it. */
export interface TagBreakdown {
  key: string;
  /** the plan's max_tag_values */
  limit: number;
  /** distinct values of this key beyond the limit, counted under "other" (0 when none) */
  folded: number;
  /** in the order first seen in the plan; "other" last */
  values: { value: string; stats: Stats }[];
}

export interface RunSummary {
  global: Stats;
  scenarios: ScenarioSummary[];
  /** per tag key, when the plan tags requests (absent otherwise) */
  tags?: TagBreakdown[];
  /** per distinct tag set (every tag of the request), when the plan tags requests */
  tagSets?: { tags: Record<string, string>; stats: Stats }[];
}

/** One second of the run, merged across agents. */
export interface TimelineEntry {
  /** seconds since the run started at the END of this second (1 = the first second) */
  t: number;
  /** active VUs per scenario reported for this second, summed over agents */
  vus: Record<string, number>;
  snapshot: Snapshot;
}

/** The run so far as the controller merged it, histograms decoded: Prometheus reads its latency quantiles from it. */
export type MergedRun = Pick<SnapshotAccumulator, "scenarioNames" | "scope" | "tagSetKeys">;

export type AgentState = "active" | "finished" | "lost" | "failed";

export interface AgentRecord {
  id: string;
  address: string;
  state: AgentState;
  /** ms since run start when the agent was lost */
  lostAtMs?: number;
  requests: number;
  errors: number;
  /** this agent's own stats over the run (merged from its snapshots) */
  stats?: Stats;
}

/**
 * An exception a scenario's script threw: one per distinct scenario, step and message in a run, whichever agents threw
 * it. The engine's ScriptErrorReport (src/engine/script/runtime.ts) plus the agent; written out here because the run
 * model imports nothing from the engine (test/architecture/imports.test.ts).
 */
export interface ScriptError {
  scenario: string;
  step: string;
  message: string;
  /** the first stack frame in the user's code, "flows/x.ts:12:7", when known */
  frame?: string;
  /** the agent that reported it first ("local" in a local run) */
  agent: string;
}

export interface RunUpdate {
  runId: string;
  row: ProgressRow;
  thresholds: ThresholdResult[];
  /** the run's script errors so far, in the order they came (absent when there are none) */
  scriptErrors?: ScriptError[];
  /** every agent as the run sees it now, with the VUs it last reported (the live dashboard's agents table) */
  agents?: (AgentRecord & { vus: number })[];
}

/** A threshold's final verdict plus when (ms since start) it first failed during the run, if it ever did. */
export type ThresholdOutcome = ThresholdResult & { firstFailedAtMs: number | undefined };

export interface RunResult {
  runId: string;
  planName: string;
  state: RunState;
  /** why the run ended early, if it did */
  reason: string | undefined;
  startedAt: Date;
  durationMs: number;
  summary: RunSummary;
  thresholds: ThresholdOutcome[];
  passed: boolean;
  agents: AgentRecord[];
  timeline: TimelineEntry[];
  /** how loaded the load generators were over the run (absent from runs stored before it was measured) */
  generator?: GeneratorSummary;
  /** the script errors of the run (absent when there were none) */
  scriptErrors?: ScriptError[];
}

/** What a watcher of a run sees: every update, then the result. */
export type RunEvent = { kind: "update"; update: RunUpdate } | { kind: "result"; result: RunResult };

/** A plan handed to a controller to run. */
export interface RunSubmission {
  planYaml: string;
  planFile: string;
  /** the data files and env values the plan needs (collectPlanInputs on the submitting side) */
  inputs?: PlanInputs;
}
