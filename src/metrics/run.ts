// What a run looks like from outside: its state, the live progress row, and the end-of-run summary.
import type { GeneratorByAgent } from "./generator.ts";
import type { Stats } from "./stats.ts";

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

export interface CheckSummary {
  name: string;
  passes: number;
  fails: number;
}

export interface ScenarioSummary {
  name: string;
  stats: Stats;
  steps: StepSummary[];
}

export interface RunSummary {
  global: Stats;
  scenarios: ScenarioSummary[];
}
