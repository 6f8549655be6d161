// Where a local run's VUs run: in this thread when it gets one worker and runs no scripts, else on worker threads.
import type { Clock } from "../../core/clock.ts";
import type { Plan } from "../../plan/types.ts";
import { enginesForPlan } from "../plan-engines.ts";
import { createInThreadExecutor, type LoadExecutor } from "../runner/executor.ts";
import { createWorkerPoolExecutor, type WorkerPoolOptions } from "./pool.ts";

/**
 * One worker thread beside an idle main thread costs a second JavaScript VM: its start (~20 ms of CPU), its own JIT
 * compiling the same hot code again, a message each way every second and ~12 MB. With one worker the VUs run here
 * instead, measured by the same generator monitor (this thread's CPU now includes the run's bookkeeping, a few ms a
 * second). A plan with scripts keeps its worker: a script that blocks would stall the run loop and the live output
 * with it, where on a worker it only shows as generator lag.
 */
export function runsInThread(plan: Plan, workers: number): boolean {
  return workers === 1 && plan.scenarios.every((sc) => sc.script === undefined);
}

/** The executor for a local run: in this thread (see runsInThread) or a worker pool. */
export async function createLoadExecutor(plan: Plan, options: WorkerPoolOptions, clock: Clock): Promise<LoadExecutor> {
  if (!runsInThread(plan, options.workers) || options.faults !== undefined) return createWorkerPoolExecutor(plan, options);
  const executor = createInThreadExecutor(plan, enginesForPlan(plan, options.engine, options.engineOptions), clock, {
    spreadMs: options.spreadMs,
    part: options.part,
  });
  await executor.ready;
  return executor;
}
