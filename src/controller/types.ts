// What a run reports while it runs and when it ends.
import type { SnapshotAccumulator } from "../metrics/accumulator.ts";
import type { GeneratorSummary } from "../metrics/generator.ts";
import type { ProgressRow, RunState, RunSummary } from "../metrics/run.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Stats } from "../metrics/stats.ts";
import type { ThresholdResult } from "../threshold/index.ts";

/** One second of the run, merged across agents. */
export interface TimelineEntry {
  /** seconds since the run started at the END of this second (1 = the first second) */
  t: number;
  /** active VUs per scenario reported for this second, summed over agents */
  vus: Record<string, number>;
  snapshot: Snapshot;
}

/** The run so far as the controller merged it, histograms decoded: Prometheus reads its latency quantiles from it. */
export type MergedRun = Pick<SnapshotAccumulator, "scenarioNames" | "scope">;

export interface AgentRecord {
  id: string;
  address: string;
  state: "active" | "finished" | "lost" | "failed";
  /** ms since run start when the agent was lost */
  lostAtMs?: number;
  requests: number;
  errors: number;
  /** this agent's own stats over the run (merged from its snapshots) */
  stats?: Stats;
}

export interface RunUpdate {
  runId: string;
  row: ProgressRow;
  thresholds: ThresholdResult[];
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
}
