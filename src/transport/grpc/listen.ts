// Listen addresses: ":50052" means every interface, and only loopback may go without a token or TLS.
import { nodeNet } from "../../core/builtins.ts";
import { IndusError } from "../../core/errors.ts";

/** The host part of "host:port", "[v6]:port", ":port", a bare host or a bare IPv6 address ("" for all interfaces). */
export function hostOf(address: string): string {
  if (address.startsWith("[")) {
    const end = address.indexOf("]");
    return end < 0 ? address.slice(1) : address.slice(1, end);
  }
  const colons = address.split(":").length - 1;
  if (colons > 1) return address; // bare IPv6
  return colons === 1 ? address.slice(0, address.lastIndexOf(":")) : address;
}

/** ":50052" → "0.0.0.0:50052", as grpc-js needs it; anything else unchanged. */
export function normalizeListenAddress(address: string): string {
  return address.startsWith(":") ? `0.0.0.0${address}` : address;
}

export function isLoopbackAddress(address: string): boolean {
  const host = hostOf(address).toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const v4 = host.startsWith("::ffff:") ? host.slice("::ffff:".length) : host;
  if (nodeNet().isIP(v4) === 4) return v4.startsWith("127.");
  if (nodeNet().isIP(host) === 6) return host === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(host);
  return false;
}

export interface ListenSafety {
  address: string;
  token?: string | undefined;
  tls?: unknown;
  insecure?: boolean | undefined;
  /** what would make it safe, as the command's flags say it (default: gRPC's "--token or TLS") */
  safeWith?: string;
  /** default: gRPC's, a token shared by the controller and its agents */
  hint?: string;
}

/** Refuses to serve an open port to the network with neither a token nor TLS, unless --insecure says so. */
export function assertSafeListen(options: ListenSafety): void {
  if (options.insecure || options.token || options.tls || isLoopbackAddress(options.address)) return;
  throw new IndusError(
    "unsafe_listen",
    `refusing to listen on ${normalizeListenAddress(options.address)} without ${options.safeWith ?? "--token or TLS"}; pass --insecure to allow`,
    { hint: options.hint ?? "set --token (or INDUS_TOKEN) on the controller and every agent, or listen on 127.0.0.1" },
  );
}
