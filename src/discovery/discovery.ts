// One Discovery over every source the flags named: the union of their agents, one per address.
import type { Logger } from "../observability/logger.ts";
import { createAgentList } from "./agent-list.ts";
import { createDnsDiscovery } from "./dns.ts";
import { createMdnsDiscovery, type MdnsDiscoveryOptions } from "./mdns.ts";
import { createStaticDiscovery } from "./static.ts";
import type { AgentSource, DiscoveredAgent, Discovery } from "./types.ts";

export interface DiscoveryOptions {
  logger?: Logger;
  /** DNS resolvers to ask, "ip" or "ip:port" (default: the system's) */
  dnsServers?: string[];
  /** DNS re-resolution period (default 10 s) */
  intervalMs?: number;
  dnsTimeoutMs?: number;
  mdns?: Omit<MdnsDiscoveryOptions, "logger">;
}

/** Nothing is resolved or multicast until start(); mDNS only if an mdns source is given. */
export function createDiscovery(sources: readonly AgentSource[], options: DiscoveryOptions = {}): Discovery {
  const { logger } = options;
  const parts: Discovery[] = [];
  const statics = sources.flatMap((s) => (s.kind === "static" ? [s.address] : []));
  if (statics.length > 0) parts.push(createStaticDiscovery(statics));
  for (const s of sources) {
    if (s.kind !== "dns") continue;
    parts.push(
      createDnsDiscovery({
        name: s.name,
        port: s.port,
        ...(options.dnsServers ? { servers: options.dnsServers } : {}),
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        ...(options.dnsTimeoutMs !== undefined ? { timeoutMs: options.dnsTimeoutMs } : {}),
        ...(logger ? { logger } : {}),
      }),
    );
  }
  if (sources.some((s) => s.kind === "mdns")) parts.push(createMdnsDiscovery({ ...options.mdns, ...(logger ? { logger } : {}) }));

  const list = createAgentList();
  const recompute = () => {
    const byAddress = new Map<string, DiscoveredAgent>();
    for (const p of parts) for (const a of p.agents()) if (!byAddress.has(a.address)) byAddress.set(a.address, a);
    list.set([...byAddress.values()]);
  };
  const unsubscribe: (() => void)[] = [];
  let started = false;

  return {
    async start() {
      if (started) return;
      started = true;
      for (const p of parts) unsubscribe.push(p.onChange(recompute));
      await Promise.all(parts.map((p) => p.start()));
      recompute();
    },
    agents: () => list.get(),
    onChange: (listener) => list.onChange(listener),
    async stop() {
      for (const u of unsubscribe.splice(0)) u();
      await Promise.all(parts.map((p) => p.stop()));
    },
  };
}
