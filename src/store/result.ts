// A stored run read back as the run model: what the controller serves for status and reports.
import type { RunResult } from "../run/types.ts";
import type { StoredRun } from "./types.ts";

export function resultOfStored(run: StoredRun): RunResult {
  const result: RunResult = {
    runId: run.id,
    planName: run.planName,
    state: run.state,
    reason: run.reason,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    summary: run.summary,
    thresholds: run.thresholds,
    // a run still going has no verdict yet: not passed
    passed: run.passed ?? false,
    agents: run.agents,
    timeline: run.timeline,
  };
  if (run.generator) result.generator = run.generator;
  return result;
}
