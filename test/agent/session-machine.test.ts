// The agent's session machine on its own: it stops its VUs 5 s after the controller fell silent, and sends its final
// snapshot only once every delta asked for has come back.
import { describe, expect, test } from "bun:test";
import { createSession, sessionStep, type SessionEvent } from "../../src/agent/session-machine.ts";
import { parsePlan } from "../../src/plan/index.ts";

const plan = parsePlan(`name: m\nscenarios:\n  a:\n    duration: 4s\n    profile: { type: constant, vus: 5 }\n    steps:\n      - { name: s, url: "http://127.0.0.1:9/" }\n`, "m.yaml");

function running() {
  const state = createSession<string>("a0", 1, 5000);
  const step = (e: SessionEvent<string>, now: number) => sessionStep(state, e, now).commands.map((c) => c.kind);
  step({ kind: "opened" }, 0);
  step({ kind: "message", msg: { kind: "assign", runId: "r", plan, agentIndex: 0, agentCount: 1 } }, 0);
  step({ kind: "executor-ready" }, 7000);
  return { state, step };
}

describe("agent session machine", () => {
  test("the silence clock starts when the executor is up, and fires at exactly 5 s", () => {
    const { state, step } = running();
    expect(state.wakeAt).toBe(12_000);
    expect(step({ kind: "tick" }, 11_999)).not.toContain("stop-executor");
    expect(step({ kind: "tick" }, 12_000)).toContain("stop-executor");
  });

  test("the final snapshot waits for a delta still in flight", () => {
    const { step } = running();
    step({ kind: "message", msg: { kind: "heartbeat", seq: 1 } }, 8000);
    expect(step({ kind: "message", msg: { kind: "stop", mode: "end", reason: "schedule complete" } }, 8001)).toContain("stop-executor");
    expect(step({ kind: "stopped", last: "last" }, 8002)).not.toContain("send-final");
    expect(step({ kind: "delta", seq: 1, delta: "d1" }, 8003)).toEqual(["hold", "send-final", "close", "log", "release"]);
  });

  test("Ctrl-C during a graceful stop reaches the executor", () => {
    const { step } = running();
    step({ kind: "message", msg: { kind: "stop", mode: "end", reason: "schedule complete" } }, 8000);
    expect(step({ kind: "message", msg: { kind: "stop", mode: "abort", reason: "interrupted" } }, 8001)).toEqual(["stop-executor"]);
  });
});
