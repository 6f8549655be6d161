// SIGTERM to an agent mid-run: its VUs stop at once and the controller hears why (the agent used to keep
// sending load through the server's 2 s grace, measured by no one, then vanish as "connection lost").
import { describe, expect, test } from "bun:test";
import { withTarget } from "./fixture.ts";
import { startCluster } from "./harness.ts";
import { constantPlan } from "./plans.ts";

describe("an agent told to stop mid-run", () => {
  test("stops its VUs before it exits, and the controller names the shutdown as the loss", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 2 });
      const run = c.spawnClient(["run", constantPlan({ target: target.url, vus: 4, seconds: 6, policy: "redistribute" }, g.dir()), "--interval", "1s"]);
      await run.waitFor(/^running\s+2s/, 15_000, "out");
      const agent = c.agents[1]!.proc;
      agent.kill("SIGTERM");
      expect(await agent.exited).toBe(0);

      const logs = agent.logs();
      const stopping = logs.findIndex((l) => /stopping all VUs/.test(String(l.msg)));
      expect(stopping).toBeGreaterThanOrEqual(0);
      expect(String(logs[stopping]!.reason)).toContain("agent-2 shutting down (SIGTERM)");
      // the VUs were stopped by the agent itself, before its gRPC server went down
      expect(logs.findIndex((l) => l.msg === "scenario stopped")).toBeGreaterThan(stopping);

      expect(await run.exited).toBe(0);
      expect(run.stdout()).toContain("Agent lost: agent-2");
      const lost = c.controller.logs().find((l) => l.msg === "agent lost" && l.agent_id === "agent-2");
      expect(String(lost?.reason)).toContain("shutting down (SIGTERM)");
    }),
    40_000,
  );
});
