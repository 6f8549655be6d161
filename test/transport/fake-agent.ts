// A stand-in for the real agent (src/agent, tested elsewhere): it echoes, so the transport can be watched alone.
import type { AgentMsg, ControlMsg, ControllerSession } from "../../src/transport/messages.ts";
import type { AgentEndpoint } from "../../src/transport/grpc/index.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";

export interface FakeAgent extends AgentEndpoint {
  /** every message received, per session, in order */
  received: ControlMsg[];
  /** reasons passed to onClose, per session, in order */
  closes: string[];
  sessions: ControllerSession[];
  /** resolves with the n-th onClose reason (1-based), now or when it comes */
  closed(n?: number): Promise<string>;
  /** resolves when the n-th message has arrived */
  receivedCount(n: number): Promise<void>;
}

export function snapshotFor(seq: number): Snapshot {
  return {
    scenarios: {
      "get-users": {
        iterations: seq,
        vus: 3,
        steps: {
          "list-users": {
            requests: seq * 10,
            errors: seq,
            errorsByClass: { http_5xx: seq },
            bytesIn: 1000 * seq,
            bytesOut: 100 * seq,
            latency: new Uint8Array([seq % 256, 1, 2, 3]),
          },
        },
      },
    },
  };
}

export function createFakeAgent(id = "fake-1"): FakeAgent {
  const received: ControlMsg[] = [];
  const closes: string[] = [];
  const sessions: ControllerSession[] = [];
  let closeWaiters: { n: number; resolve: (r: string) => void }[] = [];
  let countWaiters: { n: number; resolve: () => void }[] = [];
  const reply = (session: ControllerSession, msg: AgentMsg) => session.send(msg);

  return {
    received,
    closes,
    sessions,
    accept(session) {
      sessions.push(session);
      session.onMessage((msg) => {
        received.push(msg);
        countWaiters = countWaiters.filter((w) => (received.length >= w.n ? (w.resolve(), false) : true));
        if (msg.kind === "assign") reply(session, { kind: "ready", agentId: id, workers: 2 });
        if (msg.kind === "heartbeat") reply(session, { kind: "snapshot", seq: msg.seq, snapshot: snapshotFor(msg.seq), final: false });
        if (msg.kind === "stop") {
          reply(session, { kind: "snapshot", seq: 0, snapshot: { scenarios: {} }, final: true });
          session.close();
        }
      });
      session.onClose((reason) => {
        closes.push(reason);
        closeWaiters = closeWaiters.filter((w) => (closes.length >= w.n ? (w.resolve(closes[w.n - 1]!), false) : true));
      });
    },
    info: () => ({ id, state: "idle", runId: undefined, vus: 0 }),
    closed: (n = 1) =>
      closes.length >= n ? Promise.resolve(closes[n - 1]!) : new Promise<string>((resolve) => closeWaiters.push({ n, resolve })),
    receivedCount: (n) =>
      received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => countWaiters.push({ n, resolve })),
  };
}
