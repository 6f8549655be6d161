// Local mode (cli composes agent and controller): an in-process agent joined to the controller's run code by the in-process link.
import { createAgent } from "../agent/agent.ts";
import { startRun, type RunHandle } from "../controller/run.ts";
import type { RunUpdate } from "../controller/types.ts";
import type { Clock } from "../core/clock.ts";
import type { LoadExecutor } from "../engine/runner/executor.ts";
import type { Logger } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import { createInProcessConnector } from "../transport/in-process.ts";

export interface LocalRunOptions {
  runId: string;
  plan: Plan;
  clock: Clock;
  logger: Logger;
  workers: number;
  createExecutor: (plan: Plan) => LoadExecutor;
  onUpdate?: (update: RunUpdate) => void;
  gracefulStopMs?: number;
}

export function startLocalRun(options: LocalRunOptions): RunHandle {
  const agent = createAgent({
    id: "local",
    clock: options.clock,
    logger: options.logger,
    workers: options.workers,
    createExecutor: options.createExecutor,
  });
  return startRun({
    runId: options.runId,
    plan: options.plan,
    agents: [createInProcessConnector("local", agent)],
    clock: options.clock,
    logger: options.logger,
    onUpdate: options.onUpdate,
    gracefulStopMs: options.gracefulStopMs,
  });
}
