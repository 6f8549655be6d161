// The socket engine: HTTP/1.1 over Bun's native sockets, one keep-alive connection per client.
import type { Engine } from "../types.ts";
import { AbortWatch } from "./abort-watch.ts";
import { createWireCache } from "./builder.ts";
import { SocketClient } from "./client.ts";
import { createSocketHandlers } from "./connection.ts";

export interface SocketEngineOptions {
  tls?: { rejectUnauthorized?: boolean };
}

export function createSocketEngine(options: SocketEngineOptions = {}): Engine {
  const rejectUnauthorized = options.tls?.rejectUnauthorized ?? true;
  const context = { wires: createWireCache(rejectUnauthorized), handlers: createSocketHandlers(rejectUnauthorized), aborts: new AbortWatch() };
  return {
    name: "socket",
    createClient: () => new SocketClient(context),
  } satisfies Engine;
}
