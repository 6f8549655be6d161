// A list of agents that tells its listeners when, and only when, it really changes.
import type { DiscoveredAgent } from "./types.ts";

export interface AgentList {
  get(): DiscoveredAgent[];
  /** Replaces the list; returns whether anything changed (listeners are called if so). */
  set(next: DiscoveredAgent[]): boolean;
  onChange(listener: (agents: DiscoveredAgent[]) => void): () => void;
}

const keyOf = (agents: readonly DiscoveredAgent[]) =>
  JSON.stringify(agents.map((a) => [a.id, a.address, a.source, a.version, a.workers]));

export function createAgentList(): AgentList {
  let current: DiscoveredAgent[] = [];
  let key = keyOf(current);
  const listeners = new Set<(agents: DiscoveredAgent[]) => void>();
  return {
    get: () => current.slice(),
    set(next) {
      const nextKey = keyOf(next);
      if (nextKey === key) return false;
      current = next.slice();
      key = nextKey;
      for (const l of [...listeners]) l(current.slice());
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** "10.0.0.1", 50052 → "10.0.0.1:50052"; IPv6 gets brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
