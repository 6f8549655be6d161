// `indus run --agents=…`: the controller inside the CLI process, real agent processes; same table, verdict and store.
import { describe, expect, test } from "bun:test";
import { holdClosedPort } from "../helpers.ts";
import { grpcPort, runToEnd, summaryRequests } from "./harness.ts";
import { runIdOf, withTarget } from "./fixture.ts";
import { constantPlan } from "./plans.ts";

describe("indus run --agents (no standing controller)", () => {
  test.concurrent("two agents share the run; counts equal the target's; the run is in the local store; exit 0", () =>
    withTarget(async (g, target) => {
      const agents = await Promise.all(
        [1, 2].map(async (i) => {
          const proc = g.spawn(`agent-${i}`, ["agent", "--id", `agent-${i}`, "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--workers", "1"]);
          return `127.0.0.1:${await grpcPort(proc)}`;
        }),
      );
      const plan = constantPlan({ target: target.url, vus: 4, seconds: 3 }, g.dir());
      const r = await runToEnd(g, ["run", plan, `--agents=${agents.join(",")}`, "--data-dir", g.dataDir, "--interval", "1s"]);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
      const total = summaryRequests(r.stdout, "steady");
      expect(total).toBeGreaterThan(20);
      expect(total).toBe(target.stats().requests);
      const status = await runToEnd(g, ["status", runIdOf(r.stdout), "--data-dir", g.dataDir]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain("completed");
    }),
    30_000,
  );

  test.concurrent("an unreachable agent: exit 2 naming it, nothing runs; --agents with --controller: exit 2", () =>
    withTarget(async (g, target) => {
      const closed = await holdClosedPort();
      const dead = `127.0.0.1:${closed.port}`;
      try {
        const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
        const r = await runToEnd(g, ["run", plan, `--agents=${dead}`, "--data-dir", g.dataDir]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`agent ${dead} is unreachable`);
        expect(target.stats().requests).toBe(0);
        const both = await runToEnd(g, ["run", plan, `--agents=${dead}`, "--controller=127.0.0.1:1"]);
        expect(both.code).toBe(2);
        expect(both.stderr).toContain("--agents/--discover run the controller in this process");
      } finally {
        closed.release();
      }
    }),
    30_000,
  );
});
