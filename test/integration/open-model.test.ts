// The open model against a real target: exact arrival counts across agents and workers, a stall the service
// time hides and the intended start shows, drops counted, ramps integrated.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { runFleet } from "./open-model.helpers.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

/** Requests the target answered on a path while `work` ran. */
async function servedDuring<T>(path: string, work: () => Promise<T>): Promise<{ served: number; result: T }> {
  const before = target.stats().byPath[path] ?? 0;
  const result = await work();
  return { served: (target.stats().byPath[path] ?? 0) - before, result };
}

describe("open model", () => {
  test("2,000/s for 10 s is 20,000 ± 20 arrivals, each run (counted by indus and by the target) or counted dropped (2 agents × 2 workers)", async () => {
    const { served, result } = await servedDuring("/healthz", () =>
      runFleet(
        `name: exact-rate
scenarios:
  steady:
    duration: 10s
    profile: { type: constant_rate, rate: 2000, time_unit: 1s, pre_allocated_vus: 40, max_vus: 400 }
    steps:
      - { name: health, url: ${target.url}/healthz }
`,
        { agents: [2, 2] },
      ),
    );
    const steady = result.summary.scenarios[0]!.stats;
    console.log(`exact rate: indus counted ${steady.iterations} iterations, ${steady.requests} requests; the target served ${served}; dropped ${steady.dropped_iterations}; p99 ${steady.p99.toFixed(2)} ms, p99 from intended start ${steady.p99_intended?.toFixed(2)} ms`);
    expect(result.state).toBe("completed");
    // Every one of the 20,000 arrivals is accounted for: it ran (the target served it), or, on a
    // generator short of CPU, was counted as dropped; none vanishes and none is added.
    const dropped = steady.dropped_iterations ?? 0;
    expect(Math.abs(steady.iterations + dropped - 20_000)).toBeLessThanOrEqual(20);
    expect(steady.requests).toBe(steady.iterations);
    expect(steady.requests).toBe(served);
    // a 2-core machine keeps up with 2,000/s: at most a few arrivals found all 400 VUs busy
    expect(dropped).toBeLessThanOrEqual(200);
    const droppedPerSecond = result.timeline.reduce((n, e) => n + (e.snapshot.scenarios.steady?.droppedIterations ?? 0), 0);
    expect(droppedPerSecond).toBe(dropped);
    // each second of the timeline carries its share: no burst at the start, no gap at the end. A second
    // is cut where the agent's heartbeat happened to run, so on a loaded machine one can be a few hundred
    // ms long or short: ±25% still tells a paced run from a burst (4,000 in one second) or a gap (0).
    const perSecond = result.timeline.map((e) => (e.snapshot.scenarios.steady?.iterations ?? 0) + (e.snapshot.scenarios.steady?.droppedIterations ?? 0));
    for (const n of perSecond.slice(1, -1)) expect(Math.abs(n - 2000)).toBeLessThanOrEqual(500);
  }, 30_000);

  test("a 2 s stall: the service-time p99 hides it, the p99 from the intended start shows it", async () => {
    const run = runFleet(`name: stall
scenarios:
  paced:
    duration: 10s
    profile: { type: constant_rate, rate: 100, pre_allocated_vus: 5, max_vus: 5, max_lateness: 5s }
    steps:
      - { name: users, url: ${target.url}/api/users }
`);
    await Bun.sleep(3000);
    target.stall(2000);
    const result = await run;
    const s = result.summary.scenarios[0]!.stats;
    console.log(`stall: service p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(0)} ms; from intended start p50 ${s.p50_intended?.toFixed(2)} p99 ${s.p99_intended?.toFixed(2)} ms; ${s.iterations} iterations, dropped ${s.dropped_iterations}`);
    expect(s.iterations).toBe(1000);
    expect(s.dropped_iterations).toBe(0);
    // only the 5 requests the VUs had sent waited out the stall: 0.5% of them, under the p99
    expect(s.max).toBeGreaterThan(1500);
    expect(s.p99).toBeLessThan(200);
    // the ~200 arrivals due during the stall started late, and their clock ran from when they were due
    expect(s.p99_intended!).toBeGreaterThan(1500);
    expect(s.p95_intended!).toBeGreaterThan(500);
  }, 30_000);

  test("arrivals that find every VU busy at max_vus are counted as dropped, never queued silently", async () => {
    const run = runFleet(`name: drops
scenarios:
  tight:
    duration: 4s
    profile: { type: constant_rate, rate: 50, pre_allocated_vus: 2, max_vus: 2 }
    steps:
      - { name: users, url: ${target.url}/api/users }
thresholds:
  - { metric: dropped_iterations, condition: "<=", value: 0 }
`);
    await Bun.sleep(1000);
    target.stall(1000);
    const result = await run;
    const s = result.summary.scenarios[0]!.stats;
    // 200 arrivals: each one either ran or was dropped; about a second of them (~50) had no VU
    expect(s.iterations + s.dropped_iterations!).toBe(200);
    expect(s.dropped_iterations!).toBeGreaterThan(30);
    expect(s.dropped_iterations!).toBeLessThan(70);
    expect(result.thresholds[0]).toMatchObject({ passed: false, actual: s.dropped_iterations });
    const dropped = result.timeline.reduce((n, e) => n + (e.snapshot.scenarios.tight?.droppedIterations ?? 0), 0);
    expect(dropped).toBe(s.dropped_iterations!);
  }, 20_000);

  test("ramping_rate 0 → 400/s over 4 s, then 4 s at 400/s: 2,400 arrivals, the ramp integrated exactly", async () => {
    const { served, result } = await servedDuring("/healthz", () =>
      runFleet(
        `name: ramp
scenarios:
  ramp:
    duration: 8s
    profile:
      type: ramping_rate
      start_rate: 0
      stages: [{ target: 400, duration: 4s }]
      pre_allocated_vus: 10
      max_vus: 100
    steps:
      - { name: health, url: ${target.url}/healthz }
`,
        { agents: [0, 1] },
      ),
    );
    const s = result.summary.scenarios[0]!.stats;
    // every arrival accounted for: run, or counted as dropped
    expect(Math.abs(s.iterations + (s.dropped_iterations ?? 0) - 2400)).toBeLessThanOrEqual(3);
    expect(served).toBe(s.requests);
    const perSecond = result.timeline.map((e) => (e.snapshot.scenarios.ramp?.iterations ?? 0) + (e.snapshot.scenarios.ramp?.droppedIterations ?? 0));
    // 0→400 linearly: 50, 150, 250, 350 in the first four seconds (± where the heartbeat cut each second:
    // a flat 200/s or a step to 400/s is still far outside)
    expect(Math.abs(perSecond[0]! - 50)).toBeLessThanOrEqual(30);
    expect(Math.abs(perSecond[3]! - 350)).toBeLessThanOrEqual(70);
  }, 30_000);
});
