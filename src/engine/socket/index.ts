// The socket engine: HTTP/1.1 over Bun's native sockets, one keep-alive connection per client.
import { DEFAULT_TLS, type TlsSettings } from "../tls.ts";
import type { Engine } from "../types.ts";
import { AbortWatch } from "./abort-watch.ts";
import { createWireCache } from "./builder.ts";
import { SocketClient, type SocketClientContext } from "./client.ts";
import { createSocketHandlers } from "./connection.ts";

export interface SocketEngineOptions {
  tls?: TlsSettings;
}

export function createSocketEngine(options: SocketEngineOptions = {}): Engine {
  const tls = options.tls ?? DEFAULT_TLS;
  const context: SocketClientContext = {
    wires: createWireCache(tls),
    handlers: createSocketHandlers(tls.rejectUnauthorized),
    aborts: new AbortWatch(),
    resolved: null,
    timeouts: new Map(),
    parsers: [],
    executor: (resolve) => {
      context.resolved = resolve;
    },
  };
  return {
    name: "socket",
    createClient: () => new SocketClient(context),
  } satisfies Engine;
}
