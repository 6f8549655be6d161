// Local mode through the real controller, agent and engine: counts match the server, VUs match the schedule.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startLocalRun } from "../../src/cli/local-run.ts";
import { createRealClock } from "../../src/core/clock.ts";
import { createEngine } from "../../src/engine/index.ts";
import { createInThreadExecutor } from "../../src/engine/runner/executor.ts";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { createSilentLogger } from "../../src/observability/logger.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { scenarioSchedule } from "../../src/schedule/index.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

async function run(yaml: string, engine: "socket" | "fetch" = "socket") {
  const clock = createRealClock();
  const active = await startLocalRun({
    planYaml: yaml.replaceAll("TARGET", target.url),
    planFile: "inline.yaml",
    clock,
    logger: createSilentLogger(),
    workers: 1,
    createExecutor: (p) => createInThreadExecutor(p, createEngine(engine), clock),
  });
  return active.handle.result;
}

describe("local run", () => {
  for (const engine of ["socket", "fetch"] as const) {
    test(`${engine}: requests counted equal requests the server counted (±0.5%)`, async () => {
      const before = target.stats().requests;
      const result = await run(
        `name: count
scenarios:
  hammer:
    duration: 3s
    profile: { type: constant, vus: 16 }
    steps:
      - { name: users, url: TARGET/api/users }
      - { name: health, url: TARGET/healthz }
`,
        engine,
      );
      const served = target.stats().requests - before;
      const counted = result.summary.global.requests;
      expect(counted).toBeGreaterThan(1000);
      expect(Math.abs(counted - served) / served).toBeLessThanOrEqual(0.005);
      expect(result.summary.global.errors).toBe(0);
      expect(result.state).toBe("completed");
    });
  }

  test("VUs active each second equal the schedule", async () => {
    const yaml = `name: steps
scenarios:
  stairs:
    duration: 6s
    think_time: 20ms
    profile: { type: step, start_vus: 2, step_vus: 3, step_duration: 2s }
    steps:
      - { name: users, url: TARGET/api/users }
  spiky:
    duration: 5s
    think_time: 20ms
    profile: { type: spike, base_vus: 1, spike_vus: 6, spike_at: 2s, spike_duration: 2s }
    steps:
      - { name: health, url: TARGET/healthz }
`;
    const result = await run(yaml);
    const plan = parsePlan(yaml.replaceAll("TARGET", target.url), "inline.yaml");
    expect(result.timeline.length).toBe(6);
    for (const sc of plan.scenarios) {
      const schedule = scenarioSchedule(sc);
      // timeline entry t covers second t-1: the VUs reported are those the schedule set for it
      const reported = result.timeline.map((e) => e.vus[sc.name] ?? 0);
      expect(reported.slice(0, schedule.length)).toEqual(schedule);
    }
  }, 20_000); // a 6 s run: longer than bun's default 5 s per test

  test("abort_on_fail ends the run early as failed", async () => {
    const started = performance.now();
    const result = await run(`name: abort
scenarios:
  a:
    duration: 30s
    think_time: 50ms
    profile: { type: constant, vus: 2 }
    steps:
      - { name: missing, url: TARGET/nope }
thresholds:
  - { metric: error_ratio, condition: "<", value: 0.1, abort_on_fail: true, delay: 2s }
`);
    expect(performance.now() - started).toBeLessThan(6000);
    expect(result.state).toBe("failed");
    expect(result.passed).toBe(false);
    expect(result.reason).toContain("abort_on_fail");
    expect(result.summary.global.errorsByClass.http_4xx).toBeGreaterThan(0);
  });
});
