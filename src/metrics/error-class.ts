// Why a request failed, as metrics count it: the classes every engine reports and every report shows.

/** Why a request failed. A failed request is data, never an exception. */
export const ERROR_CLASSES = [
  "connect_refused",
  "timeout",
  "reset",
  "dns",
  "tls",
  "protocol", // a malformed response: framing, status line or header syntax (the connection is dropped)
  "http_4xx",
  "http_5xx",
  "check",
  "other",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** What a recorder reads of one request's outcome (the engine's RequestResult has more). */
export interface RecordedRequest {
  durationUs: number;
  bytesIn: number;
  bytesOut: number;
  /** null on success */
  error: ErrorClass | null;
}
