// The dashboard's Stop is the run's graceful stop: agents are told "graceful" (requests in flight finish), Abort says "abort"; both end aborted.
import { describe, expect, test } from "bun:test";
import { startRun } from "../../src/controller/run.ts";
import { createRealClock } from "../../src/core/clock.ts";
import { createSilentLogger } from "../../src/observability/logger.ts";
import { parsePlan } from "../../src/plan/index.ts";
import type { AgentConnector, AgentMsg, ControlMsg } from "../../src/transport/messages.ts";

/** An agent that accepts, answers every heartbeat with an empty snapshot, and sends its final one when told to stop. */
function recordingAgent(sent: ControlMsg[]): AgentConnector {
  return {
    id: "rec",
    address: "in-process",
    open() {
      let onMsg: (m: AgentMsg) => void = () => {};
      let onClose: (r: string) => void = () => {};
      return {
        send(msg) {
          sent.push(msg);
          const reply = (m: AgentMsg) => queueMicrotask(() => onMsg(m));
          if (msg.kind === "assign") reply({ kind: "ready", agentId: "rec", workers: 1 });
          if (msg.kind === "heartbeat") reply({ kind: "snapshot", seq: msg.seq, snapshot: { scenarios: {} }, final: false });
          if (msg.kind === "stop") reply({ kind: "snapshot", seq: 0, snapshot: { scenarios: {} }, final: true });
        },
        onMessage: (h) => void (onMsg = h),
        onClose: (h) => void (onClose = h),
        close: () => onClose("closed"),
      };
    },
  };
}

const plan = parsePlan(
  `name: stop
scenarios:
  s:
    duration: 30s
    profile: { type: constant, vus: 1 }
    steps: [{ name: a, url: "http://127.0.0.1:9/" }]
`,
  "stop.yaml",
);

describe("stopping a run early", () => {
  for (const how of ["stop", "abort"] as const) {
    test(`${how}: the agents are told ${how === "stop" ? "graceful" : "abort"}, the run ends aborted with the reason`, async () => {
      const sent: ControlMsg[] = [];
      const handle = startRun({ runId: "abcd0001", plan, agents: [recordingAgent(sent)], clock: createRealClock(), logger: createSilentLogger() });
      // once the schedule has begun (the first VU target went out)
      while (!sent.some((m) => m.kind === "adjust")) await Bun.sleep(5);
      handle[how](`${how} from the dashboard`);
      const result = await handle.result;
      expect(result.state).toBe("aborted");
      expect(result.reason).toBe(`${how} from the dashboard`);
      expect(result.passed).toBe(false);
      const stops = sent.filter((m) => m.kind === "stop");
      expect(stops).toEqual([{ kind: "stop", mode: how === "stop" ? "graceful" : "abort", reason: `${how} from the dashboard` }]);
    });
  }
});
