// A plan's TLS settings for targets, as each client library wants them, and TLS failures named by kind.
import { nodeCrypto, nodeTls } from "../core/builtins.ts";
import type { PeerCertificate } from "node:tls";

/** The plan's `tls:` block with file contents in place (read by the CLI, shipped inside the plan). */
export interface TlsSettings {
  /** false: accept any certificate (insecure_skip_verify) */
  rejectUnauthorized: boolean;
  /** PEM: extra certificate authorities trusted for targets (added to the system's) */
  ca?: string | undefined;
  /** PEM: a client certificate and its key, for targets that ask for one (mTLS) */
  cert?: string | undefined;
  key?: string | undefined;
  /** SNI and the name the certificate is checked against, instead of the URL's host */
  serverName?: string | undefined;
  minVersion?: "TLSv1.2" | "TLSv1.3" | undefined;
}

export const DEFAULT_TLS: TlsSettings = { rejectUnauthorized: true };

/** The host's name to send as SNI: the override, else the URL's host unless it is an IP literal. */
export function sniName(settings: TlsSettings, hostname: string): string | undefined {
  if (settings.serverName !== undefined) return settings.serverName;
  const isIp = hostname.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
  return isIp ? undefined : hostname;
}

/** Options for Bun.connect and fetch's `tls` (BoringSSL): the minimum version goes as SSL_OP_NO_* bits. */
export function bunTlsOptions(settings: TlsSettings, hostname: string) {
  const serverName = sniName(settings, hostname);
  let secureOptions = 0;
  if (settings.minVersion !== undefined) {
    const { constants } = nodeCrypto();
    secureOptions |= constants.SSL_OP_NO_TLSv1 | constants.SSL_OP_NO_TLSv1_1;
    if (settings.minVersion === "TLSv1.3") secureOptions |= constants.SSL_OP_NO_TLSv1_2;
  }
  return {
    rejectUnauthorized: settings.rejectUnauthorized,
    ...(serverName !== undefined ? { serverName } : {}),
    ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
    ...(settings.cert !== undefined ? { cert: settings.cert } : {}),
    ...(settings.key !== undefined ? { key: settings.key } : {}),
    ...(secureOptions !== 0 ? { secureOptions } : {}),
  };
}

/** Options for node:tls / node:http2 connect. */
export function nodeTlsOptions(settings: TlsSettings, hostname: string) {
  const servername = sniName(settings, hostname);
  return {
    rejectUnauthorized: settings.rejectUnauthorized,
    ...(servername !== undefined ? { servername } : {}),
    ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
    ...(settings.cert !== undefined ? { cert: settings.cert } : {}),
    ...(settings.key !== undefined ? { key: settings.key } : {}),
    ...(settings.minVersion !== undefined ? { minVersion: settings.minVersion } : {}),
    // a name override must also be what the certificate is checked against
    ...(settings.serverName !== undefined ? { checkServerIdentity: checkAgainst(settings.serverName) } : {}),
  };
}

/** node:tls's own check, against the overriding name. */
function checkAgainst(name: string) {
  return (_host: string, cert: PeerCertificate) => nodeTls().checkServerIdentity(name, cert);
}

/**
 * The kind of a TLS failure, in the words the summary prints, from the error's code and message
 * (OpenSSL / BoringSSL / Node spellings).
 */
export function tlsProblem(code: string | undefined, message = ""): string {
  const text = `${code ?? ""} ${message}`.toUpperCase();
  if (text.includes("EXPIRED")) return "certificate expired";
  if (text.includes("NOT_YET_VALID") || text.includes("NOT YET VALID")) return "certificate not yet valid";
  if (text.includes("HOSTNAME") || text.includes("ALTNAME") || text.includes("DOES NOT MATCH") || text.includes("MISMATCH")) return "name mismatch";
  if (text.includes("SELF_SIGNED") || text.includes("SELF SIGNED")) return "unknown CA (self-signed certificate)";
  if (text.includes("UNABLE_TO_GET_ISSUER") || text.includes("UNKNOWN_CA") || text.includes("UNABLE_TO_VERIFY") || text.includes("UNKNOWN CA") || text.includes("LOCAL ISSUER"))
    return "unknown CA";
  if (text.includes("WRONG_VERSION_NUMBER") || text.includes("PACKET_LENGTH_TOO_LONG") || text.includes("HTTP_REQUEST")) return "not TLS (the server answered in plain text?)";
  if (text.includes("PROTOCOL_VERSION") || text.includes("UNSUPPORTED_PROTOCOL") || text.includes("NO_PROTOCOLS") || text.includes("VERSION")) return "TLS version refused";
  if (text.includes("CERTIFICATE_REQUIRED") || text.includes("CERTIFICATE REQUIRED") || text.includes("ALERT_HANDSHAKE") || text.includes("HANDSHAKE FAILURE"))
    return "handshake refused (client certificate required?)";
  return `handshake failed (${code ?? (message || "no detail")})`;
}
