// What the run store keeps and hands back: a run's record, its list row, and the store's API.
import type { RunResult, RunState, ScriptError, TimelineEntry } from "../run/types.ts";
import type { Plan } from "../plan/types.ts";

export type RunOrigin = "local" | "controller";

export interface CreateRunInput {
  id: string;
  planName: string;
  /** the plan file's text as the user wrote it, when there was a file */
  planYaml: string | undefined;
  planFile: string | undefined;
  plan: Plan;
  startedAt: Date;
  origin: RunOrigin;
  agents: { id: string; address: string }[];
}

/**
 * A run as the store keeps it: the run model (every field of RunResult but its id, named `id` here, and its verdict,
 * undefined while running) plus where its plan came from. Whether it finished or died mid-way.
 */
export interface StoredRun extends Omit<RunResult, "runId" | "passed"> {
  id: string;
  planYaml: string | undefined;
  planFile: string | undefined;
  plan: Plan;
  origin: RunOrigin;
  endedAt: Date | undefined;
  /** undefined while running */
  passed: boolean | undefined;
  /** true when `summary` (and the verdicts) were rebuilt from the timeline because the run never stored them */
  summaryFromTimeline: boolean;
}

export interface RunListItem {
  id: string;
  planName: string;
  origin: RunOrigin;
  state: RunState;
  reason: string | undefined;
  startedAt: Date;
  durationMs: number;
  passed: boolean | undefined;
  /** from the stored summary; undefined for runs that never finished */
  requests: number | undefined;
  rps: number | undefined;
  p95: number | undefined;
  errorRatio: number | undefined;
}

export interface RunStoreOptions {
  /** how many runs prune() keeps, newest first (default 100) */
  keepRuns?: number;
}

export interface RunStore {
  /** the database file */
  readonly path: string;
  createRun(input: CreateRunInput): void;
  /** One second of a running run; called every second, so it is one prepared INSERT. */
  appendSecond(runId: string, entry: TimelineEntry): void;
  /** The run's script errors so far (all of them, each call): what a run that never finishes still reports. */
  recordScriptErrors(runId: string, errors: readonly ScriptError[]): void;
  /** Stores the verdict, summary, agents and thresholds, and any timeline seconds not yet appended. */
  finishRun(runId: string, result: RunResult): void;
  /**
   * By full id or a unique prefix; undefined when none matches. Throws IndusError when a prefix is ambiguous.
   * With `timeline: false` the timeline is left empty and not read (unless the summary must be rebuilt from it):
   * what a list of runs needs.
   */
  getRun(idOrPrefix: string, options?: { timeline?: boolean }): StoredRun | undefined;
  /** Newest first. */
  listRuns(options?: { limit?: number }): RunListItem[];
  /**
   * Marks runs left 'running' by a process that died as aborted ("process died"), keeping their timeline;
   * returns their ids. A run whose owning process is alive on this host is left alone, unless it stored
   * nothing for staleAfterMs (default 10 min: the pid was reused).
   */
  markInFlightAborted(options?: { now?: number; staleAfterMs?: number }): string[];
  /** Deletes all but the newest keepRuns runs; returns how many were deleted. */
  prune(): number;
  close(): void;
}
