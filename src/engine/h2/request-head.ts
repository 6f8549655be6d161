// A PreparedRequest as HTTP/2 pseudo-headers and headers, built once per request and engine.
import type { OutgoingHttpHeaders } from "node:http2";
import type { PreparedRequest } from "../types.ts";

const USER_AGENT = "indus/0.1";
/** Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2); Host becomes :authority. */
const DROPPED = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"]);
const FRAME_HEADER = 9;
const MAX_FRAME = 16_384;

export interface H2RequestHead {
  /** scheme://host:port — the connection key */
  readonly origin: string;
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: number;
  readonly headers: OutgoingHttpHeaders;
  /** An estimate of the bytes on the wire: frame headers plus header fields as literals (HPACK only shrinks them). */
  readonly bytesOut: number;
}

export function buildRequestHead(request: PreparedRequest): H2RequestHead {
  const url = request.url;
  const secure = url.protocol === "https:";
  const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let authority = url.host;
  let agent = true;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === "host") authority = value;
    if (lower === "user-agent") agent = false;
    if (DROPPED.has(lower)) continue;
    headers[lower] = value;
  }
  const all: OutgoingHttpHeaders = {
    ":method": request.method,
    ":path": `${url.pathname}${url.search}`,
    ":scheme": secure ? "https" : "http",
    ":authority": authority,
    ...(agent ? { "user-agent": USER_AGENT } : {}),
    ...headers,
  };
  if (request.body !== undefined) all["content-length"] = String(request.body.length);
  let bytesOut = FRAME_HEADER;
  for (const name in all) bytesOut += name.length + String(all[name]).length + 2;
  const body = request.body?.length ?? 0;
  bytesOut += body + FRAME_HEADER * Math.ceil(body / MAX_FRAME);
  return { origin: `${url.protocol}//${url.hostname}:${port}`, secure, hostname, port, headers: all, bytesOut };
}

/** The size of a response head on the wire, estimated as for requests. */
export function responseHeadSize(headers: Record<string, string | string[] | undefined>): number {
  let size = FRAME_HEADER;
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) for (const v of value) size += name.length + v.length + 2;
    else if (value !== undefined) size += name.length + String(value).length + 2;
  }
  return size;
}

export { FRAME_HEADER };
