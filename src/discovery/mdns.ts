// mDNS discovery: agents announcing _indus-agent._tcp appear on "up", leave on goodbye or when they stop answering.
import { nodeNet } from "../core/builtins.ts";
import type { Bonjour, Browser, Service } from "bonjour-service";
import type { Logger } from "../observability/logger.ts";
import { createAgentList, joinHostPort } from "./agent-list.ts";
import { closeBonjour, openBonjour, SERVICE_TYPE } from "./mdns-socket.ts";
import type { DiscoveredAgent, Discovery } from "./types.ts";

export interface MdnsDiscoveryOptions {
  /** interface name or IPv4 address to browse on (default: all) */
  interface?: string;
  /** how often to ask the network again (default 5 s) */
  refreshMs?: number;
  /** an agent not heard from for this long is gone, goodbye or not (default 3 × refreshMs + 1 s) */
  staleMs?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * The address to dial: IPv4 first (trap 9: the fe80:: addresses come without a scope id), the one the
 * announcement came from if it is among them; then a routable IPv6 address.
 */
export function pickAddress(addresses: readonly string[], from: string | undefined): string | undefined {
  const v4 = addresses.filter((a) => nodeNet().isIP(a) === 4);
  if (from && v4.includes(from)) return from;
  if (v4[0]) return v4[0];
  if (from && nodeNet().isIP(from) === 4) return from;
  return addresses.find((a) => nodeNet().isIP(a) === 6 && !/^fe[89ab][0-9a-f]:/i.test(a));
}

/** A browsed service as an agent; undefined when it has no address we can dial. */
export function agentFromService(service: Pick<Service, "name" | "port" | "addresses" | "referer" | "txt">): DiscoveredAgent | undefined {
  const host = pickAddress(service.addresses ?? [], service.referer?.address);
  if (!host) return undefined;
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const agent: DiscoveredAgent = {
    id: typeof txt.id === "string" && txt.id !== "" ? txt.id : service.name,
    address: joinHostPort(host, service.port),
    source: "mdns",
  };
  if (typeof txt.version === "string") agent.version = txt.version;
  const workers = Number(txt.workers);
  if (Number.isInteger(workers) && workers > 0) agent.workers = workers;
  return agent;
}

export function createMdnsDiscovery(options: MdnsDiscoveryOptions = {}): Discovery {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 5000;
  const staleMs = options.staleMs ?? 3 * refreshMs + 1000;
  const list = createAgentList();
  const seen = new Map<string, { agent: DiscoveredAgent; lastSeen: number }>();
  let bonjour: Bonjour | undefined;
  let browser: Browser | undefined;
  let sweep: Browser | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const publish = () =>
    list.set([...seen.values()].map((s) => s.agent).sort((a, b) => a.id.localeCompare(b.id) || a.address.localeCompare(b.address)));

  const up = (service: Service) => {
    const agent = agentFromService(service);
    if (!agent) {
      logger?.warn("mDNS agent has no usable address", { agent_id: service.name });
      return;
    }
    seen.set(service.fqdn, { agent, lastSeen: now() });
    if (publish()) logger?.info("agent found over mDNS", { agent_id: agent.id, addr: agent.address });
  };

  const down = (fqdn: string, why: string) => {
    const gone = seen.get(fqdn);
    if (!gone) return;
    seen.delete(fqdn);
    publish();
    logger?.info(`agent left mDNS (${why})`, { agent_id: gone.agent.id, addr: gone.agent.address });
  };

  // The browser hears announcements and goodbyes; an agent that died without a goodbye is only noticed
  // because it stops answering: a fresh browser asks every refreshMs and refreshes whoever answers.
  const refresh = () => {
    if (!bonjour) return;
    sweep?.stop();
    sweep = bonjour.find({ type: SERVICE_TYPE }, up);
    const cutoff = now() - staleMs;
    for (const [fqdn, s] of [...seen]) if (s.lastSeen < cutoff) down(fqdn, "no answer");
  };

  return {
    async start() {
      if (bonjour) return;
      bonjour = openBonjour(options.interface, (e) => logger?.warn("mDNS error", { error: e.message }));
      browser = bonjour.find({ type: SERVICE_TYPE });
      browser.on("up", up);
      browser.on("srv-update", up);
      browser.on("txt-update", up);
      browser.on("down", (service: Service) => down(service.fqdn, "goodbye"));
      timer = setInterval(refresh, refreshMs);
      timer.unref?.();
    },
    agents: () => list.get(),
    onChange: (listener) => list.onChange(listener),
    async stop() {
      if (timer) clearInterval(timer);
      browser?.stop();
      sweep?.stop();
      const b = bonjour;
      bonjour = undefined;
      if (b) await closeBonjour(b);
    },
  };
}
