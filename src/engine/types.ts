// The Engine interface: how a VU sends one step's request. Every engine passes the same test suite.

// the classes belong to metrics (which knows no engine); engines report them
import type { ErrorClass } from "../metrics/error-class.ts";
export { ERROR_CLASSES, type ErrorClass } from "../metrics/error-class.ts";

/** A step's request, prepared once per plan (URL parsed, headers merged), reused on every iteration. */
export interface PreparedRequest {
  method: string;
  url: URL;
  /** Header names as written; the engine adds Host, Content-Length, Connection as needed. */
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** ms */
  timeout: number;
  /**
   * Keep the response's head and body for checks and extraction (RequestResult.response).
   * Off for a step with neither: the socket engine then only counts the body's bytes.
   */
  capture?: boolean;
  /**
   * The step's `compression`: Accept-Encoding is set from it (at prepare time) and a response the
   * server encoded so is decoded for checks and extraction; bytesIn stays what crossed the wire.
   */
  compression?: Compression;
}

export const COMPRESSIONS = ["gzip", "br", "deflate", "zstd", "none"] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** A response kept for checks and extraction (PreparedRequest.capture). Text and JSON are made on first use. */
export interface CapturedResponse {
  readonly status: number;
  /** The first value of a header (name in any case), or undefined. */
  header(name: string): string | undefined;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json(): unknown;
}

/** Outcome of one request. Reused objects are allowed: callers must read it before the next send. */
export interface RequestResult {
  /** HTTP status, or 0 when no response was received. */
  status: number;
  /** Microseconds from the first byte written (or connect start, if a connection was opened) to the last byte of the response. */
  durationUs: number;
  /** Response bytes read, headers included. */
  bytesIn: number;
  /** The body's size once decoded, when the request asked for compression (else the body's wire size, or 0). */
  bytesDecoded?: number;
  /** Request bytes written, headers included. */
  bytesOut: number;
  /** null on success (status < 400). */
  error: ErrorClass | null;
  /** What went wrong, in words, for classes that have kinds (tls: "certificate expired", "unknown CA", ...). */
  errorDetail?: string | null;
  /** Whether this request opened a new connection. */
  connected: boolean;
  /** Set-Cookie values of the response, or null (the engines always fill these three in). */
  setCookies?: string[] | null;
  /** Location of the response, or null. */
  location?: string | null;
  /** Head and body, when the request asked for capture; null otherwise. */
  response?: CapturedResponse | null;
}

/** One VU's connection to targets: the socket engine keeps one keep-alive connection per client. */
export interface HttpClient {
  send(request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult>;
  /**
   * send, with the result handed to `callback` instead of a promise: no promise and no microtask per request. The
   * callback may run inside the client's own socket event (the client is done with the request by then, so it may
   * send the next one at once), or at once when the signal has already aborted.
   */
  sendThen?(request: PreparedRequest, signal: AbortSignal, callback: (result: RequestResult) => void): void;
  /** Closes any open connection; the client may be used again afterwards (it reconnects). */
  close(): void;
  /** Between requests for a while (the VU thinks): let go of timers kept armed between sends. */
  idle?(): void;
}

export interface Engine {
  readonly name: string;
  /** One client per VU. */
  createClient(): HttpClient;
}

/** Maps an HTTP status to its error class, or null when it is a success. */
export function classifyStatus(status: number): ErrorClass | null {
  if (status >= 500) return "http_5xx";
  if (status >= 400) return "http_4xx";
  return null;
}

/** A blank result, reused by a client for every request it sends. */
export function emptyResult(): RequestResult {
  return { status: 0, durationUs: 0, bytesIn: 0, bytesOut: 0, error: null, connected: false, setCookies: null, location: null, response: null };
}
