// How the controller reaches a remote agent over gRPC: an AgentConnector, and a one-shot Info call.
import { Metadata, type Interceptor } from "@grpc/grpc-js";
import { AgentClient } from "../gen/indus.ts";
import type { AgentConnector } from "../messages.ts";
import { clientTokenInterceptor } from "./auth.ts";
import { CLIENT_CHANNEL_OPTIONS, describeStatus } from "./channel.ts";
import { type AgentInfoData, agentInfoFromProto } from "./codec.ts";
import { type ClientTlsOptions, clientChannel } from "./credentials.ts";
import { clientSession } from "./client-session.ts";

export interface AgentClientOptions {
  token?: string | undefined;
  tls?: ClientTlsOptions | undefined;
}

export interface GrpcAgentConnectorOptions extends AgentClientOptions {
  id: string;
  /** host:port */
  address: string;
}

function makeClient(address: string, options: AgentClientOptions): AgentClient {
  const interceptors: Interceptor[] = options.token ? [clientTokenInterceptor(options.token)] : [];
  const security = clientChannel(address, options.tls);
  return new AgentClient(address, security.credentials, { ...CLIENT_CHANNEL_OPTIONS, ...security.options, interceptors });
}

/** Each open() has its own channel, closed when the conversation ends: nothing lingers between runs. */
export function createGrpcAgentConnector(options: GrpcAgentConnectorOptions): AgentConnector {
  return {
    id: options.id,
    address: options.address,
    open() {
      const client = makeClient(options.address, options);
      const call = client.runScenario(new Metadata());
      return clientSession(call, () => client.close());
    },
  };
}

/** Asks an agent for its state; rejects with the gRPC status (e.g. "UNAVAILABLE: ...") after at most timeoutMs. */
export function agentInfo(address: string, options: AgentClientOptions & { timeoutMs?: number } = {}): Promise<AgentInfoData> {
  const client = makeClient(address, options);
  const deadline = new Date(Date.now() + (options.timeoutMs ?? 3000));
  return new Promise<AgentInfoData>((resolve, reject) => {
    client.info({}, new Metadata(), { deadline }, (err, info) => {
      client.close();
      if (err) return reject(new Error(`agent ${address}: ${describeStatus(err)}`));
      try {
        resolve(agentInfoFromProto(info));
      } catch (e) {
        reject(e);
      }
    });
  });
}
