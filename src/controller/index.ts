// Controller: runs plans on agents, merges their snapshots, judges thresholds.
export { startRun, type RunHandle, type RunOptions } from "./run.ts";
export { createRunMachine, runStep, type RunCommand, type RunMachineEvent, type RunMachineState } from "./run-machine.ts";
export { createRunBook, type RunBook } from "./run-book.ts";
export { createControllerNode, type ControllerNode, type AgentReach } from "./node.ts";
export { newRunId } from "./run-id.ts";
export { planTargets } from "./targets.ts";
export type * from "./types.ts";
