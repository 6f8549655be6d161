// Real gRPC on 127.0.0.1 between the agent server and the controller's connector, with a stand-in agent.
import { afterEach, describe, expect, test } from "bun:test";
import { agentInfo, createGrpcAgentConnector, startAgentGrpcServer, type GrpcServerHandle } from "../../src/transport/grpc/index.ts";
import type { Agent } from "../../src/agent/agent.ts";
import type { Plan } from "../../src/plan/types.ts";
import { PROTOCOL_VERSION } from "../../src/transport/messages.ts";
import type { AgentEndpoint } from "../../src/transport/grpc/index.ts";
import { createFakeAgent, snapshotFor } from "./fake-agent.ts";
import { record, within } from "./helpers.ts";

// compile-time check: the real agent (tested with its own suite) is what the server serves
const realAgentFits = (agent: Agent): AgentEndpoint => agent;
void realAgentFits;

const plan: Plan = { name: "p", engine: undefined, on_agent_loss: "redistribute", scenarios: [], thresholds: [] };
const servers: GrpcServerHandle[] = [];

async function serve(agent = createFakeAgent()) {
  const server = await startAgentGrpcServer({ agent, address: "127.0.0.1:0" });
  servers.push(server);
  return { agent, server, connector: createGrpcAgentConnector({ id: "agent-1", address: server.address }) };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop({ force: true })));
});

describe("agent gRPC server and connector", () => {
  test("binds a real port and reports host:port", async () => {
    const { server } = await serve();
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
  });

  test("messages flow both ways, in order", async () => {
    const { agent, connector } = await serve();
    const c = record(connector.open());
    c.session.send({ kind: "assign", runId: "r1", plan, agentIndex: 0, agentCount: 1 });
    const n = 200;
    for (let seq = 1; seq <= n; seq++) c.session.send({ kind: "heartbeat", seq });
    await within(5000, "all replies", c.count(n + 1));
    expect(c.messages[0]).toEqual({ kind: "ready", agentId: "fake-1", workers: 2 });
    expect(c.messages.slice(1).map((m) => (m.kind === "snapshot" ? m.seq : -1))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(agent.received[0]).toEqual({ kind: "assign", runId: "r1", plan, agentIndex: 0, agentCount: 1 });
    expect(agent.received.slice(1).map((m) => (m.kind === "heartbeat" ? m.seq : -1))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const last = c.messages[n];
    expect(last?.kind === "snapshot" && [...last.snapshot.scenarios["get-users"]!.steps["list-users"]!.latency]).toEqual([n % 256, 1, 2, 3]);
    c.session.close();
  });

  test("the controller closing fires onClose once on both sides", async () => {
    const { agent, connector } = await serve();
    const c = record(connector.open());
    c.session.send({ kind: "heartbeat", seq: 1 });
    await within(3000, "first reply", c.count(1));
    c.session.close();
    expect(await within(3000, "agent sees the close", agent.closed())).toBe("controller closed");
    expect(c.closes).toEqual(["controller closed"]);
    await Bun.sleep(200);
    expect(agent.closes).toHaveLength(1);
    expect(c.closes).toHaveLength(1);
  });

  test("the agent closing delivers what it sent first, then fires onClose once on both sides", async () => {
    const { agent, connector } = await serve();
    const c = record(connector.open());
    c.session.send({ kind: "assign", runId: "r1", plan, agentIndex: 0, agentCount: 1 });
    c.session.send({ kind: "stop", mode: "graceful", reason: "done" });
    expect(await within(3000, "controller sees the close", c.closed())).toBe("agent closed");
    expect(c.messages.map((m) => m.kind)).toEqual(["ready", "snapshot"]);
    expect(c.messages[1]).toMatchObject({ kind: "snapshot", final: true, seq: 0 });
    expect(await agent.closed()).toBe("agent closed");
    await Bun.sleep(200);
    expect(agent.closes).toHaveLength(1);
    expect(c.closes).toHaveLength(1);
  });

  test("stopping the server by force fires onClose on the client promptly", async () => {
    const { agent, server, connector } = await serve();
    const c = record(connector.open());
    c.session.send({ kind: "heartbeat", seq: 1 });
    await within(3000, "first reply", c.count(1));
    const started = performance.now();
    await server.stop({ force: true });
    const reason = await within(2000, "client sees the server die", c.closed());
    expect(performance.now() - started).toBeLessThan(2000);
    expect(reason).toMatch(/UNAVAILABLE|CANCELLED|INTERNAL/);
    expect(await within(2000, "agent side closes too", agent.closed())).toBeString();
    await Bun.sleep(200);
    expect(c.closes).toHaveLength(1);
  });

  test("connecting to nothing closes with UNAVAILABLE", async () => {
    const { server } = await serve();
    const deadAddress = server.address;
    await server.stop({ force: true });
    const c = record(createGrpcAgentConnector({ id: "gone", address: deadAddress }).open());
    c.session.send({ kind: "heartbeat", seq: 1 });
    expect(await within(5000, "close on a dead address", c.closed())).toMatch(/^UNAVAILABLE/);
  });

  test("two sessions at once stay apart", async () => {
    const { agent, connector } = await serve();
    const a = record(connector.open());
    const b = record(connector.open());
    a.session.send({ kind: "heartbeat", seq: 10 });
    b.session.send({ kind: "heartbeat", seq: 20 });
    await within(3000, "both replies", Promise.all([a.count(1), b.count(1)]));
    expect(a.messages[0]).toMatchObject({ seq: 10 });
    expect(b.messages[0]).toMatchObject({ seq: 20 });
    a.session.close();
    await within(3000, "a closed on the agent", agent.closed(1));
    b.session.send({ kind: "heartbeat", seq: 21 });
    await within(3000, "b still works", b.count(2));
    expect(b.closes).toEqual([]);
    b.session.close();
  });

  test("Info returns the agent's state and the protocol version it speaks", async () => {
    const { server } = await serve();
    expect(await agentInfo(server.address)).toEqual({ id: "fake-1", state: "idle", runId: undefined, vus: 0, protocol: PROTOCOL_VERSION });
  });

  test("Info on a dead address rejects within its deadline", async () => {
    const { server } = await serve();
    const address = server.address;
    await server.stop({ force: true });
    const started = performance.now();
    await expect(agentInfo(address, { timeoutMs: 1500 })).rejects.toThrow(/UNAVAILABLE|DEADLINE_EXCEEDED/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  test("backpressured() turns true while the stream's buffer is full, and false once it drains", async () => {
    const agent = createFakeAgent();
    const { connector } = await serve(agent);
    const c = record(connector.open());
    c.session.send({ kind: "heartbeat", seq: 1 });
    await within(3000, "first reply", c.count(1));
    const session = agent.sessions[0]!;
    const big = snapshotFor(1);
    big.scenarios["get-users"]!.steps["list-users"]!.latency = new Uint8Array(256 * 1024);
    let sent = 0;
    while (!session.backpressured!() && sent < 10_000) {
      session.send({ kind: "snapshot", seq: ++sent, snapshot: big, final: false });
    }
    expect(session.backpressured!()).toBe(true);
    await within(10_000, "everything delivered", c.count(1 + sent));
    expect(session.backpressured!()).toBe(false);
    const seqs = c.messages.slice(1).map((m) => (m.kind === "snapshot" ? m.seq : -1));
    expect(seqs).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    c.session.close();
  });
});
