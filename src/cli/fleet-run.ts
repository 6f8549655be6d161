// `indus run --agents=…` (or --discover=mdns): the controller runs inside the CLI process against those agents.
import { createControllerNode } from "../controller/node.ts";
import type { ActiveRun, ControllerServiceOptions, RunSink } from "../controller/service.ts";
import type { Clock } from "../core/clock.ts";
import { IndusError } from "../core/errors.ts";
import { parseAgentsFlag, parseDiscoverFlag } from "../discovery/parse.ts";
import type { AgentSource, Discovery } from "../discovery/types.ts";
import type { Logger } from "../observability/logger.ts";
import type { PlanInputs } from "../plan/inputs.ts";
import type { CliIo } from "./io.ts";
import { securityFromFlags } from "./security-flags.ts";

export const fleetFlags = {
  agents: { type: "string", description: "Run the controller in this process on these agents: host:port,... and/or dns:NAME:PORT" },
  discover: { type: "string", description: "With no --controller: find the agents to run on (mdns)" },
} as const;

/** mDNS answers come in over a moment: wait this long for the first agent… */
const DISCOVER_FIRST_MS = 3000;
/** …then until the list has been still this long (every agent answers the same query within ~120 ms) */
const DISCOVER_QUIET_MS = 1000;

/** Given at all, even empty (`--agents=`, a bare `--discover`): that is a mistake to refuse, not a local run. */
const given = (v: unknown) => v !== undefined && v !== false;

export function wantsFleet(args: Record<string, unknown>): boolean {
  return given(args.agents) || given(args.discover);
}

/** The sources --agents / --discover name; every bad entry is an exit-2 error (before anything runs). */
export function fleetSources(args: Record<string, unknown>): AgentSource[] {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return [
    ...(given(args.agents) ? parseAgentsFlag(text(args.agents)) : []),
    ...(given(args.discover) ? parseDiscoverFlag(text(args.discover)) : []),
  ];
}

function describeSource(s: AgentSource): string {
  if (s.kind === "static") return s.address;
  if (s.kind === "dns") return `dns:${s.name}:${s.port}`;
  return "mdns";
}

/** mDNS: wait for the first answer, then for the answers to stop coming (not just the first agent). */
function settle(discovery: Discovery): Promise<void> {
  return new Promise<void>((resolve) => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const first = setTimeout(done, DISCOVER_FIRST_MS);
    const off = discovery.onChange(() => {
      clearTimeout(first);
      clearTimeout(quiet);
      quiet = setTimeout(done, DISCOVER_QUIET_MS);
    });
    function done() {
      clearTimeout(first);
      clearTimeout(quiet);
      off();
      resolve();
    }
  });
}

export async function startFleetRun(
  io: CliIo,
  args: Record<string, unknown>,
  run: { planYaml: string; planFile: string; inputs: PlanInputs; clock: Clock; logger: Logger; sink?: RunSink | undefined; onUpdate?: ControllerServiceOptions["onUpdate"] },
): Promise<{ active: ActiveRun; close: () => Promise<void> }> {
  const sources = fleetSources(args);
  const security = securityFromFlags(io, args);
  const clientOpts = { token: security.token, tls: security.tls ? { ...security.tls } : undefined };
  // discovery (mDNS, DNS) and gRPC load only for a run on agents, not at every local run's start
  const { createDiscovery } = await import("../discovery/discovery.ts");
  const { agentInfo, createGrpcAgentConnector } = await import("../transport/grpc/index.ts");
  const discovery = createDiscovery(sources, { logger: run.logger });
  await discovery.start();
  try {
    if (sources.some((s) => s.kind === "mdns")) await settle(discovery);
    if (discovery.agents().length === 0) {
      const where = sources.map(describeSource).join(", ");
      throw new IndusError("agents_unready", `no agents found at ${where}`, {
        hint: sources.some((s) => s.kind === "mdns")
          ? "start the agents with --advertise on this network (mDNS does not cross routers), or list them: --agents=host:port,..."
          : "check that the name has A/AAAA records from this machine's resolver, or list the agents: --agents=host:port,...",
      });
    }
    run.logger.info("running on agents", { agents: discovery.agents().map((a) => `${a.address} (${a.source})`).join(",") });
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
    const active = await node.submit({ planYaml: run.planYaml, planFile: run.planFile, inputs: run.inputs });
    return { active, close: () => discovery.stop() };
  } catch (e) {
    await discovery.stop();
    throw e;
  }
}
