// When each of a step's new VUs starts: a small step at once, a big one spread evenly over the second.

/**
 * The most new VUs that start (and connect) at the same moment: half the default listen backlog of nginx, Node and
 * Bun servers (511), so the burst of connections leaves room for other clients.
 */
export const AT_ONCE_VUS = 256;

/**
 * Start delay, ms, of the `index`-th of `added` VUs that join at once.
 *
 * Up to AT_ONCE_VUS new VUs start together, as wrk, k6's constant-vus and Gatling's atOnceUsers do: a constant
 * profile runs its VUs from its first second, and VUs that start together stay in step against a steady target,
 * which costs both ends fewer wake-ups (measured: 64 VUs against a 50 ms target, 25.2 → 19.3 µs of CPU per request
 * for a 10 s run). A bigger step is spread evenly over `spreadMs` (one schedule second): a burst of thousands of
 * connections could overflow the target's accept queue (a SYN retried after 1 s lands in the first request's
 * latency), and thousands of VUs in step would send their requests in bursts that queue at the target and show in
 * its latencies (measured: 10,000 VUs thinking 1 s in bursts of 250, nginx's p99 3 → 10 ms), which is the tool's
 * doing, not the target's.
 */
export function startDelayMs(index: number, added: number, spreadMs: number): number {
  return added <= AT_ONCE_VUS || !(spreadMs > 0) ? 0 : (spreadMs * index) / added;
}
