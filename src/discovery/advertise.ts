// `indus agent --advertise`: announces this agent over mDNS as _indus-agent._tcp, with its id in TXT.
import type { Logger } from "../observability/logger.ts";
import { closeBonjour, openBonjour, SERVICE_TYPE } from "./mdns-socket.ts";

export interface AdvertiseOptions {
  id: string;
  /** the agent's gRPC port */
  port: number;
  version: string;
  workers: number;
  /** interface name or IPv4 address to announce on (default: all) */
  interface?: string;
  logger?: Logger;
}

export interface Advertisement {
  /** Says goodbye (so browsers drop the agent at once) and closes the socket. */
  stop(): Promise<void>;
}

export function advertiseAgent(options: AdvertiseOptions): Advertisement {
  const { logger } = options;
  const bonjour = openBonjour(options.interface, (e) => logger?.warn("mDNS error", { error: e.message }));
  const service = bonjour.publish({
    name: options.id,
    type: SERVICE_TYPE,
    port: options.port,
    txt: { id: options.id, version: options.version, workers: String(options.workers) },
  });
  service.on("up", () => logger?.info("agent advertised over mDNS", { agent_id: options.id, addr: `_${SERVICE_TYPE}._tcp port ${options.port}` }));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => bonjour.unpublishAll(() => resolve())).then(() => closeBonjour(bonjour));
      return stopping;
    },
  };
}
