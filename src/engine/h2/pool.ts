// Where a VU's streams go: its own connection per origin (default), or one of N connections the engine shares.
import type { SecureClientSessionOptions } from "node:http2";
import { H2Connection } from "./connection.ts";

/** Hands out a connection for an origin; `fresh` says it was opened for this request. */
export interface ConnectionSource {
  get(origin: string, options: () => SecureClientSessionOptions): { conn: H2Connection; fresh: boolean };
  /** Closes the connections this source owns. */
  close(): void;
}

/** One connection per origin, owned by one VU: its streams run one at a time, as a browser tab's would not. */
export function ownConnections(): ConnectionSource {
  const byOrigin = new Map<string, H2Connection>();
  return {
    get(origin, options) {
      const conn = byOrigin.get(origin);
      if (conn !== undefined && !conn.gone) return { conn, fresh: false };
      const opened = new H2Connection(origin, options());
      byOrigin.set(origin, opened);
      return { conn: opened, fresh: true };
    },
    close() {
      for (const conn of byOrigin.values()) conn.close();
      byOrigin.clear();
    },
  };
}

/**
 * N connections per origin shared by every VU of the engine, streams multiplexed over them: a new request
 * goes to a missing or lost connection first (so N open), else to the one with the fewest streams.
 */
export function sharedConnections(count: number): ConnectionSource {
  const byOrigin = new Map<string, (H2Connection | undefined)[]>();
  return {
    get(origin, options) {
      let slots = byOrigin.get(origin);
      if (slots === undefined) {
        slots = new Array<H2Connection | undefined>(count).fill(undefined);
        byOrigin.set(origin, slots);
      }
      let best: H2Connection | undefined;
      for (let i = 0; i < slots.length; i++) {
        const conn = slots[i];
        if (conn === undefined || conn.gone) {
          const opened = new H2Connection(origin, options());
          slots[i] = opened;
          return { conn: opened, fresh: true };
        }
        if (best === undefined || conn.active - conn.limit() < best.active - best.limit()) best = conn;
      }
      return { conn: best!, fresh: false };
    },
    close() {
      for (const slots of byOrigin.values()) for (const conn of slots) conn?.close();
      byOrigin.clear();
    },
  };
}
