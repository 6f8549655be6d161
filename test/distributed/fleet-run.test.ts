// `indus run --agents=…`: the controller inside the CLI process, real agent processes; same table, verdict and store.
import { describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { AgentService, type AgentInfo } from "../../src/transport/gen/indus.ts";
import { PROTOCOL_VERSION } from "../../src/transport/messages.ts";
import { holdClosedPort } from "../helpers.ts";
import { grpcPort, runToEnd, startCluster, summaryRequests } from "./harness.ts";
import { agentRows, runIdOf, withTarget } from "./fixture.ts";
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

  test.concurrent("an agent of an older protocol (its Info without the version): exit 2 naming it and both versions, nothing runs", () =>
    withTarget(async (g, target) => {
      const old = await startOldAgent();
      try {
        const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
        const r = await runToEnd(g, ["run", plan, `--agents=${old.address}`, "--data-dir", g.dataDir]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(oldAgentLine(old.address));
        expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
        expect(target.stats().requests).toBe(0);
        // a standing controller: `indus agents` flags it under its row, and a run is refused the same way
        const c = await startCluster(g, { agents: 1, extraAgents: [old.address] });
        const agents = await c.client(["agents"]);
        expect(agentRows(agents.stdout).map((a) => [a.id, a.state])).toEqual([["agent-1", "idle"], ["old-agent", "idle"]]);
        expect(agents.stdout).toContain(`  ${old.address}: ${oldAgentLine(old.address)}`);
        const refused = await c.client(["run", plan]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(oldAgentLine(old.address));
        expect(target.stats().requests).toBe(0);
      } finally {
        old.stop();
      }
    }),
    30_000,
  );

  test.concurrent("an agent that refuses the token: exit 2, named as a token problem (not 'unreachable'), nothing runs", () =>
    withTarget(async (g, target) => {
      const proc = g.spawn("agent-t", ["agent", "--id", "agent-t", "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--workers", "1", "--token", "right"]);
      const addr = `127.0.0.1:${await grpcPort(proc)}`;
      const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
      const r = await runToEnd(g, ["run", plan, `--agents=${addr}`, "--token", "wrong", "--data-dir", g.dataDir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`agent ${addr} refused the token`);
      expect(r.stderr).not.toContain("is unreachable");
      expect(r.stderr).toContain("hint: give the agents' token");
      expect(target.stats().requests).toBe(0);
    }),
    30_000,
  );

  test.concurrent("--controller (before or after the command) with --agents or --discover: exit 2, one message, nothing runs", () =>
    withTarget(async (g, target) => {
      const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
      for (const args of [
        ["--controller=127.0.0.1:1", "run", plan, "--agents=127.0.0.1:5"],
        ["run", "--controller", "127.0.0.1:1", plan, "--agents=dns:agents.indus.test:50052"],
        ["--controller=127.0.0.1:1", "run", plan, "--discover=mdns"], // refused before any multicast
      ]) {
        const r = await runToEnd(g, [...args, "--data-dir", g.dataDir]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim()).toBe("error: --agents/--discover run the controller in this process; --controller submits to a standing one: give one or the other");
      }
      expect(target.stats().requests).toBe(0);
    }),
    30_000,
  );

  test.concurrent("a bad --agents or --discover value: exit 2, one message quoting it, nothing runs (an empty one is not a local run)", () =>
    withTarget(async (g, target) => {
      const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
      const cases: [string[], string][] = [
        [["--agents=h1:p,http://h2:50052"], '--agents: 2 bad entries:\n  "h1:p": port "p" is not a number\n  "http://h2:50052": give host:port without a scheme (h2:50052)'],
        [["--agents=10.0.0.1"], '"10.0.0.1" needs a port: 10.0.0.1:50052'],
        [["--agents=dns:agents.example"], '"dns:agents.example" needs a port: dns:agents.example:50052'],
        [["--agents="], "--agents: no agents given"],
        [["--agents", "--quiet"], '"--quiet" is a flag, not an agent: write --agents=host:port'],
        [["--discover=bonjour"], '--discover: unknown method "bonjour"'],
        [["--discover="], "--discover: no method given"],
        [["--agents=127.0.0.1:5", "--workers=2"], "--workers does not apply with --agents: each agent runs its own worker threads"],
        [["--discover=mdns", "--engine=fetch"], "--engine does not apply with --discover"], // refused before any multicast
      ];
      for (const [flags, message] of cases) {
        const r = await runToEnd(g, ["run", plan, ...flags, "--data-dir", g.dataDir]);
        expect(r.code).toBe(2);
        expect(r.stderr).toStartWith("error: ");
        expect(r.stderr).toContain(message);
        expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
        expect(r.stdout).not.toContain("Run started");
      }
      expect(target.stats().requests).toBe(0);
    }),
    30_000,
  );
});

/** What an agent built before agents said their protocol version answers: an Info without field 5 (a grpc-js server). */
async function startOldAgent(): Promise<{ address: string; stop(): void }> {
  const server = new grpc.Server();
  server.addService(AgentService, {
    info: (_call: unknown, callback: (e: null, r: AgentInfo) => void) => callback(null, { id: "old-agent", state: "idle", runId: "", vus: 0, protocol: 0 }),
    session: (call: grpc.ServerDuplexStream<unknown, unknown>) => call.end(),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

const oldAgentLine = (address: string) => `agent old-agent (${address}) speaks an older version of the protocol, this controller version ${PROTOCOL_VERSION}`;
