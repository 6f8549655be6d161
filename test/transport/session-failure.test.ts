// A handler that throws fails its conversation with a reason (a refusal before Ready, a lost agent after),
// never the process: the in-process link as local runs use it.
import { describe, expect, test } from "bun:test";
import { createInProcessConnector } from "../../src/transport/in-process.ts";
import type { AgentMsg, ControllerSession } from "../../src/transport/messages.ts";

function conversation(onAgentMessage: (session: ControllerSession, kind: string) => void) {
  const connector = createInProcessConnector("a1", {
    accept(session) {
      session.onMessage((msg) => onAgentMessage(session, msg.kind));
    },
  });
  const session = connector.open();
  const received: AgentMsg[] = [];
  const closed = new Promise<string>((resolve) => session.onClose(resolve));
  session.onMessage((msg) => void received.push(msg));
  return { session, received, closed };
}

const plan = { name: "p", scenarios: [], thresholds: [] } as never;

describe("in-process link: a throwing handler fails the conversation", () => {
  test("before Ready: the controller gets agent_failed with the reason, then the close", async () => {
    const c = conversation(() => {
      throw new TypeError("Invalid URL");
    });
    c.session.send({ kind: "assign", runId: "r", plan, agentIndex: 0, agentCount: 1 });
    const reason = await c.closed;
    expect(reason).toBe("agent failed handling assign: TypeError: Invalid URL");
    expect(c.received).toEqual([{ kind: "error", code: "agent_failed", message: reason }]);
  });

  test("after Ready: the conversation closes with the reason (the controller counts the agent lost)", async () => {
    const c = conversation((session, kind) => {
      if (kind === "assign") return session.send({ kind: "ready", agentId: "a1", workers: 1 });
      throw new RangeError("boom");
    });
    c.session.send({ kind: "assign", runId: "r", plan, agentIndex: 0, agentCount: 1 });
    c.session.send({ kind: "heartbeat", seq: 1 });
    expect(await c.closed).toBe("agent failed handling heartbeat: RangeError: boom");
    expect(c.received.map((m) => m.kind)).toEqual(["ready"]);
  });

  test("fail() from outside (the process guard) ends it the same way", async () => {
    const c = conversation((session) => session.fail?.("agent a1: internal error: TypeError: x"));
    c.session.send({ kind: "assign", runId: "r", plan, agentIndex: 0, agentCount: 1 });
    expect(await c.closed).toBe("agent a1: internal error: TypeError: x");
    expect(c.received).toEqual([{ kind: "error", code: "agent_failed", message: "agent a1: internal error: TypeError: x" }]);
  });

  test("a throwing controller-side handler closes both sides with the reason", async () => {
    let agentClosed: string | undefined;
    const connector = createInProcessConnector("a1", {
      accept(session) {
        session.onClose((r) => (agentClosed = r));
        session.onMessage(() => session.send({ kind: "ready", agentId: "a1", workers: 1 }));
      },
    });
    const session = connector.open();
    const closed = new Promise<string>((resolve) => session.onClose(resolve));
    session.onMessage(() => {
      throw new Error("merge broke");
    });
    session.send({ kind: "heartbeat", seq: 1 });
    expect(await closed).toBe("controller failed handling ready: merge broke");
    expect(agentClosed).toBe("controller failed handling ready: merge broke");
  });
});
