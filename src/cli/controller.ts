// `indus controller`: coordinates agents over gRPC, splits VUs, merges snapshots, judges thresholds, stores runs.
import { defineCommand } from "citty";
import { combineSinks, createControllerService, type ActiveRun, type RunSink } from "../controller/service.ts";
import type { RunResult } from "../run/types.ts";
import { createRealClock } from "../core/clock.ts";
import { ExitCode, IndusError } from "../core/errors.ts";
import { createDiscovery, parseAgentsFlag, parseDiscoverFlag, type AgentSource, type DiscoveredAgent } from "../discovery/index.ts";
import { createControllerMetrics, createRegistry } from "../observability/index.ts";
import type { Logger } from "../observability/logger.ts";
import { resultOfStored } from "../store/index.ts";
import {
  agentInfo,
  assertSafeListen,
  createGrpcAgentConnector,
  startControllerGrpcServer,
  type AgentStatusData,
  type ClientTlsOptions,
} from "../transport/grpc/index.ts";
import type { AgentConnector } from "../transport/messages.ts";
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

  const resolveAgents = async (): Promise<AgentConnector[]> => {
    const known = discovery.agents();
    const infos = await Promise.all(
      known.map(async (k) => {
        try {
          return { k, info: await agentInfo(k.address, { ...clientOpts, timeoutMs: 3000 }) };
        } catch (e) {
          return { k, error: (e as Error).message };
        }
      }),
    );
    const problems = infos.filter((i) => i.error || i.info?.state === "busy");
    if (problems.length > 0) {
      const lines = problems.map((p) => (p.error ? `agent ${p.k.address} is unreachable: ${p.error}` : `agent ${p.info!.id} (${p.k.address}) is busy with run ${p.info!.runId}`));
      throw new IndusError("agents_unready", lines.join("\n"), { hint: "start the agents, wait for their run to end, or remove them from --agents" });
    }
    return infos.map(({ k, info }) => createGrpcAgentConnector({ id: info!.id, address: k.address, ...clientOpts }));
  };

  const store = tryOpenStore(io, args, logger);
  const aborted = store?.markInFlightAborted() ?? [];
  if (aborted.length) logger.warn("runs left running by a previous controller marked aborted", { runs: aborted.join(",") });
  const plans = new Map<string, ActiveRun["plan"]>();
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
  const dashboard = await startControllerDashboard(args, { security, tls, logger, store, agents: () => Promise.all(discovery.agents().map(statusOf)) });
  const service = createControllerService({
    clock,
    logger,
    agents: resolveAgents,
    sink: combineSinks(metricsSink, store && storeSink(store, "controller", logger), dashboard?.sink),
    onUpdate: (runId, update) => {
      injectedFault("controller-update");
      metrics.onUpdate(runId, update);
      dashboard?.onUpdate(runId, update);
    },
  });
  const unguard = guardProcess(io, logger, (reason) => {
    for (const run of service.runs()) service.abort(run.id, reason);
  });
  dashboard?.watch(service);
  // without a store, finished runs are kept in memory for status and report
  const finished = new Map<string, { result: RunResult; planYaml: string; planFile: string }>();
  const fromStore = (id: string, options?: { timeline?: boolean }) => {
    const run = store?.getRun(id, options);
    if (!run) return undefined;
    const result: RunResult = resultOfStored(run);
    return { result, planYaml: run.planYaml ?? "", planFile: run.planFile ?? "plan.yaml" };
  };
  const statusOf = async (k: DiscoveredAgent): Promise<AgentStatusData> => {
    try {
      const info = await agentInfo(k.address, { ...clientOpts, timeoutMs: 2000 });
      return { id: info.id, address: k.address, state: info.state, runId: info.runId ?? "", vus: info.vus, error: "", source: k.source };
    } catch (e) {
      return { id: k.id, address: k.address, state: "unreachable", runId: "", vus: 0, error: (e as Error).message, source: k.source };
    }
  };

  const server = await startControllerGrpcServer({
    address: grpcAddr,
    token: security.token,
    tls,
    logger,
    backend: {
      async submit(request) {
        const run: ActiveRun = await service.submit(request);
        if (!store) void run.handle.result.then((result) => finished.set(run.id, { result, ...request }));
        return run;
      },
      active: (id) => service.run(id),
      stored: (id) => fromStore(id) ?? finished.get(id) ?? [...finished.values()].find((f) => f.result.runId.startsWith(id)),
      listRuns: (limit) =>
        store
          ? store.listRuns({ limit }).flatMap((r) => fromStore(r.id, { timeline: false })?.result ?? []) // summaries only
          : [...finished.values()].map((f) => f.result).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, limit),
      listAgents: () => Promise.all(discovery.agents().map(statusOf)),
      abort(id, reason) {
        const run = service.run(id);
        if (!run) return undefined;
        const wasAborted = service.abort(run.id, reason);
        return { aborted: wasAborted, state: run.result?.state ?? run.lastUpdate?.row.state ?? "running" };
      },
    },
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
  await service.shutdown(`controller stopped (${signal})`);
  await server.stop({ graceMs: 2000 });
  await metricsServer?.stop();
  await dashboard?.stop();
  unsubscribe();
  await discovery.stop();
  store?.close();
  unguard();
  return ExitCode.ok;
}
