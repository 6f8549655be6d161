// The controller's gRPC face: submit and watch runs, read their records and reports, list agents, abort.
import { type sendUnaryData, Server, type ServerInterceptor, type ServerWritableStream, status } from "@grpc/grpc-js";
import type { RunEvent, RunResult, RunSubmission, RunUpdate } from "../../run/types.ts";
import { IndusError } from "../../core/errors.ts";
import type { Logger } from "../../observability/logger.ts";
import { ControllerService, type ControllerServer, type ProgressUpdate } from "../gen/indus.ts";
import { serverTokenInterceptor } from "./auth.ts";
import { SERVER_OPTIONS, statusDetails } from "./channel.ts";
import { progressToProto, recordToProto, resultToJson } from "./controller-codec.ts";
import { serverCredentials, type ServerTlsOptions } from "./credentials.ts";
import { listen, type GrpcServerHandle } from "./serve.ts";

export interface AgentStatusData {
  id: string;
  address: string;
  state: "idle" | "busy" | "unreachable";
  runId: string;
  vus: number;
  error: string;
  source: string;
}

/** A run the controller holds in memory, as the server streams it (the controller's ActiveRun fits it). */
export interface ServedRun {
  id: string;
  plan: { name: string };
  lastUpdate: RunUpdate | undefined;
  result: RunResult | undefined;
  /** every update from now on, then the result */
  events(): AsyncIterable<RunEvent>;
}

/** What the server needs of the controller (cli/controller.ts composes it from the service and the store). */
export interface ControllerBackend {
  submit(request: RunSubmission): Promise<ServedRun>;
  /** a run in memory (running or recently finished) */
  active(id: string): ServedRun | undefined;
  /** a finished or stored run, with its timeline and plan source */
  stored(id: string): { result: RunResult; planYaml: string; planFile: string } | undefined;
  listRuns(limit: number): RunResult[];
  listAgents(): Promise<AgentStatusData[]>;
  abort(id: string, reason: string): { aborted: boolean; state: string } | undefined;
}

export interface ControllerGrpcServerOptions {
  backend: ControllerBackend;
  address: string;
  token?: string | undefined;
  tls?: ServerTlsOptions | undefined;
  logger?: Logger | undefined;
}

function toStatus(e: unknown): { code: status; details: string } {
  if (e instanceof IndusError) {
    const message = statusDetails(e.message);
    return { code: e.exitCode === 2 ? status.INVALID_ARGUMENT : status.FAILED_PRECONDITION, details: e.hint ? `${message}\nhint: ${e.hint}` : message };
  }
  return { code: status.INTERNAL, details: statusDetails((e as Error)?.message ?? String(e)) };
}

async function streamRun(call: ServerWritableStream<unknown, ProgressUpdate>, run: ServedRun, detach: boolean): Promise<void> {
  let cancelled = false;
  call.on("cancelled", () => (cancelled = true));
  for await (const event of run.events()) {
    if (cancelled) return;
    if (event.kind === "update") {
      call.write(progressToProto(event.update));
      if (detach) break;
    } else {
      const r = event.result;
      const row = { state: r.state, elapsedMs: r.durationMs, vus: 0, rps: r.summary.global.rps, p95: r.summary.global.p95, errorRatio: r.summary.global.error_ratio };
      call.write(progressToProto({ runId: r.runId, row, thresholds: r.thresholds }, r));
    }
  }
  call.end();
}

export async function startControllerGrpcServer(options: ControllerGrpcServerOptions): Promise<GrpcServerHandle> {
  const { backend, logger } = options;
  const interceptors: ServerInterceptor[] = options.token ? [serverTokenInterceptor(options.token, logger)] : [];
  const server = new Server({ ...SERVER_OPTIONS, interceptors });
  const fail = (cb: sendUnaryData<never>, e: unknown) => cb(toStatus(e) as never, null);
  const notFound = (id: string) => ({ code: status.NOT_FOUND, details: `no run ${id}` });

  const impl: ControllerServer = {
    submitRun(call) {
      backend
        .submit({ planYaml: call.request.planYaml, planFile: call.request.planFile || "plan.yaml", inputs: { files: call.request.files, env: call.request.env, shared: call.request.scriptShared } })
        .then((run) => {
          logger?.info("run submitted", { run_id: run.id, plan: run.plan.name, peer: call.getPeer() });
          return streamRun(call, run, call.request.detach);
        })
        .catch((e) => call.emit("error", toStatus(e)));
    },
    watchRun(call) {
      const run = backend.active(call.request.runId);
      if (run) {
        streamRun(call, run, false).catch((e) => call.emit("error", toStatus(e)));
        return;
      }
      const stored = backend.stored(call.request.runId);
      if (!stored) return void call.emit("error", notFound(call.request.runId));
      const r = stored.result;
      const row = { state: r.state, elapsedMs: r.durationMs, vus: 0, rps: r.summary.global.rps, p95: r.summary.global.p95, errorRatio: r.summary.global.error_ratio };
      call.write(progressToProto({ runId: r.runId, row, thresholds: r.thresholds }, r));
      call.end();
    },
    getRun(call, cb) {
      const id = call.request.runId;
      const active = backend.active(id);
      if (active && !active.result) {
        const u = active.lastUpdate;
        return cb(null, {
          runId: active.id,
          planName: active.plan.name,
          state: u?.row.state ?? "pending",
          startedAtMs: 0,
          durationMs: u?.row.elapsedMs ?? 0,
          passed: false,
          scenarios: [],
          thresholds: [],
          agents: [],
        });
      }
      const stored = backend.stored(id);
      if (!stored) return cb(notFound(id), null);
      cb(null, recordToProto(stored.result));
    },
    listRuns(call, cb) {
      try {
        cb(null, { runs: backend.listRuns(call.request.limit || 20).map(recordToProto) });
      } catch (e) {
        fail(cb, e);
      }
    },
    listAgents(_call, cb) {
      backend.listAgents().then(
        (agents) => cb(null, { agents: agents.map((a) => ({ id: a.id, address: a.address, state: a.state, runId: a.runId, vus: a.vus, error: a.error, source: a.source })) }),
        (e) => fail(cb, e),
      );
    },
    getReport(call, cb) {
      const stored = backend.stored(call.request.runId);
      if (!stored) return cb(notFound(call.request.runId), null);
      cb(null, { runId: stored.result.runId, resultJson: resultToJson(stored.result, true), planYaml: stored.planYaml, planFile: stored.planFile });
    },
    abortRun(call, cb) {
      const r = backend.abort(call.request.runId, call.request.reason || "aborted by request");
      if (!r) return cb(notFound(call.request.runId), null);
      logger?.info("run abort requested", { run_id: call.request.runId, aborted: r.aborted });
      cb(null, r);
    },
  };
  server.addService(ControllerService, impl);
  return listen(server, options.address, serverCredentials(options.tls), logger);
}
