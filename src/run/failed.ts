// The result of a run that broke before it could produce one (an unexpected exception): failed, with the reason.
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import type { Plan } from "../plan/types.ts";
import { summarize } from "./summary.ts";
import type { RunResult } from "./types.ts";

export function failedRunResult(run: { runId: string; plan: Plan; startedAt: Date; durationMs: number; reason: string }): RunResult {
  return {
    runId: run.runId,
    planName: run.plan.name,
    state: "failed",
    reason: run.reason,
    startedAt: run.startedAt,
    durationMs: Math.round(run.durationMs),
    summary: summarize(run.plan, new SnapshotAccumulator(), run.durationMs / 1000),
    thresholds: [],
    passed: false,
    agents: [],
    timeline: [],
  };
}
