// The `indus status ID` block: run id, state, duration, counts and latency percentiles.
import { formatDuration } from "../../core/duration.ts";
import type { RunState } from "../../run/types.ts";
import type { Stats } from "../../metrics/stats.ts";
import { fixed, wholeMs } from "./format.ts";

export function formatRunStatus(run: { id: string; state: RunState; durationMs: number; global: Stats }): string {
  const g = run.global;
  return [
    `Run: ${run.id}`,
    `State: ${run.state}`,
    `Duration: ${formatDuration(run.durationMs)}`,
    `Requests: ${g.requests} Errors: ${g.errors} RPS: ${fixed(g.rps, 2)}`,
    `p50: ${wholeMs(g.p50)} p95: ${wholeMs(g.p95)} p99: ${wholeMs(g.p99)}`,
  ].join("\n");
}
