// `indus controller`: coordinates agents over gRPC, splits VUs, merges snapshots, judges thresholds, stores runs.
import { defineCommand } from "citty";
import { createControllerNode } from "../controller/node.ts";
import { combineSinks, type RunSink } from "../controller/service.ts";
import type { Plan } from "../plan/types.ts";
import { createRealClock } from "../core/clock.ts";
import { ExitCode, IndusError } from "../core/errors.ts";
import { createDiscovery, parseAgentsFlag, parseDiscoverFlag, type AgentSource } from "../discovery/index.ts";
import { createControllerMetrics, createRegistry } from "../observability/index.ts";
import type { Logger } from "../observability/logger.ts";
import {
  agentInfo,
  assertSafeListen,
  createGrpcAgentConnector,
  startControllerGrpcServer,
  type ClientTlsOptions,
} from "../transport/grpc/index.ts";
import type { CliIo } from "./io.ts";
import { logFlags, loggerFromFlags } from "./logging.ts";
import { serveMetrics } from "./metrics-endpoint.ts";
import { insecureFlag, securityFlags, securityFromFlags, serverTls, type Security } from "./security-flags.ts";
import { dataDirFlags, storeSink, tryOpenStore } from "./store-access.ts";
import { untilSignal } from "./wait.ts";
import { faultInjector, guardProcess } from "./crash-guard.ts";
import { createReadiness, storeAnswers } from "./readiness.ts";
import { controllerUiFlags, startControllerDashboard } from "./dashboard.ts";

export const controllerArgs = {
  "grpc-addr": { type: "string", description: "gRPC listen address", default: ":50051" },
  "metrics-addr": { type: "string", description: "Prometheus /metrics, /healthz, /readyz listen address (off: none)", default: ":9090" },
  agents: { type: "string", description: "Agents: host:port,host:port (static) and/or dns:NAME:PORT (every A/AAAA record)" },
  discover: { type: "string", description: "Discover agents: mdns" },
  ...dataDirFlags,
  "keep-runs": { type: "string", description: "Runs kept in the store; older ones are pruned", default: "100" },
  ...securityFlags,
  ...insecureFlag,
  ...controllerUiFlags,
  ...logFlags,
} as const;

export const controllerCommand = defineCommand({
  meta: { name: "controller", description: "Coordinate agents, merge metrics, evaluate thresholds" },
  args: controllerArgs,
});

/** The agent side of TLS for the controller: the same CA and (for mutual TLS) the same certificate. */
function agentClientTls(security: Security): ClientTlsOptions | undefined {
  return security.tls ? { ...security.tls } : undefined;
}

export async function runController(io: CliIo, args: Record<string, unknown>, rawArgs: string[] = []): Promise<number> {
  const grpcAddr = String(args["grpc-addr"]);
  const logger: Logger = loggerFromFlags(io, args, "info").child({ component: "controller" });
  const security = securityFromFlags(io, args);
  const tls = serverTls(security);
  assertSafeListen({ address: grpcAddr, token: security.token, tls, insecure: Boolean(args.insecure) });
  const sources: AgentSource[] = [
    ...(args.agents ? parseAgentsFlag(String(args.agents)) : []),
    ...(args.discover ? parseDiscoverFlag(String(args.discover)) : []),
  ];
  const clientOpts = { token: security.token, tls: agentClientTls(security) };
  const clock = createRealClock();
  const injectedFault = faultInjector(io);

  const discovery = createDiscovery(sources, { logger });
  await discovery.start();
  const registry = createRegistry();
  const metrics = createControllerMetrics(registry);
  metrics.setAgents(discovery.agents().length);
  const unsubscribe = discovery.onChange((agents) => {
    metrics.setAgents(agents.length);
    logger.info("agents changed", { agents: agents.map((a) => `${a.address} (${a.source})`).join(",") });
  });

  const store = tryOpenStore(io, args, logger);
  const plans = new Map<string, Plan>();
  const metricsSink: RunSink = {
    begin: (run) => void plans.set(run.id, run.plan),
    second: (runId, entry, merged, agentSnapshots) => {
      // the run loop's own merge: Prometheus reads quantiles from it instead of decoding the second again
      metrics.onSecond(runId, entry, plans.get(runId), merged);
      metrics.snapshotMerged(agentSnapshots);
    },
    finish: (result) => metrics.onResult(result.runId, result),
  };
  // the live dashboard (--ui-addr): one more sink and update listener
  const dashboard = await startControllerDashboard(args, { security, tls, logger, store, agents: () => node.listAgents() });
  const node = createControllerNode({
    clock,
    logger,
    agents: () => discovery.agents(),
    reach: {
      info: (address, timeoutMs) => agentInfo(address, { ...clientOpts, timeoutMs }),
      connect: ({ id, address }) => createGrpcAgentConnector({ id, address, ...clientOpts }),
    },
    store,
    sink: combineSinks(metricsSink, store && storeSink(store, "controller", logger), dashboard?.sink),
    onUpdate: (runId, update) => {
      injectedFault("controller-update");
      metrics.onUpdate(runId, update);
      dashboard?.onUpdate(runId, update);
    },
  });
  const unguard = guardProcess(io, logger, (reason) => {
    for (const run of node.service.runs()) node.service.abort(run.id, reason);
  });
  dashboard?.watch(node.service);

  const server = await startControllerGrpcServer({
    address: grpcAddr,
    token: security.token,
    tls,
    logger,
    backend: node,
  });
  logger.info("controller gRPC server starting", {
    addr: grpcAddr,
    port: server.port,
    agents: discovery.agents().map((a) => a.address).join(","),
  });
  const readiness = createReadiness([storeAnswers(store)]); // listening, not shutting down, run store answering
  readiness.listening();
  const metricsServer = await serveMetrics(String(args["metrics-addr"]), !rawArgs.some((a) => a.startsWith("--metrics-addr")), registry, readiness.ready, logger);

  const signal = await untilSignal(io);
  logger.info("controller shutting down", { signal });
  readiness.stopping();
  await node.shutdown(`controller stopped (${signal})`);
  await server.stop({ graceMs: 2000 });
  await metricsServer?.stop();
  await dashboard?.stop();
  unsubscribe();
  await discovery.stop();
  store?.close();
  unguard();
  return ExitCode.ok;
}
