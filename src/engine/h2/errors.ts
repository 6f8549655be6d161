// How HTTP/2 failures fold into indus error classes: connection-level (GOAWAY with an error, a malformed frame) is
// `protocol`, a stream reset is `reset`; socket and TLS failures keep their usual classes.
import { classifyErrorCode, errorCode, isTlsCode } from "../socket/errors.ts";
import { tlsProblem } from "../tls.ts";
import type { ErrorClass } from "../types.ts";

export interface Classified {
  error: ErrorClass;
  detail: string | null;
}

/** Codes node:http2 (and Bun's) give a connection that broke the protocol or was torn down by GOAWAY. */
const PROTOCOL_CODES = new Set([
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_ERROR",
  "ERR_HTTP2_INVALID_SESSION",
  "ERR_HTTP2_INVALID_HEADER_VALUE",
  "ERR_HTTP2_INVALID_INFO_STATUS",
  "ERR_HTTP2_STATUS_INVALID",
  "ERR_HTTP2_PING_CANCEL",
  "ERR_HTTP2_SETTINGS_CANCEL",
  "ERR_HTTP2_ALTSVC_INVALID_ORIGIN",
]);

export function classifyH2Error(error: unknown): Classified {
  const code = errorCode(error);
  if (code === undefined) return { error: "other", detail: null };
  if (PROTOCOL_CODES.has(code)) return { error: "protocol", detail: null };
  if (code === "ERR_HTTP2_STREAM_ERROR" || code === "ERR_HTTP2_STREAM_CANCEL") return { error: "reset", detail: null };
  if (isTlsCode(code)) return { error: "tls", detail: tlsProblem(code, (error as Error).message) };
  const error_ = classifyErrorCode(code);
  return { error: error_, detail: null };
}
