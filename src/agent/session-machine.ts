// One controller conversation on an agent as a state machine: step(state, event, now) → commands; time a parameter.
//
//   idle ──assign──▶ starting ──executor ready──▶ running ──stop / stream closed / 5 s silence──▶ stopping ──▶ done
//     └──refused──▶ done            └──failed──▶ done                                    (final sent once the executor
//                                                                                          stopped and no delta is in flight)
// D is what the executor measures (a snapshot): the machine never looks inside, it only says where it goes.
// `step` takes ownership of the state (updated in place) and returns it.
import type { StopMode } from "../engine/runner/executor.ts";
import type { RateAssignment } from "../engine/runner/rate-assignment.ts";
import type { LogFields } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import type { AgentMsg, ControlMsg } from "../transport/messages.ts";

export type SessionEvent<D> =
  | { kind: "opened" }
  /** refusal: set by the driver for an assign it will not run (busy, --allow-targets) */
  | { kind: "message"; msg: ControlMsg; refusal?: { code: string; message: string } }
  | { kind: "executor-ready" }
  | { kind: "executor-failed"; message: string }
  | { kind: "delta"; seq: number; delta: D }
  | { kind: "delta-failed"; message: string }
  /** the executor stopped; last: what it measured since the last delta */
  | { kind: "stopped"; last: D | undefined; error?: string }
  | { kind: "closed"; reason: string }
  | { kind: "tick" };

export type SessionCommand<D> =
  | { kind: "send"; msg: Exclude<AgentMsg, { kind: "snapshot" }> }
  /** send this delta as the snapshot answering heartbeat seq (or fold it into the next when the stream is full) */
  | { kind: "send-snapshot"; seq: number; delta: D }
  /** a delta taken while stopping: it joins the final snapshot */
  | { kind: "hold"; delta: D }
  /** the final snapshot: what is held plus last; vus: what ran in the last second, not the 0 after stopping */
  | { kind: "send-final"; last: D | undefined; vus: Record<string, number> }
  | { kind: "claim"; runId: string }
  | { kind: "release" }
  | { kind: "create-executor"; plan: Plan; part: { index: number; count: number } }
  | { kind: "set-vus"; scenario: string; vus: number }
  | { kind: "set-rate"; scenario: string; assignment: RateAssignment }
  | { kind: "take-delta"; seq: number }
  | { kind: "stop-executor"; mode: StopMode }
  | { kind: "close" }
  | { kind: "log"; level: "info" | "warn" | "error"; message: string; fields?: LogFields };

export interface SessionState<D> {
  readonly agentId: string;
  readonly workers: number;
  readonly timeoutMs: number;
  phase: "idle" | "starting" | "running" | "stopping" | "done";
  runId: string | undefined;
  scenarios: string[];
  lastHeardAt: number;
  /** VU targets per scenario as last set */
  vus: Record<string, number>;
  /** deltas asked of the executor and not yet back */
  outstanding: number;
  executor: "none" | "starting" | "up" | "stopping" | "stopped";
  stopMode: StopMode | undefined;
  sendFinal: boolean;
  vusAtStop: Record<string, number>;
  last: D | undefined;
  wakeAt: number | undefined;
}

export function createSession<D>(agentId: string, workers: number, timeoutMs = 5000): SessionState<D> {
  return {
    agentId,
    workers,
    timeoutMs,
    phase: "idle",
    runId: undefined,
    scenarios: [],
    lastHeardAt: 0,
    vus: {},
    outstanding: 0,
    executor: "none",
    stopMode: undefined,
    sendFinal: false,
    vusAtStop: {},
    last: undefined,
    wakeAt: undefined,
  };
}

export function sessionStep<D>(state: SessionState<D>, event: SessionEvent<D>, now: number): { state: SessionState<D>; commands: SessionCommand<D>[] } {
  const out: SessionCommand<D>[] = [];
  const s = state;
  const fields = (extra?: LogFields): LogFields => ({ component: "agent", agent_id: s.agentId, run_id: s.runId, ...extra });
  switch (event.kind) {
    case "opened":
      s.lastHeardAt = now;
      out.push({ kind: "log", level: "info", message: "RunScenario stream opened", fields: fields() });
      break;
    case "message":
      s.lastHeardAt = now;
      onMessage(s, event.msg, event.refusal, out, fields);
      break;
    case "executor-ready":
      if (s.executor !== "starting") break;
      s.executor = "up";
      if (s.phase !== "starting") {
        // the controller went away while the executor was starting
        s.executor = "stopping";
        out.push({ kind: "stop-executor", mode: "abort" });
        break;
      }
      s.phase = "running";
      // the silence clock starts now: while the executor started, the controller had no one to ping
      s.lastHeardAt = now;
      for (const sc of s.scenarios) out.push({ kind: "log", level: "info", message: "assigning scenario", fields: fields({ scenario: sc }) });
      out.push({ kind: "send", msg: { kind: "ready", agentId: s.agentId, workers: s.workers } });
      break;
    case "executor-failed":
      s.executor = "none";
      if (s.phase === "starting") out.push({ kind: "send", msg: { kind: "error", code: "agent_failed", message: event.message } }, { kind: "close" });
      s.phase = "done";
      out.push({ kind: "release" });
      break;
    case "delta":
      s.outstanding--;
      if (s.phase === "running") out.push({ kind: "send-snapshot", seq: event.seq, delta: event.delta });
      // taken while stopping: the final snapshot carries it
      else out.push({ kind: "hold", delta: event.delta });
      break;
    case "delta-failed":
      s.outstanding--;
      if (s.phase !== "running") break;
      // a worker died: stop everything rather than run blind
      out.push({ kind: "log", level: "error", message: "executor failed, stopping all VUs", fields: fields({ error: event.message }) });
      out.push({ kind: "send", msg: { kind: "error", code: "agent_failed", message: event.message } });
      beginStop(s, "abort", "executor failed", false, out, fields);
      out.push({ kind: "close" });
      break;
    case "stopped":
      s.executor = "stopped";
      if (event.error) out.push({ kind: "log", level: "error", message: "executor failed while stopping", fields: fields({ error: event.error }) });
      s.last = event.last;
      break;
    case "closed":
      if (s.phase === "running") {
        out.push({ kind: "log", level: "warn", message: "controller stream closed, stopping all VUs", fields: fields({ reason: event.reason }) });
        beginStop(s, "abort", "controller stream closed", false, out, fields);
      } else if (s.phase === "starting") {
        // executor-ready sees the phase and stops the executor it was building
        s.phase = "stopping";
        s.sendFinal = false;
      } else if (s.phase === "stopping") {
        s.sendFinal = false;
      } else if (s.phase === "idle") s.phase = "done";
      break;
    case "tick":
      if (s.phase === "running" && now - s.lastHeardAt >= s.timeoutMs) {
        out.push({ kind: "log", level: "warn", message: "controller silent, stopping all VUs", fields: fields() });
        beginStop(s, "abort", "controller lost", false, out, fields);
        out.push({ kind: "close" });
      }
      break;
  }
  maybeDone(s, out, fields);
  s.wakeAt = s.phase === "running" ? s.lastHeardAt + s.timeoutMs : undefined;
  return { state: s, commands: out };
}

function onMessage<D>(s: SessionState<D>, msg: ControlMsg, refusal: { code: string; message: string } | undefined, out: SessionCommand<D>[], fields: (x?: LogFields) => LogFields): void {
  switch (msg.kind) {
    case "assign":
      if (s.phase !== "idle") {
        out.push({ kind: "send", msg: { kind: "error", code: "agent_busy", message: `agent ${s.agentId} is busy with run ${s.runId}` } }, { kind: "close" });
        return;
      }
      if (refusal) {
        s.phase = "done";
        out.push({ kind: "send", msg: { kind: "error", ...refusal } }, { kind: "close" });
        return;
      }
      s.phase = "starting";
      s.runId = msg.runId;
      s.scenarios = msg.plan.scenarios.map((sc) => sc.name);
      s.executor = "starting";
      out.push({ kind: "claim", runId: msg.runId }, { kind: "create-executor", plan: msg.plan, part: { index: msg.agentIndex, count: msg.agentCount } });
      return;
    case "adjust":
      if (s.phase !== "running") return;
      for (const scenario in msg.vus) {
        s.vus[scenario] = msg.vus[scenario]!;
        out.push({ kind: "set-vus", scenario, vus: msg.vus[scenario]! });
      }
      for (const scenario in msg.rates ?? {}) out.push({ kind: "set-rate", scenario, assignment: msg.rates![scenario]! });
      return;
    case "heartbeat":
      // seq 0: the controller is still waiting for other agents to accept; nothing to measure yet
      if (s.phase !== "running" || msg.seq === 0) return;
      s.outstanding++;
      out.push({ kind: "take-delta", seq: msg.seq });
      return;
    case "stop":
      if (s.phase === "running") return beginStop(s, msg.mode, msg.reason, true, out, fields);
      // Ctrl-C on the controller while requests in flight finish: cancel them now
      if (s.phase === "stopping" && msg.mode === "abort" && s.stopMode !== "abort" && s.executor === "stopping") {
        s.stopMode = "abort";
        out.push({ kind: "stop-executor", mode: "abort" });
      }
      return;
  }
}

function beginStop<D>(s: SessionState<D>, mode: StopMode, reason: string, sendFinal: boolean, out: SessionCommand<D>[], fields: (x?: LogFields) => LogFields): void {
  s.phase = "stopping";
  s.stopMode = mode;
  s.sendFinal = sendFinal;
  s.vusAtStop = { ...s.vus };
  if (mode === "end") {
    for (const scenario of s.scenarios) out.push({ kind: "log", level: "info", message: "scenario duration elapsed", fields: fields({ scenario }) });
  }
  out.push({ kind: "log", level: "info", message: "scenario stopping", fields: fields({ reason, mode }) });
  s.executor = "stopping";
  out.push({ kind: "stop-executor", mode });
  for (const k in s.vus) s.vus[k] = 0;
}

function maybeDone<D>(s: SessionState<D>, out: SessionCommand<D>[], fields: (x?: LogFields) => LogFields): void {
  if (s.phase !== "stopping" || s.executor === "starting" || s.executor === "stopping" || s.outstanding > 0) return;
  s.phase = "done";
  if (s.sendFinal) {
    out.push({ kind: "send-final", last: s.last, vus: s.vusAtStop }, { kind: "close" });
  }
  out.push({ kind: "log", level: "info", message: "scenario stopped", fields: fields() });
  out.push({ kind: "release" });
}

/** VUs the session runs now (for `indus agents`). */
export function sessionVus<D>(s: SessionState<D>): number {
  let n = 0;
  for (const k in s.vus) n += s.vus[k]!;
  return n;
}
