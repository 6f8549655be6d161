// TLS options (PEM text) → grpc-js credentials; insecure when none are given.
import { nodeNet, nodeTls } from "../../core/builtins.ts";
import { type ChannelCredentials, type ChannelOptions, credentials, ServerCredentials } from "@grpc/grpc-js";
import { hostOf } from "./listen.ts";

export type Pem = string | Uint8Array;

export interface ServerTlsOptions {
  cert: Pem;
  key: Pem;
  /** CA that signs client certificates: given, clients must present one (mutual TLS) */
  ca?: Pem;
}

export interface ClientTlsOptions {
  /** CA to trust for the server's certificate (the system's roots when absent) */
  ca?: Pem;
  /** client certificate and key, for mutual TLS */
  cert?: Pem;
  key?: Pem;
  /** name to check the server certificate against, when it differs from the address's host */
  serverName?: string;
}

const bytes = (pem: Pem): Buffer => (typeof pem === "string" ? Buffer.from(pem) : Buffer.from(pem));

export function serverCredentials(tls: ServerTlsOptions | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const ca = tls.ca === undefined ? null : bytes(tls.ca);
  return ServerCredentials.createSsl(ca, [{ cert_chain: bytes(tls.cert), private_key: bytes(tls.key) }], ca !== null);
}

/** The Bun runtime refuses an IP address as TLS server name (SNI), which grpc-js sets from the target. */
const IP_TARGET_SNI = "indus-agent.invalid";

export interface ClientChannelSecurity {
  credentials: ChannelCredentials;
  options: ChannelOptions;
}

/**
 * Credentials and channel options for a client of `address` (host:port). For an IP target the
 * certificate is still checked against that IP (its subjectAltName), but the name sent in the TLS
 * hello is a reserved placeholder: RFC 6066 forbids IPs there, and Bun throws on one.
 */
export function clientChannel(address: string, tls: ClientTlsOptions | undefined): ClientChannelSecurity {
  if (!tls) return { credentials: credentials.createInsecure(), options: {} };
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new Error("TLS client certificate and key go together: give both --tls-cert and --tls-key, or neither");
  }
  const host = hostOf(address);
  const ipTarget = !tls.serverName && nodeNet().isIP(host) !== 0;
  const creds = credentials.createSsl(
    tls.ca === undefined ? null : bytes(tls.ca),
    tls.key === undefined ? null : bytes(tls.key),
    tls.cert === undefined ? null : bytes(tls.cert),
    ipTarget ? { checkServerIdentity: (_name, cert) => nodeTls().checkServerIdentity(host, cert) } : {},
  );
  const serverName = tls.serverName ?? (ipTarget ? IP_TARGET_SNI : undefined);
  return { credentials: creds, options: serverName ? { "grpc.ssl_target_name_override": serverName } : {} };
}
