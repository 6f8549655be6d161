// What the mDNS browser and advertiser share: the service type and how bonjour-service's socket is set up.
import { nodeNet } from "../core/builtins.ts";
import type { EventEmitter } from "node:events";
import { networkInterfaces } from "node:os";
import { Bonjour } from "bonjour-service";
import { IndusError } from "../core/errors.ts";

/** Announced and browsed as _indus-agent._tcp.local */
export const SERVICE_TYPE = "indus-agent";

/** An interface name ("eth0") or one of its IPv4 addresses → the address multicast-dns wants. */
export function interfaceAddress(value: string): string {
  if (nodeNet().isIP(value)) return value;
  const v4 = networkInterfaces()[value]?.find((a) => a.family === "IPv4");
  if (!v4) throw new IndusError("bad_flag", `mDNS interface "${value}" has no IPv4 address`, { hint: "name an interface that is up, or give its IPv4 address" });
  return v4.address;
}

/**
 * Opens bonjour-service's multicast socket, on every interface or on one (trap 9: its options need a
 * cast). With an interface we still bind 0.0.0.0: a socket bound to a unicast address hears no multicast.
 */
export function openBonjour(iface: string | undefined, onError: (e: Error) => void): Bonjour {
  const opts = iface ? { interface: interfaceAddress(iface), bind: "0.0.0.0" } : {};
  const bonjour = new Bonjour(opts as unknown as ConstructorParameters<typeof Bonjour>[0], onError);
  // multicast-dns reports EADDRINUSE/EACCES as an "error" event that nobody listens to: it would crash us.
  const mdns = (bonjour as unknown as { server?: { mdns?: EventEmitter } }).server?.mdns;
  mdns?.on("error", onError);
  return bonjour;
}

export function closeBonjour(bonjour: Bonjour): Promise<void> {
  return new Promise((resolve) => bonjour.destroy(() => resolve()));
}
