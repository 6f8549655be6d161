// Peers in real processes, killed or frozen: the other side hears of it once, and promptly.
import { afterEach, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { createGrpcAgentConnector, startAgentGrpcServer, type GrpcServerHandle } from "../../src/transport/grpc/index.ts";
import { createFakeAgent } from "./fake-agent.ts";
import { record, within } from "./helpers.ts";

const PEER = new URL("./peer-process.ts", import.meta.url).pathname;
const children: Subprocess<"ignore", "pipe", "inherit">[] = [];
const servers: GrpcServerHandle[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill("SIGCONT");
    c.kill("SIGKILL");
  }
  await Promise.all(servers.splice(0).map((s) => s.stop({ force: true })));
});

/** Starts a peer process; resolves once it has printed a line matching `ready`. */
async function spawnPeer(args: string[], ready: RegExp): Promise<{ child: Subprocess<"ignore", "pipe", "inherit">; line: string }> {
  const child = Bun.spawn([process.execPath, PEER, ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  children.push(child);
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const line = await within(10_000, `peer ${args[0]} to start`, (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`peer ${args[0]} exited early: ${buffered}`);
      buffered += decoder.decode(value);
      const found = buffered.split("\n").find((l) => ready.test(l));
      if (found) return found;
    }
  })());
  reader.releaseLock();
  return { child, line };
}

describe("a peer process that dies or freezes", () => {
  test("agent process killed: the controller's session closes once, within 2 s", async () => {
    const { child, line } = await spawnPeer(["agent"], /^PORT \d+/);
    const c = record(createGrpcAgentConnector({ id: "child", address: `127.0.0.1:${line.split(" ")[1]}` }).open());
    c.session.send({ kind: "heartbeat", seq: 1 });
    await within(5000, "first reply", c.count(1));
    const started = performance.now();
    child.kill("SIGKILL");
    expect(await within(2000, "close after kill", c.closed())).toMatch(/^UNAVAILABLE|^CANCELLED|^INTERNAL/);
    expect(performance.now() - started).toBeLessThan(2000);
    await Bun.sleep(300);
    expect(c.closes).toHaveLength(1);
  });

  test("controller process killed: the agent's session closes once, as a lost connection", async () => {
    const agent = createFakeAgent();
    const server = await startAgentGrpcServer({ agent, address: "127.0.0.1:0" });
    servers.push(server);
    const { child } = await spawnPeer(["controller", server.address], /^REPLY/);
    expect(agent.sessions).toHaveLength(1);
    child.kill("SIGKILL");
    expect(await within(2000, "agent hears of the kill", agent.closed())).toBe("controller connection lost");
    await Bun.sleep(300);
    expect(agent.closes).toHaveLength(1);
  });

  test("agent process frozen (no FIN, no RST): keepalive closes the session within seconds", async () => {
    const { child, line } = await spawnPeer(["agent"], /^PORT \d+/);
    const c = record(createGrpcAgentConnector({ id: "child", address: `127.0.0.1:${line.split(" ")[1]}` }).open());
    c.session.send({ kind: "heartbeat", seq: 1 });
    await within(5000, "first reply", c.count(1));
    child.kill("SIGSTOP");
    const started = performance.now();
    const reason = await within(9000, "keepalive notices the frozen peer", c.closed());
    console.log(`frozen agent noticed after ${Math.round(performance.now() - started)} ms: ${reason}`);
    expect(reason).toMatch(/^UNAVAILABLE|^CANCELLED|^INTERNAL/);
  }, 15_000);

  test("controller process frozen: the agent server's own keepalive closes the session", async () => {
    const agent = createFakeAgent();
    const server = await startAgentGrpcServer({ agent, address: "127.0.0.1:0" });
    servers.push(server);
    const { child } = await spawnPeer(["controller", server.address], /^REPLY/);
    child.kill("SIGSTOP");
    const started = performance.now();
    const reason = await within(9000, "agent notices the frozen controller", agent.closed());
    console.log(`frozen controller noticed after ${Math.round(performance.now() - started)} ms: ${reason}`);
    expect(agent.closes).toHaveLength(1);
  }, 15_000);
});
