// A controller and two agents as real processes: examples run split across agents, counts match the target, exit 0/1/2.
import { describe, expect, test } from "bun:test";
import { createControllerClient } from "../../src/transport/grpc/index.ts";
import { writePlan } from "../helpers.ts";
import { liveRows, startCluster, summaryRequests } from "./harness.ts";
import { agentRows, runIdOf, withTarget } from "./fixture.ts";
import { scheduleOf, shortenedExample } from "./plans.ts";

/** Per-agent records of a finished run, read over the controller's own API (GetReport). */
async function agentRecords(addr: string, runId: string) {
  const client = createControllerClient({ address: addr });
  try {
    return (await client.getReport(runId)).result.agents;
  } finally {
    client.close();
  }
}

describe("controller + two agents (real processes)", () => {
  test.concurrent("ramp example, 6 s: VUs follow the schedule, split 50/50, counts equal the target's, exit 0", () =>
    withTarget(async (g, target) => {
      const file = shortenedExample("ramp-stress", target.url, (doc) => {
        doc.setIn(["scenarios", "api-stress", "duration"], "6s");
        doc.setIn(["scenarios", "api-stress", "profile", "end_vus"], 20);
        doc.setIn(["thresholds", 3, "value"], 10); // rps > 10: the example's 100 is for 200 VUs
      }, g.dir());
      const c = await startCluster(g, { agents: 2 });
      const r = await c.client(["run", file, "--interval", "1s"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("All thresholds passed. Exit code: 0");

      // the live table's VUs column is the sum of both agents' reported VUs: exactly the schedule, second by second
      const schedule = scheduleOf(file);
      const running = liveRows(r.stdout).filter((row) => row.state === "running");
      // (the last second closes with the agents' final snapshots: its row is the "completed" one)
      expect(running.length).toBeGreaterThanOrEqual(schedule.length - 1);
      expect(running.map((row) => row.vus)).toEqual(schedule.slice(0, running.length));

      const total = summaryRequests(r.stdout, "api-stress");
      expect(total).toBeGreaterThan(200);
      expect(Math.abs(total - target.stats().requests) / target.stats().requests).toBeLessThanOrEqual(0.005);

      const agents = await agentRecords(c.addr, runIdOf(r.stdout));
      expect(agents.map((a) => a.id).sort()).toEqual(["agent-1", "agent-2"]);
      expect(agents.every((a) => a.state === "finished")).toBe(true);
      expect(agents[0]!.requests + agents[1]!.requests).toBe(total);
      for (const a of agents) expect(a.requests / total).toBeGreaterThan(0.4);
    }),
    30_000,
  );

  test.concurrent("spike example, 6 s: both agents run half the VUs; a failing threshold exits 1 and says which", () =>
    withTarget(async (g, target) => {
      const file = shortenedExample("multi-scenario-spike", target.url, (doc) => {
        doc.setIn(["scenarios", "browse-users", "duration"], "6s");
        doc.setIn(["scenarios", "checkout-spike", "duration"], "6s");
        doc.setIn(["scenarios", "checkout-spike", "think_time"], "20ms"); // bounded load: the target shares this process
        doc.setIn(["scenarios", "checkout-spike", "profile", "spike_vus"], 20);
        doc.setIn(["scenarios", "checkout-spike", "profile", "spike_at"], "3s");
        doc.setIn(["scenarios", "checkout-spike", "profile", "spike_duration"], "2s");
        // one threshold nobody can meet, next to the example's own, which pass
        (doc.get("thresholds") as { add(v: unknown): void }).add({ metric: "p50", scenario: "browse-users", condition: "<", value: 0.001 });
      }, g.dir());
      const c = await startCluster(g, { agents: 2 });
      const run = c.spawnClient(["run", file, "--interval", "1s"]);
      await run.waitFor(/^running\s+1s/, 15_000, "out");

      // before the spike (1 s < t < 3 s): browse 10 + checkout 5 = 15 VUs, split 8/7 between the agents.
      // `indus agents` is a process of its own: on a loaded machine it may answer once the spike is on
      // (30, split 15/15), so the total is judged against the schedule, the split in any case.
      const agents = await c.client(["agents"]);
      expect(agents.code).toBe(0);
      const rows = agentRows(agents.stdout);
      expect(rows.map((row) => row.state)).toEqual(["active", "active"]);
      const vus = rows.map((row) => row.vus);
      expect([15, 30]).toContain(vus[0]! + vus[1]!);
      expect(Math.abs(vus[0]! - vus[1]!)).toBeLessThanOrEqual(1);

      expect(await run.exited).toBe(1);
      const out = run.stdout();
      expect(out).toMatch(/✗ p50\s+< 0\.001\s+\[browse-users\]\s+actual/);
      expect(out).toMatch(/✓ p95\s+< 2000\s+\[checkout-spike\]\s+actual/);
      expect(out).toContain("1 of 4 thresholds failed. Exit code: 1");
      const running = liveRows(out).filter((row) => row.state === "running");
      expect(scheduleOf(file)).toEqual([15, 15, 15, 30, 30, 15]);
      expect(running.length).toBeGreaterThanOrEqual(5);
      expect(running.map((row) => row.vus)).toEqual(scheduleOf(file).slice(0, running.length));

      const total = summaryRequests(out, "total");
      expect(summaryRequests(out, "browse-users") + summaryRequests(out, "checkout-spike")).toBe(total);
      expect(Math.abs(total - target.stats().requests) / target.stats().requests).toBeLessThanOrEqual(0.005);
    }),
    30_000,
  );

  test.concurrent("a bad plan: the CLI names file:line:path and exits 2; the controller refuses it the same way", () =>
    withTarget(async (g) => {
      const file = writePlan(`name: bad
scenarios:
  get-users:
    duration: 3s
    thinktime: 200ms
    profile:
      type: constant
      vus: -3
    steps:
      - name: a
        url: http://127.0.0.1:1/
`, g.dir());
      const c = await startCluster(g, { agents: 2 });
      const r = await c.client(["run", file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${file}:8:\\d+: scenarios\\.get-users\\.profile\\.vus`));
      expect(r.stderr).toContain(`${file}:5:`);
      expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);

      // the controller validates what it is sent, whatever the client checked: straight to its API
      const client = createControllerClient({ address: c.addr });
      try {
        const refused = await client.submit(await Bun.file(file).text(), file, false).then(
          () => undefined,
          (e: Error & { exitCode?: number }) => e,
        );
        expect(refused?.exitCode).toBe(2);
        expect(refused?.message).toMatch(new RegExp(`${file}:8:\\d+: scenarios\\.get-users\\.profile\\.vus`));
        expect(refused?.message).toContain("think_time");
      } finally {
        client.close();
      }
      // nothing was started on the agents
      const agents = await c.client(["agents"]);
      expect(agentRows(agents.stdout).map((a) => a.state)).toEqual(["idle", "idle"]);
    }),
    30_000,
  );
});
