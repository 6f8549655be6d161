// The messages between the pool (main thread) and its worker threads: plain, structured-clone data.
import type { Snapshot } from "../../metrics/snapshot.ts";
import type { Plan } from "../../plan/types.ts";
import type { EngineName, EngineOptions } from "../index.ts";
import type { StopMode } from "../runner/executor.ts";
import type { RateAssignment } from "../runner/rate-assignment.ts";
import type { Part } from "../steps/data-feed.ts";
import type { ScriptErrorReport } from "../script/index.ts";

/** Faults a test can ask one worker to simulate; never set outside tests. */
export interface WorkerFault {
  /** Block the worker's event loop this long before answering each "take" (a busy worker). */
  stallTakeMs?: number;
  /** Throw from the "take" handler (a crashing worker). */
  crashOnTake?: boolean;
  /** Burn this many ms of every 100 ms in a busy loop (a saturated load generator). */
  busyLoopMs?: number;
}

export interface WorkerInit {
  type: "init";
  index: number;
  plan: Plan;
  engine: EngineName;
  engineOptions: EngineOptions;
  spreadMs: number;
  /** this worker's part of the run (agents × workers): VU numbers and data rows */
  part?: Part;
  fault: WorkerFault | undefined;
}

export type ToWorker =
  | WorkerInit
  | { type: "setVus"; scenario: string; vus: number }
  | { type: "setRate"; scenario: string; assignment: RateAssignment }
  | { type: "take" }
  | { type: "stop"; mode: StopMode };

export type FromWorker =
  | { type: "ready" }
  | { type: "delta"; snapshot: Snapshot }
  | { type: "stopped"; snapshot: Snapshot }
  | { type: "failed"; message: string }
  | { type: "scriptError"; report: ScriptErrorReport };
