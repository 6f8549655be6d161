// The agent's gRPC face: RunScenario hands each stream to the agent as a ControllerSession; Info reports its state.
import { Server, type ServerInterceptor, status } from "@grpc/grpc-js";
import type { Logger } from "../../observability/logger.ts";
import { AgentService, type AgentServer } from "../gen/indus.ts";
import type { ControllerSession } from "../messages.ts";
import { serverTokenInterceptor } from "./auth.ts";
import { SERVER_OPTIONS } from "./channel.ts";
import { type AgentInfoData, agentInfoToProto } from "./codec.ts";
import { serverCredentials, type ServerTlsOptions } from "./credentials.ts";
import { listen, type GrpcServerHandle } from "./serve.ts";
import { serverSession } from "./server-session.ts";

/** What the server needs of an agent (src/agent/agent.ts's Agent fits). */
export interface AgentEndpoint {
  accept(session: ControllerSession): void;
  /** what the agent says of itself; its Info answer adds the protocol version it speaks (agentInfoToProto) */
  info(): Omit<AgentInfoData, "protocol">;
}

export interface AgentGrpcServerOptions {
  agent: AgentEndpoint;
  /** "127.0.0.1:0" (a free port), ":50052" (every interface), "host:port" */
  address: string;
  /** every call must carry `authorization: Bearer <token>` */
  token?: string | undefined;
  tls?: ServerTlsOptions | undefined;
  logger?: Logger | undefined;
}

export async function startAgentGrpcServer(options: AgentGrpcServerOptions): Promise<GrpcServerHandle> {
  const { agent, logger } = options;
  const interceptors: ServerInterceptor[] = options.token ? [serverTokenInterceptor(options.token, logger)] : [];
  const server = new Server({ ...SERVER_OPTIONS, interceptors });
  const impl: AgentServer = {
    runScenario(call) {
      const session = serverSession(call, logger?.child({ peer: call.getPeer() }));
      try {
        agent.accept(session);
      } catch (e) {
        logger?.error("agent refused the stream", { reason: (e as Error).message });
        call.emit("error", { code: status.INTERNAL, details: `agent failed: ${(e as Error).message}` });
      }
    },
    info(_call, callback) {
      try {
        callback(null, agentInfoToProto(agent.info()));
      } catch (e) {
        callback({ code: status.INTERNAL, details: (e as Error).message });
      }
    },
  };
  server.addService(AgentService, impl);
  return listen(server, options.address, serverCredentials(options.tls), logger);
}
