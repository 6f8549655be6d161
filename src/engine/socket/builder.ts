// Request bytes and connect target for a PreparedRequest, built once and cached per engine.
import { bunTlsOptions, type TlsSettings } from "../tls.ts";
import type { PreparedRequest } from "../types.ts";

/** What the socket client needs to send a request: one buffer to write, and where to connect. */
export interface WireRequest {
  /** Request line, headers and body, ready for a single `socket.write`. */
  readonly bytes: Uint8Array;
  readonly hostname: string;
  readonly port: number;
  /** TLS options for `Bun.connect`, or undefined for plain http. */
  readonly tls: ReturnType<typeof bunTlsOptions> | undefined;
  /** scheme://host:port — a connection serves only requests of its own origin. */
  readonly origin: string;
  /** HEAD responses carry no body whatever their headers say. */
  readonly head: boolean;
}

/** Headers the builder writes itself unless the request sets them. */
const OWN_HEADERS = ["host", "user-agent", "connection", "content-length"] as const;
const USER_AGENT = "indus/0.1";
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

export interface WireCache {
  get(request: PreparedRequest): WireRequest;
}

/**
 * Caches wire forms by request object: a PreparedRequest is treated as immutable once sent.
 * One cache per engine, shared by its clients.
 */
export function createWireCache(tls: TlsSettings | boolean): WireCache {
  const cache = new WeakMap<PreparedRequest, WireRequest>();
  const encoder = new TextEncoder();
  return {
    get(request) {
      let wire = cache.get(request);
      if (wire === undefined) {
        wire = buildWireRequest(request, tls, encoder);
        cache.set(request, wire);
      }
      return wire;
    },
  };
}

export function buildWireRequest(
  request: PreparedRequest,
  tls: TlsSettings | boolean,
  encoder: TextEncoder = new TextEncoder(),
): WireRequest {
  const url = request.url;
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") throw new TypeError(`unsupported protocol ${url.protocol} in ${url.href}`);
  const method = request.method.toUpperCase();
  const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
  // URL keeps IPv6 literals in brackets; Bun.connect wants them bare.
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;

  const given = new Set<string>();
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  let lines = "";
  for (const [name, value] of Object.entries(request.headers)) {
    checkHeader(name, value);
    given.add(name.toLowerCase());
    lines += `${name}: ${value}\r\n`;
  }
  const [host, agent, connection, length] = OWN_HEADERS.map((h) => !given.has(h));
  if (host) head += `Host: ${url.host}\r\n`;
  if (agent) head += `User-Agent: ${USER_AGENT}\r\n`;
  head += lines;
  const body = request.body;
  if (length && (body !== undefined || METHODS_WITH_BODY.has(method))) {
    head += `Content-Length: ${body?.length ?? 0}\r\n`;
  }
  if (connection) head += "Connection: keep-alive\r\n";
  head += "\r\n";

  const headBytes = encoder.encode(head);
  let bytes = headBytes;
  if (body !== undefined && body.length > 0) {
    bytes = new Uint8Array(headBytes.length + body.length);
    bytes.set(headBytes, 0);
    bytes.set(body, headBytes.length);
  }
  return {
    bytes,
    hostname,
    port,
    tls: secure ? bunTlsOptions(typeof tls === "boolean" ? { rejectUnauthorized: tls } : tls, hostname) : undefined,
    origin: `${url.protocol}//${url.hostname}:${port}`,
    head: method === "HEAD",
  };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why a header cannot be sent as is, or null when it can. */
export function headerProblem(name: string, value: string): string | null {
  if (!TOKEN.test(name)) return `invalid header name ${JSON.stringify(name)}`;
  if (/[\r\n\0]/.test(value)) return `header ${name}: the value contains CR, LF or NUL`;
  return null;
}

function checkHeader(name: string, value: string): void {
  const problem = headerProblem(name, value);
  if (problem !== null) throw new TypeError(problem);
}
