// The HTTP/2 engine on node:http2 as Bun implements it: prior-knowledge h2c, h2 over TLS, or ALPN (`http: auto`).
import type { Engine, HttpClient, PreparedRequest } from "../types.ts";
import { DEFAULT_TLS, type TlsSettings } from "../tls.ts";
import { createAlpnCache } from "./alpn.ts";
import { H2Client, type H2Context } from "./client.ts";
import { sharedConnections } from "./pool.ts";
import type { H2RequestHead } from "./request-head.ts";

export interface H2EngineOptions {
  /** "2": always HTTP/2 (h2c by prior knowledge over http://); "auto": ALPN over TLS, HTTP/1.1 for http:// */
  http?: "2" | "auto";
  /** Connections per origin shared by all of this engine's VUs; undefined: one per VU. */
  connections?: number | undefined;
  tls?: TlsSettings;
  /** `auto`: clients of this engine speak to HTTP/1.1-only origins (the plan's socket or fetch engine). */
  fallback?: Engine;
}

export function createH2Engine(options: H2EngineOptions = {}): Engine & { close(): void } {
  const tls = options.tls ?? DEFAULT_TLS;
  const shared = options.connections === undefined ? null : sharedConnections(options.connections);
  const fallback = options.fallback;
  const ctx: H2Context = {
    tls,
    shared,
    heads: new WeakMap<PreparedRequest, H2RequestHead>(),
    negotiate: options.http === "auto" ? createAlpnCache(tls) : null,
    fallback: options.http === "auto" && fallback !== undefined ? (): HttpClient => fallback.createClient() : null,
  };
  return {
    name: "h2",
    createClient: () => new H2Client(ctx),
    close: () => shared?.close(),
  };
}
