// DNS discovery: every A/AAAA record of a name is an agent at record:port, re-resolved on an interval.
import { nodeDnsPromises } from "../core/builtins.ts";
import type { Logger } from "../observability/logger.ts";
import { createAgentList, joinHostPort } from "./agent-list.ts";
import type { Discovery } from "./types.ts";

export interface DnsDiscoveryOptions {
  name: string;
  port: number;
  /** resolvers to ask, "ip" or "ip:port" (default: the system's) */
  servers?: readonly string[];
  /** how often to re-resolve (default 10 s) */
  intervalMs?: number;
  /** per-query timeout (default 2 s) */
  timeoutMs?: number;
  logger?: Logger;
}

// The name (or the family) has no records: that is an answer, and means no agents.
const NO_RECORDS = new Set(["ENOTFOUND", "ENODATA", "NOTFOUND", "NODATA"]);

type Family = "v4" | "v6";

export function createDnsDiscovery(options: DnsDiscoveryOptions): Discovery {
  const { name, port, logger } = options;
  const intervalMs = options.intervalMs ?? 10_000;
  const resolver = new (nodeDnsPromises().Resolver)({ timeout: options.timeoutMs ?? 2000, tries: 2 });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  const list = createAgentList();
  // The last good answer per family: a failed query (timeout, refused) keeps it instead of emptying the fleet.
  const known: Record<Family, string[]> = { v4: [], v6: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const query = async (family: Family): Promise<void> => {
    try {
      const records = family === "v4" ? await resolver.resolve4(name) : await resolver.resolve6(name);
      known[family] = [...new Set(records)].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (NO_RECORDS.has(code)) known[family] = [];
      else if (!stopped) logger?.warn("agent DNS lookup failed, keeping the last answer", { addr: name, family, error: code || (e as Error).message });
    }
  };

  const resolve = async (): Promise<void> => {
    await Promise.all([query("v4"), query("v6")]);
    if (stopped) return;
    const agents = [...known.v4, ...known.v6].map((ip) => {
      const address = joinHostPort(ip, port);
      return { id: address, address, source: "dns" as const };
    });
    if (list.set(agents)) logger?.info("agents from DNS changed", { addr: name, agents: agents.map((a) => a.address).join(",") });
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void resolve().finally(schedule), intervalMs);
    timer.unref?.();
  };

  return {
    async start() {
      if (timer || stopped) return;
      await resolve();
      schedule();
    },
    agents: () => list.get(),
    onChange: (listener) => list.onChange(listener),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      resolver.cancel();
    },
  };
}
