// The CLI's client of a remote controller: submit and stream a run, read records, list agents, abort.
import type { PlanInputs } from "../../plan/inputs.ts";
import { type Interceptor, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import type { RunEvent, RunResult } from "../../run/types.ts";
import { IndusError } from "../../core/errors.ts";
import { ControllerClient } from "../gen/indus.ts";
import { clientTokenInterceptor } from "./auth.ts";
import { CLIENT_CHANNEL_OPTIONS, describeStatus } from "./channel.ts";
import { progressFromProto, recordFromProto, resultFromJson } from "./controller-codec.ts";
import type { AgentStatusData } from "./controller-server.ts";
import { type ClientTlsOptions, clientChannel } from "./credentials.ts";

export interface ControllerClientOptions {
  address: string;
  token?: string | undefined;
  tls?: ClientTlsOptions | undefined;
  /** deadline for unary calls (default 10 s) */
  timeoutMs?: number;
}

export interface RemoteRun {
  runId: string;
  events: AsyncIterable<RunEvent>;
}

/** gRPC errors as the user should read them: unreachable or refused input is exit 2. */
export function clientError(address: string, e: ServiceError): IndusError {
  switch (e.code) {
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return new IndusError("controller_unreachable", `cannot reach the controller at ${address}: ${describeStatus(e)}`, {
        hint: "is `indus controller` running there? check --controller, --token and TLS flags",
      });
    case status.UNAUTHENTICATED:
      return new IndusError("unauthenticated", `the controller at ${address} refused the call: ${e.details}`, { hint: "pass the controller's --token (or INDUS_TOKEN)" });
    case status.INVALID_ARGUMENT:
    case status.FAILED_PRECONDITION:
    case status.NOT_FOUND:
      return new IndusError("refused", e.details);
    default:
      return new IndusError("controller_error", `controller ${address}: ${describeStatus(e)}`, { exitCode: 1 });
  }
}

export function createControllerClient(options: ControllerClientOptions) {
  const interceptors: Interceptor[] = options.token ? [clientTokenInterceptor(options.token)] : [];
  const security = clientChannel(options.address, options.tls);
  const client = new ControllerClient(options.address, security.credentials, { ...CLIENT_CHANNEL_OPTIONS, ...security.options, interceptors });
  const deadline = () => ({ deadline: new Date(Date.now() + (options.timeoutMs ?? 10_000)) });
  const unary = <Req, Res>(call: (req: Req, md: Metadata, opts: object, cb: (err: ServiceError | null, res: Res) => void) => unknown, req: Req) =>
    new Promise<Res>((resolve, reject) =>
      call.call(client, req, new Metadata(), deadline(), (err, res) => (err ? reject(clientError(options.address, err)) : resolve(res))),
    );

  return {
    /** Submits a plan; resolves once the controller accepted it (first progress update). */
    async submit(planYaml: string, planFile: string, detach: boolean, inputs: PlanInputs = { files: {}, env: {} }): Promise<RemoteRun> {
      const files = Object.fromEntries(Object.entries(inputs.files).map(([path, bytes]) => [path, Buffer.from(bytes)]));
      const stream = client.submitRun({ planYaml, planFile, detach, files, env: { ...inputs.env }, scriptShared: { ...inputs.shared } });
      const queue: (RunEvent | Error | null)[] = [];
      let wake: (() => void) | undefined;
      const push = (x: RunEvent | Error | null) => {
        queue.push(x);
        wake?.();
      };
      stream.on("data", (m) => {
        const { update, result } = progressFromProto(m);
        push(result ? { kind: "result", result } : { kind: "update", update });
      });
      stream.on("error", (e: ServiceError) => push(e.code === status.CANCELLED ? null : clientError(options.address, e)));
      stream.on("end", () => push(null));
      const next = async (): Promise<RunEvent | Error | null> => {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        return queue.shift()!;
      };
      const first = await next();
      if (first instanceof Error) throw first;
      if (first === null) throw new IndusError("controller_error", `the controller at ${options.address} ended the stream before the run started`);
      const runId = first.kind === "update" ? first.update.runId : first.result.runId;
      const events: AsyncIterable<RunEvent> = {
        async *[Symbol.asyncIterator]() {
          yield first;
          for (;;) {
            const e = await next();
            if (e === null) return;
            if (e instanceof Error) throw e;
            yield e;
          }
        },
      };
      return { runId, events };
    },
    async getRun(runId: string): Promise<RunResult> {
      return recordFromProto(await unary(client.getRun, { runId }));
    },
    async listRuns(limit: number): Promise<RunResult[]> {
      const res = await unary<{ limit: number }, { runs: Parameters<typeof recordFromProto>[0][] }>(client.listRuns, { limit });
      return res.runs.map(recordFromProto);
    },
    async listAgents(): Promise<AgentStatusData[]> {
      const res = await unary<object, { agents: { id: string; address: string; state: string; runId: string; vus: number; error: string; source: string }[] }>(client.listAgents, {});
      return res.agents.map((a) => ({ ...a, state: a.state as AgentStatusData["state"] }));
    },
    async getReport(runId: string): Promise<{ result: RunResult; planYaml: string; planFile: string }> {
      const r = await unary<{ runId: string }, { resultJson: string; planYaml: string; planFile: string }>(client.getReport, { runId });
      return { result: resultFromJson(r.resultJson), planYaml: r.planYaml, planFile: r.planFile };
    },
    async abort(runId: string, reason: string): Promise<{ aborted: boolean; state: string }> {
      return unary(client.abortRun, { runId, reason });
    },
    close(): void {
      client.close();
    },
  };
}

export type ControllerApiClient = ReturnType<typeof createControllerClient>;
