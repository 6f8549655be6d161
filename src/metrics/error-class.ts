// Why a request failed, as metrics count it: the classes every engine reports and every report shows.

/** Why a request failed. A failed request is data, never an exception. */
export const ERROR_CLASSES = [
  "connect_refused",
  "timeout",
  "reset",
  "dns",
  "tls",
  "protocol", // a malformed response (framing, status line, header syntax; the connection is dropped), or an HTTP/2 connection error / GOAWAY with an error code
  "http_4xx",
  "http_5xx",
  "check",
  "script", // a scenario script threw in an iteration (engine/script)
  "other",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** What a recorder reads of one request's outcome (the engine's RequestResult has more). */
export interface RecordedRequest {
  durationUs: number;
  bytesIn: number;
  bytesOut: number;
  /** the body once decoded, when the request asked for compression */
  bytesDecoded?: number;
  /** null on success */
  error: ErrorClass | null;
  /** what went wrong, in words, for classes that have kinds ("certificate expired") */
  errorDetail?: string | null;
}
