// Channel and server options shared by every indus gRPC endpoint, and how a gRPC status reads to a person.
import { type ChannelOptions, status } from "@grpc/grpc-js";

// Reports carry a run's whole timeline: allow far more than grpc-js's 4 MiB default.
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Clients ping every 2 s and give up 2 s later, so a killed or unplugged peer is noticed in seconds. */
export const CLIENT_CHANNEL_OPTIONS: ChannelOptions = {
  "grpc.keepalive_time_ms": 2000,
  "grpc.keepalive_timeout_ms": 2000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};

/** Servers ping their clients too: an agent whose controller vanished stops its VUs even with no traffic. */
export const SERVER_OPTIONS: ChannelOptions = {
  "grpc.keepalive_time_ms": 3000,
  "grpc.keepalive_timeout_ms": 2000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};

/**
 * A status's details travel in an HTTP/2 trailer: past this many characters they are cut at a line end (a refusal
 * 1.2 MB long never arrived; the client saw the call end without a status).
 */
export const MAX_STATUS_DETAILS = 16 * 1024;

/** Details to send with a status: the text, cut at a line end beyond MAX_STATUS_DETAILS, saying how much was cut. */
export function statusDetails(text: string): string {
  if (text.length <= MAX_STATUS_DETAILS) return text;
  const end = text.lastIndexOf("\n", MAX_STATUS_DETAILS);
  const kept = text.slice(0, end > 0 ? end : MAX_STATUS_DETAILS);
  return `${kept}\n… (${(text.length - kept.length).toLocaleString("en-US")} more characters cut)`;
}

/** "UNAUTHENTICATED: unauthenticated: wrong token", from a ServiceError or status object. */
export function describeStatus(s: { code?: number; details?: string; message?: string }): string {
  const name = s.code === undefined ? "UNKNOWN" : (status[s.code] ?? `code ${s.code}`);
  // grpc-js appends an empty "Resolution note: " to connection failures
  const details = (s.details || s.message || "no details").replace(/\s*Resolution note:\s*$/, "");
  return `${name}: ${details}`;
}
