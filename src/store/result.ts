// A stored run read back as the run model: what the controller serves for status and reports.
import type { RunResult } from "../run/types.ts";
import type { StoredRun } from "./types.ts";

export function resultOfStored(run: StoredRun): RunResult {
  const { id, planName, state, reason, startedAt, durationMs, summary, thresholds, passed, agents, timeline, generator, scriptErrors, ...storeOnly } = run;
  // a field added to the run model must come back here too, or be named as the store's own
  const { planYaml: _y, planFile: _f, plan: _p, origin: _o, endedAt: _e, summaryFromTimeline: _s, ...unmapped } = storeOnly;
  const none: Record<string, never> = unmapped;
  void none;
  return {
    runId: id,
    planName,
    state,
    reason,
    startedAt,
    durationMs,
    summary,
    thresholds,
    // a run still going has no verdict yet: not passed
    passed: passed ?? false,
    agents,
    timeline,
    ...(generator ? { generator } : {}),
    ...(scriptErrors ? { scriptErrors } : {}),
  };
}
