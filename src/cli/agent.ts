// `indus agent`: serves RunScenario over gRPC and runs the VUs it is assigned on worker threads.
import { defineCommand } from "citty";
import { createAgent } from "../agent/agent.ts";
import { vetTargets } from "../agent/targets.ts";
import { createRealClock } from "../core/clock.ts";
import { ExitCode, IndusError } from "../core/errors.ts";
import { createWorkerPoolExecutor, defaultWorkerCount } from "../engine/workers/index.ts";
import type { Plan } from "../plan/types.ts";
import { assertSafeListen, startAgentGrpcServer } from "../transport/grpc/index.ts";
import { enumFlag, workersFlag } from "./args.ts";
import type { CliIo } from "./io.ts";
import { logFlags, loggerFromFlags } from "./logging.ts";
import { insecureFlag, securityFlags, securityFromFlags, serverTls } from "./security-flags.ts";
import { untilSignal } from "./wait.ts";
import { faultInjector, guardProcess } from "./crash-guard.ts";
import type { ControllerSession } from "../transport/messages.ts";
import { advertiseAgent } from "../discovery/index.ts";
import { createAgentMetrics, createRegistry } from "../observability/index.ts";
import { serveMetrics } from "./metrics-endpoint.ts";
import { versionInfo } from "./version.ts";
import { createReadiness } from "./readiness.ts";

export const agentArgs = {
  id: { type: "string", description: "Unique agent identifier", default: "agent-0" },
  "grpc-addr": { type: "string", description: "gRPC listen address", default: ":50052" },
  "metrics-addr": { type: "string", description: "Prometheus /metrics, /healthz, /readyz listen address", default: ":9091" },
  workers: { type: "string", description: "Worker threads for VUs (default: one per core)" },
  engine: { type: "string", description: "HTTP engine when the plan names none: socket | fetch", default: "socket" },
  "allow-targets": { type: "string", description: "Comma-separated host[:port] list; steps aimed elsewhere are refused" },
  advertise: { type: "boolean", description: "Announce this agent over mDNS as _indus-agent._tcp", default: false },
  ...securityFlags,
  ...insecureFlag,
  ...logFlags,
} as const;

export const agentCommand = defineCommand({
  meta: { name: "agent", description: "Run VUs for a controller" },
  args: agentArgs,
});

export async function runAgent(io: CliIo, args: Record<string, unknown>, rawArgs: string[] = []): Promise<number> {
  const id = String(args.id);
  const grpcAddr = String(args["grpc-addr"]);
  const workers = workersFlag(args.workers) ?? defaultWorkerCount();
  const defaultEngine = enumFlag("engine", args.engine, ["socket", "fetch"] as const) ?? "socket";
  const logger = loggerFromFlags(io, args, "info").child({ component: "agent", agent_id: id });
  const security = securityFromFlags(io, args);
  const tls = serverTls(security);
  assertSafeListen({ address: grpcAddr, token: security.token, tls, insecure: Boolean(args.insecure) });
  const allowed = parseAllowTargets(args["allow-targets"]);
  const clock = createRealClock();
  const injectedFault = faultInjector(io);

  const registry = createRegistry();
  const agentRef: { state: () => "idle" | "busy" } = { state: () => "idle" };
  const metrics = createAgentMetrics(registry, { agentId: id, version: versionInfo().version, state: () => agentRef.state() });
  const agent = createAgent({
    id,
    clock,
    logger,
    workers,
    onSnapshot: (s) => {
      injectedFault("agent-snapshot");
      metrics.onSnapshot(s);
    },
    createExecutor: async (plan: Plan, part, events) => {
      const executor = await createWorkerPoolExecutor(plan, {
        workers,
        engine: plan.engine ?? defaultEngine,
        part,
        onScriptError: (r) => {
          logger.warn("script error", { scenario: r.scenario, step: r.step, error: r.message, at: r.frame });
          events.onScriptError(r);
        },
      });
      // every worker checked the bundle against the controller's hash before saying ready
      for (const sc of plan.scenarios) if (sc.script) logger.info("script bundle verified", { scenario: sc.name, sha256: sc.script.sha256, bytes: sc.script.bytes });
      return executor;
    },
    vetPlan: (plan) => {
      injectedFault("agent-assign");
      // a script's URLs are known only as it runs: an agent that restricts targets takes no scripts
      const scripted = plan.scenarios.find((sc) => sc.script);
      if (allowed && scripted) return `agent ${id} restricts targets (--allow-targets) and so runs no scripts (scenario ${scripted.name} has one)`;
      return allowed ? vetTargets(plan, allowed) : undefined;
    },
  });
  // the conversations open now: an unexpected exception fails them (the agent runs one run at a time)
  const sessions = new Set<ControllerSession>();
  const endpoint = {
    accept(session: ControllerSession) {
      sessions.add(session);
      session.onClose(() => sessions.delete(session));
      agent.accept(session);
    },
    info: () => agent.info(),
  };
  const unguard = guardProcess(io, logger, (reason) => {
    for (const session of sessions) session.fail?.(`agent ${id}: ${reason}`);
  });
  logger.info("agent gRPC server starting", { addr: grpcAddr });
  const server = await startAgentGrpcServer({ agent: endpoint, address: grpcAddr, token: security.token, tls, logger });
  agentRef.state = () => agent.info().state;
  const readiness = createReadiness(); // listening and not shutting down
  readiness.listening();
  logger.info("agent gRPC server listening", { addr: grpcAddr, port: server.port });
  const metricsAddr = String(args["metrics-addr"]);
  const metricsServer = await serveMetrics(metricsAddr, !rawArgs.some((a) => a.startsWith("--metrics-addr")), registry, readiness.ready, logger);
  const advert = args.advertise ? advertiseAgent({ id, port: server.port, version: versionInfo().version, workers, logger }) : undefined;
  if (advert) logger.info("advertising over mDNS", { addr: `_indus-agent._tcp port ${server.port}` });

  const signal = await untilSignal(io);
  logger.info("agent shutting down", { signal });
  readiness.stopping();
  // a run in progress ends now, not after the server's grace (its VUs went on for 2 s, measured by no one):
  // its VUs stop at once and the controller hears why, as for a lost agent
  for (const session of sessions) {
    if (session.fail) session.fail(`agent ${id} shutting down (${signal})`);
    else session.close();
  }
  let bound: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([agent.idle(), new Promise<void>((r) => (bound = setTimeout(r, 2000)))]);
  clearTimeout(bound);
  await advert?.stop();
  await server.stop({ graceMs: 2000 });
  await metricsServer?.stop();
  metrics.stop();
  unguard();
  return ExitCode.ok;
}

export function parseAllowTargets(value: unknown): Set<string> | undefined {
  if (value === undefined || value === "") return undefined;
  const entries = String(value).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (entries.length === 0) throw new IndusError("bad_flag", "--allow-targets needs at least one host[:port]");
  return new Set(entries);
}
