// Local mode (cli composes agent and controller): the controller service with one in-process agent.
import { createAgent, type AgentOptions } from "../agent/agent.ts";
import { createControllerService, type ActiveRun, type ControllerServiceOptions, type RunSink } from "../controller/service.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../observability/logger.ts";
import type { PlanInputs } from "../plan/inputs.ts";
import type { Plan } from "../plan/types.ts";
import { createInProcessConnector } from "../transport/in-process.ts";

/** The in-process agent's id: what a local run's records and messages name it by. */
export const LOCAL_AGENT = "local";

export interface LocalRunOptions {
  planYaml: string;
  planFile: string;
  /** planYaml, parsed (it is not parsed again) */
  plan?: Plan;
  /** the plan's data files and env values (collectPlanInputs) */
  inputs?: PlanInputs;
  clock: Clock;
  logger: Logger;
  workers: number;
  createExecutor: AgentOptions["createExecutor"];
  sink?: RunSink;
  /** every progress update (the live dashboard) */
  onUpdate?: ControllerServiceOptions["onUpdate"];
  gracefulStopMs?: number;
}

export async function startLocalRun(options: LocalRunOptions): Promise<ActiveRun> {
  const agent = createAgent({
    id: LOCAL_AGENT,
    clock: options.clock,
    logger: options.logger,
    workers: options.workers,
    createExecutor: options.createExecutor,
  });
  const service = createControllerService({
    clock: options.clock,
    logger: options.logger,
    agents: () => [createInProcessConnector(LOCAL_AGENT, agent)],
    sink: options.sink,
    onUpdate: options.onUpdate,
    gracefulStopMs: options.gracefulStopMs,
  });
  return service.submit({ planYaml: options.planYaml, planFile: options.planFile, inputs: options.inputs, parsed: options.plan });
}
