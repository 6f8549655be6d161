// What discovery finds, where it looks, and the one interface every source implements.

export type DiscoverySourceKind = "static" | "dns" | "mdns";

/** Where to look for agents, as parsed from --agents / --discover. */
export type AgentSource =
  | { kind: "static"; address: string }
  /** every A/AAAA record of name is an agent at record:port (a Kubernetes headless Service) */
  | { kind: "dns"; name: string; port: number }
  /** agents announcing _indus-agent._tcp on the local network */
  | { kind: "mdns" };

export interface DiscoveredAgent {
  /** static and DNS: the address; mDNS: the agent's TXT id */
  id: string;
  /** host:port, or [v6]:port */
  address: string;
  source: DiscoverySourceKind;
  /** mDNS only: from the TXT record */
  version?: string;
  workers?: number;
}

export interface Discovery {
  /** Starts watching; resolves once every source has made its first attempt (a failed lookup is logged, not thrown). */
  start(): Promise<void>;
  /** The agents known now, in a stable order. */
  agents(): DiscoveredAgent[];
  /** Called with the new list whenever it changes; returns the unsubscribe function. */
  onChange(listener: (agents: DiscoveredAgent[]) => void): () => void;
  stop(): Promise<void>;
}
