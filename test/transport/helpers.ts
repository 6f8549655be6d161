// Test helpers for the gRPC transport: a recording controller-side session and bounded waits.
import type { AgentMsg, AgentSession } from "../../src/transport/messages.ts";

export interface Recorded {
  session: AgentSession;
  messages: AgentMsg[];
  closes: string[];
  /** resolves when n messages have arrived */
  count(n: number): Promise<void>;
  /** resolves with the first onClose reason */
  closed(): Promise<string>;
}

export function record(session: AgentSession): Recorded {
  const messages: AgentMsg[] = [];
  const closes: string[] = [];
  let countWaiters: { n: number; resolve: () => void }[] = [];
  let closeWaiters: ((r: string) => void)[] = [];
  session.onMessage((m) => {
    messages.push(m);
    countWaiters = countWaiters.filter((w) => (messages.length >= w.n ? (w.resolve(), false) : true));
  });
  session.onClose((r) => {
    closes.push(r);
    for (const w of closeWaiters) w(r);
    closeWaiters = [];
  });
  return {
    session,
    messages,
    closes,
    count: (n) => (messages.length >= n ? Promise.resolve() : new Promise<void>((resolve) => countWaiters.push({ n, resolve }))),
    closed: () => (closes.length > 0 ? Promise.resolve(closes[0]!) : new Promise<string>((resolve) => closeWaiters.push(resolve))),
  };
}

/** Rejects with `what` if the promise takes longer than ms. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
