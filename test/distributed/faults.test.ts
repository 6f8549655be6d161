// Faults between real processes: a killed controller or agent, an unreachable or busy agent, Ctrl-C on the CLI.
import { describe, expect, test } from "bun:test";
import { createControllerClient } from "../../src/transport/grpc/index.ts";
import { holdClosedPort } from "../helpers.ts";
import { agentRows, runIdOf, withTarget } from "./fixture.ts";
import { grpcPort, liveRows, poll, runToEnd, startCluster } from "./harness.ts";
import { constantPlan } from "./plans.ts";
import { lastRequestAfter, requestsDuring } from "./target-watch.ts";

describe("a process dies mid-run", () => {
  test.concurrent("controller killed (-9): every agent stops its VUs, the target goes quiet within 6 s", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 2 });
      const run = c.spawnClient(["run", constantPlan({ target: target.url, vus: 4, seconds: 30, thinkMs: 20 }, g.dir()), "--interval", "1s"]);
      await run.waitFor(/^running\s+2s/, 15_000, "out");
      expect(await requestsDuring(target, 300)).toBeGreaterThan(0);

      const killedAt = performance.now();
      c.controller.kill("SIGKILL");
      const quietAfter = await lastRequestAfter(target, killedAt, { quietMs: 1500, maxMs: 9000 });
      expect(quietAfter).toBeDefined();
      expect(quietAfter!).toBeLessThanOrEqual(6000);
      for (const a of c.agents) {
        await a.proc.waitFor(/stopping all VUs/, 2000, "err");
        expect(a.proc.logs().some((l) => l.level === "WARN" && /controller (stream closed|silent)/.test(String(l.msg)))).toBe(true);
      }
      // the CLI does not hang on a dead controller
      expect(await Promise.race([run.exited, Bun.sleep(8000).then(() => "still running")])).not.toBe("still running");
    }),
    30_000,
  );

  /**
   * Two agents, 4 VUs for 10 s; agent-2 is killed once the live table shows second 2. How soon the fleet
   * reacts is judged on the run's own clock (the second the controller records the loss, and the VUs the
   * agents report in the rows after it), not by the test's wall clock, which a loaded machine stretches.
   */
  async function killOneAgent(policy: "continue" | "redistribute" | "abort") {
    return withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 2 });
      const run = c.spawnClient(["run", constantPlan({ target: target.url, vus: 4, seconds: 10, policy }, g.dir()), "--interval", "1s"]);
      await run.waitFor(/^running\s+2s/, 15_000, "out");
      // a second of load each side of the kill: a window of a few hundred ms is mostly noise on a loaded machine
      const beforeKill = await requestsDuring(target, 1000);
      c.agents[1]!.proc.kill("SIGKILL");

      if (policy !== "abort") {
        // the survivor's own share, as `indus agents` reports it: the full 4 (redistribute), or still 2 (continue)
        const want = policy === "redistribute" ? 4 : 2;
        const survivor = await poll("agent-1's VUs", 10_000, 100, async () => {
          const rows = agentRows((await c.client(["agents"])).stdout);
          const a1 = rows.find((r) => r.id === "agent-1");
          return a1?.vus === want && rows.some((r) => r.state === "unreachable") ? a1 : undefined;
        });
        expect(survivor.state).toBe("active");
        // and the load the target sees: the full rate again once the new VUs have started (they are
        // staggered over a second), or half of it
        if (policy === "redistribute") {
          await poll("the target sees the full rate again", 5000, 0, async () => ((await requestsDuring(target, 1000)) > beforeKill * 0.7 ? true : undefined));
        } else {
          expect(await requestsDuring(target, 1000)).toBeLessThan(beforeKill * 0.75);
        }
      }

      const code = await run.exited;
      const out = run.stdout();
      const rows = liveRows(out).filter((r) => r.state === "running");
      const killedRow = rows.find((r) => r.elapsedS === 2)!;
      expect(killedRow.vus).toBe(4);
      const runId = runIdOf(out);
      const status = await c.client(["status", runId]);
      expect(status.code).toBe(0);
      const lost = new RegExp(`Agent lost: agent-2 \\(${c.agents[1]!.addr}\\) at (\\d+)s`).exec(status.stdout);
      expect(lost).not.toBeNull();
      const lostS = Number(lost![1]);
      expect(lostS).toBeGreaterThanOrEqual(2); // killed after second 2 was on screen
      // the rows from two seconds after the loss on: the fleet has reacted by then
      const later = rows.filter((r) => r.elapsedS >= lostS + 2);
      return { code, out, later, status: status.stdout, controllerLogs: c.controller.logs() };
    });
  }

  test.concurrent("agent killed, on_agent_loss: redistribute: the survivor takes the whole schedule; the run completes", async () => {
    const r = await killOneAgent("redistribute");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Run completed");
    expect(r.later.length).toBeGreaterThan(0);
    expect(r.later.every((row) => row.vus === 4)).toBe(true);
    expect(r.status).toMatch(/completed/);
    expect(r.controllerLogs.some((l) => l.msg === "agent lost" && l.agent_id === "agent-2" && l.policy === "redistribute")).toBe(true);
  }, 30_000);

  test.concurrent("agent killed, on_agent_loss: continue: the survivor keeps its own share", async () => {
    const r = await killOneAgent("continue");
    expect(r.code).toBe(0);
    expect(r.later.length).toBeGreaterThan(0);
    expect(r.later.every((row) => row.vus === 2)).toBe(true);
  }, 30_000);

  test.concurrent("agent killed, on_agent_loss: abort: the run ends at once, exit 1, naming the agent", async () => {
    const r = await killOneAgent("abort");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Run failed: [0-9a-f]{8} \(agent agent-2 lost\)/);
    expect(r.later).toEqual([]);
    expect(r.status).toContain("Reason: agent agent-2 lost");
  }, 30_000);
});

describe("agents that cannot take the run", () => {
  test.concurrent("an unreachable agent at start: exit 2 naming it; nothing runs on the other", () =>
    withTarget(async (g, target) => {
      const closed = await holdClosedPort();
      const dead = `127.0.0.1:${closed.port}`;
      try {
        const c = await startCluster(g, { agents: 1, extraAgents: [dead] });
        const r = await c.client(["run", constantPlan({ target: target.url, vus: 2, seconds: 3 }, g.dir())], 20_000);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`agent ${dead} is unreachable`);
        expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
        const agents = agentRows((await c.client(["agents"])).stdout);
        expect(agents.find((a) => a.id === "agent-1")?.state).toBe("idle");
        expect(agents.find((a) => a.address === dead)?.state).toBe("unreachable");
        expect(target.stats().requests).toBe(0);
      } finally {
        closed.release();
      }
    }),
    30_000,
  );

  test.concurrent("an agent busy with another controller's run: the second submit exits 2 naming it; the first run is untouched", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 2 });
      const first = c.spawnClient(["run", constantPlan({ target: target.url, vus: 2, seconds: 4 }, g.dir())]);
      const firstId = runIdOf(await first.waitFor(/^Run started/, 15_000, "out"));

      // a second controller that shares agent-1 with the first
      const other = await startCluster(g, { agents: 1 });
      const second = g.spawn("controller-b", ["controller", "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--data-dir", g.dir(), `--agents=${c.agents[0]!.addr},${other.agents[0]!.addr}`]);
      const addr = `127.0.0.1:${await grpcPort(second)}`;
      const r = await runToEnd(g, ["run", constantPlan({ target: target.url, vus: 2, seconds: 3 }, g.dir()), `--controller=${addr}`], { timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`agent agent-1 (${c.agents[0]!.addr}) is busy with run ${firstId}`);
      // the agent that was free was not started either
      expect(agentRows((await other.client(["agents"])).stdout)[0]?.state).toBe("idle");

      expect(await first.exited).toBe(0);
      expect(first.stdout()).toContain("Run completed");
    }),
    30_000,
  );
});

describe("Ctrl-C on `indus run --controller`", () => {
  test.concurrent("aborts the run on every agent: the target goes quiet within ~2 s, exit 1", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 2 });
      const run = c.spawnClient(["run", constantPlan({ target: target.url, vus: 4, seconds: 30, thinkMs: 20 }, g.dir()), "--interval", "1s"]);
      await run.waitFor(/^running\s+1s/, 15_000, "out");
      expect(await requestsDuring(target, 300)).toBeGreaterThan(0);
      const sentAt = performance.now();
      run.kill("SIGINT");
      const quietAfter = await lastRequestAfter(target, sentAt, { quietMs: 1000, maxMs: 6000 });
      expect(quietAfter).toBeDefined();
      expect(quietAfter!).toBeLessThan(2000);
      expect(await run.exited).toBe(1);
      expect(run.stdout()).toContain("Run aborted");
      const agents = agentRows((await c.client(["agents"])).stdout);
      expect(agents.map((a) => a.state)).toEqual(["idle", "idle"]);
    }),
    30_000,
  );

  test.concurrent("with --detach the run goes on: the target keeps receiving, `indus status ID` says running", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 2 });
      const run = c.spawnClient(["run", constantPlan({ target: target.url, vus: 2, seconds: 8 }, g.dir()), "--detach", "--interval", "1s"]);
      const runId = runIdOf(await run.waitFor(/^Run started/, 15_000, "out"));
      // the CLI installs its SIGINT handler just after printing "Run started": wait for the first row
      await run.waitFor(/^running\s+1s/, 5000, "out");
      run.kill("SIGINT");
      expect(await run.exited).toBe(0);
      expect(run.stderr()).toContain(`indus status ${runId}`);
      await Bun.sleep(300);
      expect(await requestsDuring(target, 1000)).toBeGreaterThan(5);
      const status = await c.client(["status", runId]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/running/);
      // leave nothing behind: abort it through the controller's API
      const client = createControllerClient({ address: c.addr });
      try {
        expect((await client.abort(runId, "test over")).aborted).toBe(true);
      } finally {
        client.close();
      }
      expect(await lastRequestAfter(target, performance.now(), { quietMs: 800, maxMs: 4000 })).toBeDefined();
    }),
    30_000,
  );
});
