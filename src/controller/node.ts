// The controller as a process: agents checked before each run (reachable, idle), finished runs kept, list and abort.
import type { Clock } from "../core/clock.ts";
import { mapConcurrent } from "../core/concurrent.ts";
import type { Logger } from "../observability/logger.ts";
import { resultOfStored, type RunStore } from "../store/index.ts";
import type { AgentInfoData, AgentStatusData } from "../transport/grpc/index.ts";
import type { AgentConnector } from "../transport/messages.ts";
import { agentProblems, agentProblemText, agentsUnready } from "./unready.ts";
import { createControllerService, type ActiveRun, type ControllerService, type RunSink, type SubmitRequest } from "./service.ts";
import type { RunResult, RunUpdate } from "../run/types.ts";

/** What an agent says about itself (the Info call): the transport's own type. */
export type AgentInfo = AgentInfoData;

/**
 * Agents asked for their Info at once, at most (before a run, and for `indus agents`). Each ask opens a gRPC channel;
 * 8,000 opened together kept the controller's event loop from answering the CLI's keepalive pings for longer than
 * the CLI waits (2 s), and the CLI dropped the connection. 8,000 unreachable agents are listed in about 5 s this way.
 */
export const AGENT_PROBES_AT_ONCE = 256;

/** Why `indus agents` flags an agent that answered: it speaks another protocol version (empty when it does not). */
function versionProblem(address: string, info: AgentInfo): string {
  const problem = agentProblems(address, info, undefined).find((p) => "protocol" in p);
  return problem ? agentProblemText(problem) : "";
}

/** An agent the controller knows of, and how it was found (static, dns, mdns). */
export interface KnownAgent {
  id: string;
  address: string;
  source: string;
}

/** How the controller reaches agents (gRPC in the binary). */
export interface AgentReach {
  info(address: string, timeoutMs: number): Promise<AgentInfo>;
  connect(agent: { id: string; address: string }): AgentConnector;
}

/** One agent as `indus agents` lists it: the shape the controller's gRPC service sends. */
export type AgentStatus = AgentStatusData;

export interface StoredResult {
  result: RunResult;
  planYaml: string;
  planFile: string;
}

export interface ControllerNodeOptions {
  clock: Clock;
  logger: Logger;
  /** the agents known now (discovery); source: how each was found (static, dns, mdns) */
  agents: () => readonly KnownAgent[];
  reach: AgentReach;
  /** the run store, if any: runs in flight when a previous controller died are marked aborted at start */
  store?: RunStore | undefined;
  /** where runs are recorded (store, Prometheus) */
  sink?: RunSink;
  onUpdate?: (runId: string, update: RunUpdate) => void;
  gracefulStopMs?: number;
}

/** What the gRPC server serves. */
export interface ControllerNode {
  /** runs marked aborted at start (left running by a controller that died) */
  readonly recovered: string[];
  /** the runs themselves (the live dashboard follows them) */
  readonly service: ControllerService;
  submit(request: SubmitRequest): Promise<ActiveRun>;
  active(id: string): ActiveRun | undefined;
  stored(id: string): StoredResult | undefined;
  listRuns(limit: number): RunResult[];
  listAgents(): Promise<AgentStatus[]>;
  abort(id: string, reason: string): { aborted: boolean; state: string } | undefined;
  shutdown(reason: string): Promise<void>;
}

export function createControllerNode(options: ControllerNodeOptions): ControllerNode {
  const { store, reach, logger } = options;
  const recovered = store?.markInFlightAborted() ?? [];
  if (recovered.length) logger.warn("runs left running by a previous controller marked aborted", { runs: recovered.join(",") });

  /** Every known agent asked for its Info, AGENT_PROBES_AT_ONCE at a time: what it said, or why it did not answer. */
  const probe = (timeoutMs: number) =>
    mapConcurrent(options.agents(), AGENT_PROBES_AT_ONCE, async (k): Promise<{ k: KnownAgent; info?: AgentInfo; error?: string }> => {
      try {
        return { k, info: await reach.info(k.address, timeoutMs) };
      } catch (e) {
        return { k, error: (e as Error).message };
      }
    });

  /** Every known agent must answer and be idle: a run never starts on part of the fleet by surprise. */
  const readyAgents = async (): Promise<AgentConnector[]> => {
    const infos = await probe(3000);
    const problems = infos.flatMap(({ k, info, error }) => agentProblems(k.address, info, error));
    if (problems.length > 0) throw agentsUnready(problems);
    return infos.map(({ k, info }) => reach.connect({ id: info!.id, address: k.address }));
  };

  const service: ControllerService = createControllerService({
    clock: options.clock,
    logger,
    agents: readyAgents,
    ...(options.sink ? { sink: options.sink } : {}),
    ...(options.onUpdate ? { onUpdate: options.onUpdate } : {}),
    ...(options.gracefulStopMs !== undefined ? { gracefulStopMs: options.gracefulStopMs } : {}),
  });
  // without a store, finished runs are kept in memory for status and report
  const finished = new Map<string, StoredResult>();
  const fromStore = (id: string, opts?: { timeline?: boolean }): StoredResult | undefined => {
    const run = store?.getRun(id, opts);
    return run && { result: resultOfStored(run), planYaml: run.planYaml ?? "", planFile: run.planFile ?? "plan.yaml" };
  };

  return {
    recovered,
    service,
    async submit(request) {
      const run = await service.submit(request);
      if (!store) void run.handle.result.then((result) => finished.set(run.id, { result, planYaml: request.planYaml, planFile: request.planFile }));
      return run;
    },
    active: (id) => service.run(id),
    stored: (id) => fromStore(id) ?? finished.get(id) ?? [...finished.values()].find((f) => f.result.runId.startsWith(id)),
    listRuns: (limit) =>
      store
        ? store.listRuns({ limit }).flatMap((r) => fromStore(r.id, { timeline: false })?.result ?? []) // summaries only
        : [...finished.values()].map((f) => f.result).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, limit),
    listAgents: async () =>
      (await probe(2000)).map(({ k, info, error }): AgentStatus =>
        info !== undefined
          ? { id: info.id, address: k.address, state: info.state, runId: info.runId ?? "", vus: info.vus, error: versionProblem(k.address, info), source: k.source }
          : { id: k.id, address: k.address, state: "unreachable", runId: "", vus: 0, error: error ?? "", source: k.source },
      ),
    abort(id, reason) {
      const run = service.run(id);
      if (!run) return undefined;
      const aborted = service.abort(run.id, reason);
      return { aborted, state: run.result?.state ?? run.lastUpdate?.row.state ?? "running" };
    },
    shutdown: (reason) => service.shutdown(reason),
  };
}
