// Watching the mock target's request counter: is load still arriving, and when did it stop?
import type { MockServer } from "../../src/mock/index.ts";

/** Requests counted by the target over the next ms. */
export async function requestsDuring(target: MockServer, ms: number): Promise<number> {
  const before = target.stats().requests;
  await Bun.sleep(ms);
  return target.stats().requests - before;
}

/**
 * Samples the counter every 100 ms from now until it has not moved for `quietMs`, or `maxMs` passed.
 * Returns how long after `since` (a performance.now() instant) the last request arrived, or undefined if it never went quiet.
 */
export async function lastRequestAfter(target: MockServer, since: number, opts: { quietMs: number; maxMs: number }): Promise<number | undefined> {
  let last = target.stats().requests;
  let lastChange = performance.now();
  while (performance.now() - since < opts.maxMs) {
    await Bun.sleep(100);
    const now = target.stats().requests;
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange >= opts.quietMs) {
      return Math.max(0, lastChange - since);
    }
  }
  return undefined;
}
