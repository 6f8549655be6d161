// The server-side tally behind /__stats: requests served, per path, and distinct client connections.

export interface MockStats {
  /** requests answered, /__stats excluded */
  requests: number;
  byPath: Record<string, number>;
  /**
   * Distinct client connections seen (address and port of the client end).
   * A port the OS reuses after a connection closed counts once, so over very many
   * short-lived connections this is a lower bound.
   */
  connections: number;
}

export interface RequestCounts {
  record(path: string, client: { address: string; port: number } | null): void;
  snapshot(): MockStats;
}

export function createRequestCounts(): RequestCounts {
  let requests = 0;
  const byPath = new Map<string, number>();
  const portsByAddress = new Map<string, Set<number>>();
  return {
    record(path, client) {
      requests++;
      byPath.set(path, (byPath.get(path) ?? 0) + 1);
      if (client === null) return;
      let ports = portsByAddress.get(client.address);
      if (ports === undefined) {
        ports = new Set();
        portsByAddress.set(client.address, ports);
      }
      ports.add(client.port);
    },
    snapshot() {
      let connections = 0;
      for (const ports of portsByAddress.values()) connections += ports.size;
      return { requests, byPath: Object.fromEntries(byPath), connections };
    },
  };
}
