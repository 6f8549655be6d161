// The engine's public face: pick an HTTP engine by name and prepare a step's request for it.
import { IndusError } from "../core/errors.ts";
import { createFetchEngine } from "./fetch.ts";
import { headerProblem } from "./socket/builder.ts";
import { createSocketEngine } from "./socket/index.ts";
import { acceptEncoding } from "./compression.ts";
import { DEFAULT_TLS, type TlsSettings } from "./tls.ts";
import type { Compression, Engine, PreparedRequest } from "./types.ts";

export * from "./types.ts";
export { createFetchEngine } from "./fetch.ts";
export { createSocketEngine } from "./socket/index.ts";
export { createH2Engine } from "./h2/index.ts";
export { enginesForPlan, tlsSettingsOf } from "./plan-engines.ts";
export type { TlsSettings } from "./tls.ts";

export type EngineName = "socket" | "fetch";

export interface EngineOptions {
  /** rejectUnauthorized defaults to true: certificates are verified unless a plan says otherwise. */
  tls?: Partial<TlsSettings>;
}

export function createEngine(name: EngineName, options: EngineOptions = {}): Engine {
  const tls: TlsSettings = { ...DEFAULT_TLS, ...options.tls };
  switch (name) {
    case "socket":
      return createSocketEngine({ tls });
    case "fetch":
      return createFetchEngine({ tls });
    default:
      throw new IndusError("engine_unknown", `unknown engine ${JSON.stringify(name)}`, { hint: 'use "socket" or "fetch"' });
  }
}

export interface RequestStep {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** ms */
  timeout: number;
  /** sets Accept-Encoding (unless the step does) and asks the engine to decode the body */
  compression?: Compression | undefined;
}

/** Parses and checks a step once, so the hot path only ever sees ready requests. Throws IndusError (exit code 2). */
export function prepareRequest(step: RequestStep): PreparedRequest {
  let url: URL;
  try {
    url = new URL(step.url);
  } catch {
    throw new IndusError("request_invalid", `invalid URL ${JSON.stringify(step.url)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new IndusError("request_invalid", `unsupported URL scheme ${url.protocol} in ${step.url}`, { hint: "indus speaks http and https" });
  }
  const method = step.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new IndusError("request_invalid", `invalid HTTP method ${JSON.stringify(step.method)}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.headers)) {
    const problem = headerProblem(name, value);
    if (problem !== null) throw new IndusError("request_invalid", `${step.url}: ${problem}`);
    headers[name] = value;
  }
  const compression = step.compression;
  if (compression !== undefined && !Object.keys(headers).some((n) => n.toLowerCase() === "accept-encoding")) headers["Accept-Encoding"] = acceptEncoding(compression);
  const request: PreparedRequest = {
    method,
    url,
    headers,
    body: step.body === undefined ? undefined : new TextEncoder().encode(step.body),
    timeout: step.timeout,
  };
  if (compression !== undefined) request.compression = compression;
  return request;
}
