// Controller: runs plans on agents, merges their snapshots, judges thresholds.
export { startRun, type RunHandle, type RunOptions } from "./run.ts";
export { newRunId } from "./run-id.ts";
export { planTargets } from "./targets.ts";
export type * from "./types.ts";
