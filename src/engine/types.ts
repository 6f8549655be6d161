// The Engine interface: how a VU sends one step's request. Every engine passes the same test suite.

/** Why a request failed. A failed request is data, never an exception. */
export const ERROR_CLASSES = [
  "connect_refused",
  "timeout",
  "reset",
  "dns",
  "tls",
  "http_4xx",
  "http_5xx",
  "other",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** A step's request, prepared once per plan (URL parsed, headers merged), reused on every iteration. */
export interface PreparedRequest {
  method: string;
  url: URL;
  /** Header names as written; the engine adds Host, Content-Length, Connection as needed. */
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** ms */
  timeout: number;
}

/** Outcome of one request. Reused objects are allowed: callers must read it before the next send. */
export interface RequestResult {
  /** HTTP status, or 0 when no response was received. */
  status: number;
  /** Microseconds from the first byte written (or connect start, if a connection was opened) to the last byte of the response. */
  durationUs: number;
  /** Response bytes read, headers included. */
  bytesIn: number;
  /** Request bytes written, headers included. */
  bytesOut: number;
  /** null on success (status < 400). */
  error: ErrorClass | null;
  /** Whether this request opened a new connection. */
  connected: boolean;
}

/** One VU's connection to targets: the socket engine keeps one keep-alive connection per client. */
export interface HttpClient {
  send(request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult>;
  /** Closes any open connection; the client may be used again afterwards (it reconnects). */
  close(): void;
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
