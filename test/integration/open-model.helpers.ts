// Runs a plan through the real controller, agents and engine in this process: one agent per entry, each in-thread or on workers.
import { createAgent } from "../../src/agent/agent.ts";
import { createControllerService } from "../../src/controller/service.ts";
import type { RunResult } from "../../src/run/types.ts";
import { createRealClock } from "../../src/core/clock.ts";
import { enginesForPlan, type EngineName } from "../../src/engine/index.ts";
import { createInThreadExecutor } from "../../src/engine/runner/executor.ts";
import { createWorkerPoolExecutor } from "../../src/engine/workers/index.ts";
import { createSilentLogger } from "../../src/observability/logger.ts";
import type { PlanInputs } from "../../src/plan/index.ts";
import { createInProcessConnector } from "../../src/transport/in-process.ts";

export interface FleetOptions {
  /** per agent: 0 runs its VUs in this thread, n > 0 on n worker threads (default one in-thread agent) */
  agents?: number[];
  engine?: EngineName;
  inputs?: PlanInputs;
  planFile?: string;
}

export async function runFleet(planYaml: string, options: FleetOptions = {}): Promise<RunResult> {
  const clock = createRealClock();
  const logger = createSilentLogger();
  const engine = options.engine ?? "socket";
  const agents = (options.agents ?? [0]).map((workers, i) =>
    createAgent({
      id: `agent-${i}`,
      clock,
      logger,
      workers: Math.max(1, workers),
      createExecutor: (plan, part, events) =>
        workers === 0
          ? createInThreadExecutor(plan, enginesForPlan(plan, engine), clock, { part, monitorGenerator: false, onScriptError: events.onScriptError })
          : createWorkerPoolExecutor(plan, { workers, engine, part, onScriptError: events.onScriptError }),
    }),
  );
  const service = createControllerService({
    clock,
    logger,
    agents: () => agents.map((agent, i) => createInProcessConnector(`agent-${i}`, agent)),
  });
  const active = await service.submit({ planYaml, planFile: options.planFile ?? "inline.yaml", inputs: options.inputs });
  return active.handle.result;
}
