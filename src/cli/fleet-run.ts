// `indus run --agents=…` (or --discover=mdns): the controller runs inside the CLI process against those agents.
import { createControllerNode } from "../controller/node.ts";
import type { ActiveRun, ControllerServiceOptions, RunSink } from "../controller/service.ts";
import type { Clock } from "../core/clock.ts";
import { createDiscovery, parseAgentsFlag, parseDiscoverFlag, type AgentSource } from "../discovery/index.ts";
import type { Logger } from "../observability/logger.ts";
import type { PlanInputs } from "../plan/inputs.ts";
import { agentInfo, createGrpcAgentConnector } from "../transport/grpc/index.ts";
import type { CliIo } from "./io.ts";
import { securityFromFlags } from "./security-flags.ts";

export const fleetFlags = {
  agents: { type: "string", description: "Run the controller in this process on these agents: host:port,... and/or dns:NAME:PORT" },
  discover: { type: "string", description: "With no --controller: find the agents to run on (mdns)" },
} as const;

/** mDNS answers come in over a moment: wait this long for the first agent */
const DISCOVER_WAIT_MS = 3000;

export function wantsFleet(args: Record<string, unknown>): boolean {
  return Boolean(args.agents) || Boolean(args.discover);
}

export async function startFleetRun(
  io: CliIo,
  args: Record<string, unknown>,
  run: { planYaml: string; planFile: string; inputs: PlanInputs; clock: Clock; logger: Logger; sink?: RunSink | undefined; onUpdate?: ControllerServiceOptions["onUpdate"] },
): Promise<{ active: ActiveRun; close: () => Promise<void> }> {
  const sources: AgentSource[] = [
    ...(args.agents ? parseAgentsFlag(String(args.agents)) : []),
    ...(args.discover ? parseDiscoverFlag(String(args.discover)) : []),
  ];
  const security = securityFromFlags(io, args);
  const clientOpts = { token: security.token, tls: security.tls ? { ...security.tls } : undefined };
  const discovery = createDiscovery(sources, { logger: run.logger });
  await discovery.start();
  if (discovery.agents().length === 0 && args.discover) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, DISCOVER_WAIT_MS);
      const off = discovery.onChange((agents) => agents.length > 0 && done());
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }
  const node = createControllerNode({
    clock: run.clock,
    logger: run.logger,
    agents: () => discovery.agents(),
    reach: {
      info: (address, timeoutMs) => agentInfo(address, { ...clientOpts, timeoutMs }),
      connect: ({ id, address }) => createGrpcAgentConnector({ id, address, ...clientOpts }),
    },
    ...(run.sink ? { sink: run.sink } : {}),
    ...(run.onUpdate ? { onUpdate: run.onUpdate } : {}),
  });
  try {
    const active = await node.submit({ planYaml: run.planYaml, planFile: run.planFile, inputs: run.inputs });
    return { active, close: () => discovery.stop() };
  } catch (e) {
    await discovery.stop();
    throw e;
  }
}
