// Maps the error codes Bun reports for sockets and fetch to indus error classes.
import type { ErrorClass } from "../types.ts";

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA", "DNSException"]);
const REFUSED_CODES = new Set(["ECONNREFUSED", "ConnectionRefused"]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ConnectionClosed", "ECONNABORTED", "UND_ERR_SOCKET"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "TimeoutError", "UND_ERR_CONNECT_TIMEOUT"]);
/** Bun's fetch on a malformed response (measured with bun 1.4.4: bad chunk size, conflicting lengths, a bare CR). */
const PROTOCOL_CODES = new Set(["InvalidHTTPResponse", "InvalidContentLength", "Malformed_HTTP_Response"]);

/** Classifies an error code (Node spellings and Bun's own); unknown codes are "other". */
export function classifyErrorCode(code: string | undefined): ErrorClass {
  if (code === undefined) return "other";
  if (REFUSED_CODES.has(code)) return "connect_refused";
  if (DNS_CODES.has(code)) return "dns";
  if (RESET_CODES.has(code)) return "reset";
  if (TIMEOUT_CODES.has(code)) return "timeout";
  if (PROTOCOL_CODES.has(code)) return "protocol";
  if (isTlsCode(code)) return "tls";
  return "other";
}

/** Certificate verification and handshake failures, as BoringSSL and Node name them. */
export function isTlsCode(code: string): boolean {
  return (
    code === "EPROTO" ||
    code === "HOSTNAME_MISMATCH" ||
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.includes("CERT") ||
    code.startsWith("UNABLE_TO_") ||
    code.startsWith("TLS")
  );
}

/** A certificate the peer presented did not verify (as opposed to a handshake that failed outright). */
export function isCertificateCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return code.includes("CERT") || code.startsWith("UNABLE_TO_") || code === "HOSTNAME_MISMATCH";
}

/** Reads `code` off whatever was thrown or reported. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}
