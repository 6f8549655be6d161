// The controller's run lifecycle as a state machine: step(state, event, now) → commands; no I/O, no timers, time a parameter.
//
//   assigning ──all ready──▶ running ──schedule done / abort / breach / loss policy──▶ stopping ──finals or deadline──▶ done
//       └──refusal, silence or deadline──▶ done (refused)
//
// The machine decides who is sent what and when, which second a snapshot is merged into, when an agent is lost and
// when the run ends; the merge itself (histograms, thresholds) is the driver's, through opaque snapshot payloads.
// `step` takes ownership of the state it is given (it is updated in place: at 1,000 agents a copy per event costs
// more than the rest of the controller) and returns it; the same state and events always give the same commands.
import type { LogFields } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import type { ControlMsg } from "../transport/messages.ts";
import type { TargetPlan } from "./targets.ts";
import type { AgentRecord, RunState } from "../run/types.ts";

export interface RunMachineConfig {
  runId: string;
  plan: Plan;
  targets: TargetPlan;
  agents: readonly { id: string; address: string }[];
  /** how long agents have to accept the plan (default 10 s) */
  readyTimeoutMs?: number;
  /** how long requests in flight may take at the end of the schedule (default 30 s) */
  gracefulStopMs?: number;
  /** how long to wait for a second's snapshots before merging late ones into the next (default 800 ms) */
  snapshotWaitMs?: number;
  /** an agent silent this long while the schedule runs is lost, as an agent stops when its controller is (default 5 s) */
  agentSilenceMs?: number;
}

export type RunMachineEvent<S> =
  | { kind: "start" }
  /** time passed (the driver's timer for `wakeAt`); any event also carries `now` */
  | { kind: "tick" }
  | { kind: "ready"; agent: number }
  | { kind: "refused"; agent: number; code: string; message: string }
  /** vus: the VUs per scenario the snapshot reports (a gauge); snapshot: opaque, handed back in `merge` */
  | { kind: "snapshot"; agent: number; seq: number; final: boolean; vus: Record<string, number>; snapshot: S }
  | { kind: "down"; agent: number; reason: string }
  /** graceful: no new iteration, requests in flight finish (a user's Stop); else VUs stop at once (Abort) */
  | { kind: "abort"; reason: string; graceful?: boolean }
  /** a threshold with abort_on_fail failed (the driver judges thresholds after each `second`) */
  | { kind: "breach"; reason: string };

export type RunCommand<S> =
  | { kind: "send"; agent: number; msg: ControlMsg }
  | { kind: "close"; agent: number }
  /** add this snapshot to the open second (and to the agent's own totals) */
  | { kind: "merge"; agent: number; snapshot: S }
  /** close second t (persist it, emit progress, judge thresholds); vus: summed over agents still counted */
  | { kind: "second"; t: number; vus: Record<string, number>; final: boolean; snapshots: number; agents: (AgentRecord & { vus: number })[] }
  /** the run never started */
  | { kind: "refuse"; code: string; message: string }
  /** the run is over; state/reason set when it stopped early, else the thresholds decide */
  | { kind: "finish"; elapsedS: number; stopped: { state: RunState; reason: string } | undefined; agents: AgentRecord[] }
  | { kind: "log"; level: "info" | "warn" | "error"; message: string; fields?: LogFields };

interface Slot {
  record: AgentRecord;
  answer: { ok: true } | { ok: false; code: string; message: string } | undefined;
  gone: boolean;
  final: boolean;
  lastHeardAt: number;
  /** seqs already merged: a duplicated snapshot is counted once */
  seen: Set<number>;
  /** the seq whose VUs `reportedVus` holds: a reordered older snapshot does not roll the gauge back */
  vusSeq: number;
  reportedVus: Record<string, number>;
  sent: Record<string, number>;
  ratePart: string | undefined;
}

export interface RunMachineState {
  readonly config: Required<Omit<RunMachineConfig, "plan" | "targets" | "agents" | "runId">> & Pick<RunMachineConfig, "plan" | "targets" | "runId">;
  phase: "new" | "assigning" | "running" | "stopping" | "done";
  slots: Slot[];
  readyDeadline: number;
  nextPing: number;
  t0: number;
  /** the next schedule second whose boundary is due */
  second: number;
  /** the second whose snapshots are awaited, until when, and how many agents still owe theirs */
  awaiting: { t: number; until: number; missing: number } | undefined;
  /** no agent can have been silent too long before this (lastHeardAt only grows): the scan is skipped until then */
  silenceDue: number;
  lastClosed: number;
  snapshotsInSecond: number;
  stop: { state: RunState; reason: string } | undefined;
  /** the stop asked for lets requests in flight finish */
  stopGraceful: boolean;
  early: boolean;
  /** stopping lets requests in flight finish (end of schedule, or a graceful stop) */
  gracefully: boolean;
  escalated: boolean;
  elapsedS: number;
  finalDeadline: number;
  /** when the machine next needs a tick (undefined: only events move it) */
  wakeAt: number | undefined;
}

export function createRunMachine(config: RunMachineConfig): RunMachineState {
  return {
    config: {
      runId: config.runId,
      plan: config.plan,
      targets: config.targets,
      readyTimeoutMs: config.readyTimeoutMs ?? 10_000,
      gracefulStopMs: config.gracefulStopMs ?? 30_000,
      snapshotWaitMs: config.snapshotWaitMs ?? 800,
      agentSilenceMs: config.agentSilenceMs ?? 5_000,
    },
    phase: "new",
    slots: config.agents.map((a) => ({
      record: { id: a.id, address: a.address, state: "active", requests: 0, errors: 0 },
      answer: undefined,
      gone: false,
      final: false,
      lastHeardAt: 0,
      seen: new Set(),
      vusSeq: -1,
      reportedVus: {},
      sent: {},
      ratePart: undefined,
    })),
    readyDeadline: 0,
    nextPing: 0,
    t0: 0,
    second: 1,
    awaiting: undefined,
    silenceDue: 0,
    lastClosed: 0,
    snapshotsInSecond: 0,
    stop: undefined,
    stopGraceful: false,
    early: false,
    gracefully: false,
    escalated: false,
    elapsedS: 0,
    finalDeadline: 0,
    wakeAt: undefined,
  };
}

export function runStep<S>(state: RunMachineState, event: RunMachineEvent<S>, now: number): { state: RunMachineState; commands: RunCommand<S>[] } {
  const out: RunCommand<S>[] = [];
  if (state.phase === "done") return { state, commands: out };
  const slot = "agent" in event ? state.slots[event.agent] : undefined;
  switch (event.kind) {
    case "start":
      if (state.phase !== "new") break;
      state.phase = "assigning";
      state.readyDeadline = now + state.config.readyTimeoutMs;
      state.nextPing = now + 1000;
      state.slots.forEach((s, i) => {
        s.lastHeardAt = now;
        out.push({ kind: "send", agent: i, msg: { kind: "assign", runId: state.config.runId, plan: state.config.plan, agentIndex: i, agentCount: state.slots.length } });
      });
      break;
    case "ready":
      if (slot && slot.answer === undefined) slot.answer = { ok: true };
      if (slot) slot.lastHeardAt = now;
      break;
    case "refused":
      if (!slot) break;
      slot.lastHeardAt = now;
      if (slot.answer === undefined || slot.answer.ok) {
        // with many agents, say which one refused (an agent's own message may not, e.g. --allow-targets)
        const who = `agent ${slot.record.id} (${slot.record.address})`;
        const message = event.message.includes(slot.record.id) ? event.message : `${who}: ${event.message}`;
        slot.answer = { ok: false, code: event.code, message };
        out.push({ kind: "log", level: "error", message: "agent refused the run", fields: { agent_id: slot.record.id, code: event.code, reason: event.message } });
      }
      break;
    case "snapshot":
      if (slot) onSnapshot(state, event.agent, slot, event, now, out);
      break;
    case "down":
      if (slot) onDown(state, event.agent, slot, event.reason, now, out);
      break;
    case "abort":
      if (state.stop === undefined) {
        state.stop = { state: "aborted", reason: event.reason };
        state.stopGraceful = event.graceful === true;
      } else if (!event.graceful) state.stopGraceful = false;
      if (state.phase === "stopping" && state.gracefully && !state.stopGraceful && !state.escalated) {
        // Ctrl-C while requests in flight finish: cancel them now
        state.escalated = true;
        state.slots.forEach((s, i) => {
          if (!s.gone && !s.final) out.push({ kind: "send", agent: i, msg: { kind: "stop", mode: "abort", reason: event.reason } });
        });
      }
      break;
    case "breach":
      if (state.stop === undefined) state.stop = { state: "failed", reason: event.reason };
      break;
    case "tick":
      break;
  }
  advance(state, now, out);
  return { state, commands: out };
}

function onSnapshot<S>(state: RunMachineState, i: number, slot: Slot, e: Extract<RunMachineEvent<S>, { kind: "snapshot" }>, now: number, out: RunCommand<S>[]): void {
  slot.lastHeardAt = now;
  if (e.final) {
    if (slot.final) return;
    slot.final = true;
  } else {
    if (slot.seen.has(e.seq)) return;
    slot.seen.add(e.seq);
    if (state.awaiting?.t === e.seq && !slot.gone) state.awaiting.missing--;
  }
  if (e.final || e.seq >= slot.vusSeq) {
    slot.vusSeq = e.final ? Infinity : e.seq;
    Object.assign(slot.reportedVus, e.vus);
  }
  // a snapshot that arrives after its second was closed goes into the open one: late, never lost
  state.snapshotsInSecond++;
  out.push({ kind: "merge", agent: i, snapshot: e.snapshot });
}

function onDown<S>(state: RunMachineState, i: number, slot: Slot, reason: string, now: number, out: RunCommand<S>[]): void {
  if (slot.gone) return;
  slot.gone = true;
  if (state.awaiting && !slot.seen.has(state.awaiting.t)) state.awaiting.missing--;
  if (state.phase === "assigning" || state.phase === "new") {
    // (an agent that refused the run closes its stream: that is a refusal, not a loss)
    if (slot.answer === undefined || slot.answer.ok) {
      slot.answer = { ok: false, code: "agent_unreachable", message: `agent ${slot.record.id} (${slot.record.address}): ${reason}` };
    }
    return;
  }
  if (state.phase !== "running" || slot.final) return;
  slot.record.state = "lost";
  // whole ms: it travels as a uint64 (a fraction fails serialization of the run record)
  slot.record.lostAtMs = Math.round(now - state.t0);
  const policy = state.config.plan.on_agent_loss;
  out.push({ kind: "log", level: "warn", message: "agent lost", fields: { agent_id: slot.record.id, reason, policy } });
  if (policy === "abort" && state.stop === undefined) state.stop = { state: "failed", reason: `agent ${slot.record.id} lost` };
}

function advance<S>(state: RunMachineState, now: number, out: RunCommand<S>[]): void {
  if (state.phase === "assigning") advanceAssigning(state, now, out);
  if (state.phase === "running") advanceRunning(state, now, out);
  if (state.phase === "stopping") advanceStopping(state, now, out);
  state.wakeAt = nextWake(state);
}

function advanceAssigning<S>(state: RunMachineState, now: number, out: RunCommand<S>[]): void {
  const answered = state.slots.every((s) => s.answer !== undefined);
  if (!answered && now < state.readyDeadline) {
    // agents that accepted hear from us while slower ones start: their watchdog would stop them after 5 s
    if (now >= state.nextPing) {
      state.nextPing = now + 1000;
      state.slots.forEach((s, i) => {
        if (s.answer?.ok && !s.gone) out.push({ kind: "send", agent: i, msg: { kind: "heartbeat", seq: 0 } });
      });
    }
    return;
  }
  const refusals = state.slots.filter((s) => !s.answer?.ok);
  if (refusals.length > 0) {
    state.phase = "done";
    state.slots.forEach((_, i) => out.push({ kind: "send", agent: i, msg: { kind: "stop", mode: "abort", reason: "run refused" } }));
    state.slots.forEach((_, i) => out.push({ kind: "close", agent: i }));
    const lines = refusals.map((s) => (s.answer && !s.answer.ok ? s.answer.message : `agent ${s.record.id} (${s.record.address}) did not answer`));
    const first = refusals[0]!.answer;
    out.push({ kind: "refuse", code: first && !first.ok ? first.code : "agent_unready", message: lines.join("\n") });
    return;
  }
  out.push({ kind: "log", level: "info", message: "run started", fields: { agents: state.slots.length, plan: state.config.plan.name } });
  state.phase = "running";
  state.t0 = now;
  for (const s of state.slots) s.lastHeardAt = now;
  state.silenceDue = now + state.config.agentSilenceMs;
  sendTargets(state, 0, out);
}

function advanceRunning<S>(state: RunMachineState, now: number, out: RunCommand<S>[]): void {
  const { targets, agentSilenceMs } = state.config;
  for (;;) {
    if (state.stop !== undefined) return enterStopping(state, now, out);
    // silence: a partitioned agent closes nothing; it stops itself after 5 s, and is lost for us after as long
    if (now >= state.silenceDue) {
      let due = Infinity;
      state.slots.forEach((s, i) => {
        if (s.gone || s.final) return;
        if (now - s.lastHeardAt >= agentSilenceMs) {
          out.push({ kind: "send", agent: i, msg: { kind: "stop", mode: "abort", reason: "agent silent" } });
          out.push({ kind: "close", agent: i });
          onDown(state, i, s, `no message for ${agentSilenceMs / 1000} s`, now, out);
        } else due = Math.min(due, s.lastHeardAt + agentSilenceMs);
      });
      state.silenceDue = due;
      if (state.stop !== undefined) continue;
    }
    const aw = state.awaiting;
    if (aw !== undefined) {
      if (aw.missing > 0 && now < aw.until) return;
      closeSecond(state, aw.t, false, out);
      state.awaiting = undefined;
      if (!state.slots.some((s) => !s.gone) && state.stop === undefined) state.stop = { state: "failed", reason: "all agents lost" };
      // the driver judges the second's thresholds (and may answer `breach`) before the next boundary
      return;
    }
    const boundary = state.t0 + state.second * 1000;
    if (now < boundary) return;
    if (!state.slots.some((s) => !s.gone)) {
      // lost between two seconds: nobody to share the next one with
      state.stop = { state: "failed", reason: "all agents lost" };
      continue;
    }
    // the last second is closed by the agents' final snapshots, after requests in flight end
    if (state.second >= targets.seconds) return enterStopping(state, now, out);
    const t = state.second;
    state.slots.forEach((s, i) => {
      if (!s.gone) out.push({ kind: "send", agent: i, msg: { kind: "heartbeat", seq: t } });
    });
    sendTargets(state, t, out);
    let missing = 0;
    for (const s of state.slots) if (!s.gone && !s.seen.has(t)) missing++;
    state.awaiting = { t, until: boundary + state.config.snapshotWaitMs, missing };
    state.second++;
  }
}

function enterStopping<S>(state: RunMachineState, now: number, out: RunCommand<S>[]): void {
  state.phase = "stopping";
  state.awaiting = undefined;
  state.early = state.stop !== undefined;
  // the end of the schedule, or a graceful stop: requests in flight may finish
  state.gracefully = !state.early || state.stopGraceful;
  state.elapsedS = state.early ? Math.max((now - state.t0) / 1000, 1e-3) : state.config.targets.seconds;
  if (!state.early) {
    for (const sc of state.config.plan.scenarios) out.push({ kind: "log", level: "info", message: "scenario duration elapsed", fields: { scenario: sc.name } });
  }
  const mode = !state.early ? "end" : state.gracefully ? "graceful" : "abort";
  const reason = state.stop?.reason ?? "schedule complete";
  state.slots.forEach((s, i) => {
    if (!s.gone) out.push({ kind: "send", agent: i, msg: { kind: "stop", mode, reason } });
  });
  state.finalDeadline = now + (state.gracefully ? state.config.gracefulStopMs : 5_000);
}

function advanceStopping<S>(state: RunMachineState, now: number, out: RunCommand<S>[]): void {
  if (state.slots.some((s) => !s.gone && !s.final) && now < state.finalDeadline) return;
  state.phase = "done";
  state.slots.forEach((s, i) => {
    // an agent that sent its final snapshot and closed first is gone too, and finished all the same
    if (s.record.state === "active") s.record.state = s.final ? "finished" : "failed";
    out.push({ kind: "close", agent: i });
  });
  // the last second holds everything the agents sent with their final snapshots
  closeSecond(state, Math.max(state.lastClosed + 1, Math.ceil(state.elapsedS - 1e-9)), true, out);
  out.push({ kind: "finish", elapsedS: state.elapsedS, stopped: state.stop, agents: state.slots.map((s) => s.record) });
}

function closeSecond<S>(state: RunMachineState, t: number, final: boolean, out: RunCommand<S>[]): void {
  const vus: Record<string, number> = {};
  for (const sc of state.config.plan.scenarios) vus[sc.name] = 0;
  // agents that finished cleanly still count for the last second; lost ones do not
  for (const s of state.slots) {
    if (s.gone && !s.final) continue;
    for (const name in s.reportedVus) vus[name] = (vus[name] ?? 0) + s.reportedVus[name]!;
  }
  const agents = state.slots.map((s) => {
    let n = 0;
    if (!s.gone) for (const name in s.reportedVus) n += s.reportedVus[name]!;
    return { ...s.record, vus: n };
  });
  out.push({ kind: "second", t, vus, final, snapshots: state.snapshotsInSecond, agents });
  state.snapshotsInSecond = 0;
  state.lastClosed = t;
}

/** Each agent's share of the second's VUs (and arrivals), sent only when it changed. */
function sendTargets<S>(state: RunMachineState, second: number, out: RunCommand<S>[]): void {
  const { plan, targets } = state.config;
  const holders: number[] = [];
  state.slots.forEach((s, i) => {
    if (plan.on_agent_loss === "continue" || !s.gone) holders.push(i);
  });
  const perAgent = targets.at(second, holders.length);
  const rates = targets.rates(second, holders.length);
  holders.forEach((agent, h) => {
    const s = state.slots[agent]!;
    if (s.gone) return; // "continue": a lost agent's share is simply not run
    const changed: Record<string, number> = {};
    let any = false;
    const mine = perAgent[h]!;
    for (const scenario in mine) {
      const vus = mine[scenario]!;
      if (s.sent[scenario] !== vus) {
        changed[scenario] = vus;
        s.sent[scenario] = vus;
        any = true;
      }
    }
    // arrival-rate scenarios: sent again only when the agents sharing them change
    const part = `${h}/${holders.length}`;
    const reshare = rates.length > 0 && s.ratePart !== part;
    if (reshare) s.ratePart = part;
    if (any || reshare) out.push({ kind: "send", agent, msg: { kind: "adjust", vus: changed, ...(reshare ? { rates: rates[h] } : {}) } });
  });
}

function nextWake(state: RunMachineState): number | undefined {
  switch (state.phase) {
    case "assigning":
      return Math.min(state.readyDeadline, state.nextPing);
    case "running": {
      const due = state.awaiting ? (state.awaiting.missing > 0 ? state.awaiting.until : -Infinity) : state.t0 + state.second * 1000;
      return Math.min(due, state.silenceDue);
    }
    case "stopping":
      return state.finalDeadline;
    default:
      return undefined;
  }
}
