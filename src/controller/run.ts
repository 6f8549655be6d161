// One run on the controller: drives the schedule second by second, merges agents' snapshots, judges thresholds.
import type { Clock } from "../core/clock.ts";
import { IndusError } from "../core/errors.ts";
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import type { Logger } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import { createJudge } from "../run/judge.ts";
import type { AgentRecord, MergedRun, RunResult, RunState, RunUpdate, TimelineEntry } from "../run/types.ts";
import { abortRequested, type ThresholdResult } from "../threshold/index.ts";
import type { AgentConnector, AgentMsg, AgentSession } from "../transport/messages.ts";
import { planTargets } from "./targets.ts";

export interface RunOptions {
  runId: string;
  plan: Plan;
  agents: AgentConnector[];
  clock: Clock;
  logger: Logger;
  onUpdate?: (update: RunUpdate) => void;
  /**
   * Called with every closed second (the run store appends it), and the whole run so far, merged and already
   * decoded (live: read it, never change it), so that a consumer needs not decode the second's histograms again;
   * agentSnapshots: how many agent snapshots were merged into this second.
   */
  onSecond?: (entry: TimelineEntry, merged: MergedRun, agentSnapshots: number) => void;
  /** how long to wait for agents to accept the plan (default 10 s) */
  readyTimeoutMs?: number;
  /** how long requests in flight may take to finish at the end before they are cancelled (default 30 s) */
  gracefulStopMs?: number;
  /** how long to wait for an agent's snapshot each second before merging it into the next (default 800 ms) */
  snapshotWaitMs?: number;
}

interface LiveAgent {
  connector: AgentConnector;
  session: AgentSession;
  record: AgentRecord;
  /** last VU targets sent, to send Adjust only on change */
  sent: Record<string, number>;
  /** VUs the agent reported in its latest snapshot */
  reportedVus: Record<string, number>;
  lastSeq: number;
  finalReceived: boolean;
  gone: boolean;
  /** everything this agent reported, for the per-agent summary */
  own: SnapshotAccumulator;
}

export interface RunHandle {
  readonly runId: string;
  /** Ends the run early: VUs are stopped at once; the result is marked aborted. */
  abort(reason: string): void;
  /** Ends the run early, gracefully: no new iteration starts, requests in flight finish (up to gracefulStopMs); marked aborted. */
  stop(reason: string): void;
  readonly result: Promise<RunResult>;
}

const RPS_WINDOW_S = 5;

export function startRun(options: RunOptions): RunHandle {
  const stopRequest = { reason: undefined as string | undefined, state: "aborted" as RunState, graceful: false };
  let wake: () => void = () => {};
  const handle: RunHandle = {
    runId: options.runId,
    abort(reason) {
      if (stopRequest.reason === undefined) stopRequest.reason = reason;
      stopRequest.graceful = false;
      wake();
    },
    stop(reason) {
      if (stopRequest.reason === undefined) {
        stopRequest.reason = reason;
        stopRequest.graceful = true;
      }
      wake();
    },
    result: undefined as unknown as Promise<RunResult>,
  };
  (handle as { result: Promise<RunResult> }).result = execute(options, stopRequest, (w) => (wake = w));
  return handle;
}

async function execute(
  options: RunOptions,
  stopRequest: { reason: string | undefined; state: RunState; graceful: boolean },
  setWake: (w: () => void) => void,
): Promise<RunResult> {
  const { plan, clock, runId } = options;
  const logger = options.logger.child({ component: "controller", run_id: runId });
  const targets = planTargets(plan.scenarios);
  // the one judge of src/run: merges every closed second and judges the plan's thresholds on them
  const judge = createJudge(plan);
  const timeline: TimelineEntry[] = [];
  let bucket = new SnapshotAccumulator();
  /** agent snapshots merged into `bucket` (Prometheus counts them) */
  let snapshotsInSecond = 0;
  const startedAt = new Date(clock.wallNow());
  let t0 = clock.now();
  // declared before the session handlers that read it: a refused run closes sessions before the schedule starts
  let finishing = false;
  let arrivals: (() => void) | undefined;

  // ---- connect and assign ----
  const live: LiveAgent[] = options.agents.map((connector) => ({
    connector,
    session: undefined as unknown as AgentSession,
    record: { id: connector.id, address: connector.address, state: "active", requests: 0, errors: 0 },
    sent: {},
    reportedVus: {},
    lastSeq: 0,
    finalReceived: false,
    gone: false,
    // only its whole-run stats are reported: one histogram per agent, not one per step
    own: new SnapshotAccumulator({ wholeOnly: true }),
  }));
  if (live.length === 0) throw new IndusError("no_agents", "no agents to run the plan on", { hint: "start an agent and pass --agents" });

  const ready = new Map<LiveAgent, { ok: boolean; message?: string; code?: string }>();
  let readyWaiter: (() => void) | undefined;
  for (const agent of live) {
    agent.session = agent.connector.open();
    agent.session.onMessage((msg: AgentMsg) => onAgentMessage(agent, msg));
    agent.session.onClose((reason) => onAgentClose(agent, reason));
  }

  function onAgentMessage(agent: LiveAgent, msg: AgentMsg): void {
    switch (msg.kind) {
      case "ready":
        ready.set(agent, { ok: true });
        readyWaiter?.();
        return;
      case "error": {
        // with many agents, say which one refused (an agent's own message may not, e.g. --allow-targets)
        const who = `agent ${agent.connector.id} (${agent.connector.address})`;
        const message = msg.message.includes(agent.connector.id) ? msg.message : `${who}: ${msg.message}`;
        ready.set(agent, { ok: false, code: msg.code, message });
        // not `msg`: that field would overwrite the log line's own message
        logger.error("agent refused the run", { agent_id: agent.connector.id, code: msg.code, reason: msg.message });
        readyWaiter?.();
        return;
      }
      case "snapshot": {
        // a snapshot that arrives after its second was closed goes into the current one: late, never lost
        bucket.add(msg.snapshot, agent.own);
        snapshotsInSecond++;
        for (const [name, sc] of Object.entries(msg.snapshot.scenarios)) {
          agent.reportedVus[name] = sc.vus;
          for (const st of Object.values(sc.steps)) {
            agent.record.requests += st.requests;
            agent.record.errors += st.errors;
          }
        }
        if (msg.final) agent.finalReceived = true;
        else agent.lastSeq = Math.max(agent.lastSeq, msg.seq);
        arrivals?.();
        return;
      }
    }
  }

  function onAgentClose(agent: LiveAgent, reason: string): void {
    if (agent.gone) return;
    agent.gone = true;
    if (!ready.has(agent)) {
      ready.set(agent, { ok: false, code: "agent_unreachable", message: `agent ${agent.connector.id} (${agent.connector.address}): ${reason}` });
      readyWaiter?.();
    } else if (ready.get(agent)?.ok && !agent.finalReceived && !finishing) {
      // (an agent that refused the run closes its stream: that is a refusal, not a loss)
      agent.record.state = "lost";
      // whole ms: it travels as a uint64 (a fraction fails serialization of the run record)
      agent.record.lostAtMs = Math.round(clock.now() - t0);
      logger.warn("agent lost", { agent_id: agent.connector.id, reason, policy: plan.on_agent_loss });
      if (plan.on_agent_loss === "abort") {
        stopRequest.state = "failed";
        if (stopRequest.reason === undefined) stopRequest.reason = `agent ${agent.connector.id} lost`;
      }
    }
    arrivals?.();
  }

  live.forEach((agent, i) => agent.session.send({ kind: "assign", runId, plan, agentIndex: i, agentCount: live.length }));
  const readyDeadline = clock.now() + (options.readyTimeoutMs ?? 10_000);
  while (ready.size < live.length && clock.now() < readyDeadline) {
    await new Promise<void>((r) => {
      readyWaiter = r;
      setTimeout(r, 50);
    });
  }
  const refusals = live.filter((a) => !ready.get(a)?.ok);
  if (refusals.length > 0) {
    finishing = true; // the sessions closing now are not agents lost mid-run
    for (const a of live) a.session.send({ kind: "stop", mode: "abort", reason: "run refused" });
    for (const a of live) a.session.close();
    const lines = refusals.map((a) => ready.get(a)?.message ?? `agent ${a.connector.id} (${a.connector.address}) did not answer`);
    throw new IndusError(ready.get(refusals[0]!)?.code ?? "agent_unready", lines.join("\n"));
  }
  logger.info("run started", { agents: live.length, plan: plan.name });

  // ---- the schedule, second by second ----
  t0 = clock.now();
  const activeAgents = () => live.filter((a) => !a.gone);
  const shareHolders = () => (plan.on_agent_loss === "continue" ? live : activeAgents());

  // arrival-rate scenarios: each agent's share of the arrivals, sent again only when the agents sharing them change
  const ratePartSent = new Map<LiveAgent, string>();
  const sendTargets = (second: number) => {
    const holders = shareHolders();
    const perAgent = targets.at(second, holders.length);
    const rates = targets.rates(second, holders.length);
    holders.forEach((agent, i) => {
      if (agent.gone) return; // "continue": a lost agent's share is simply not run
      const changed: Record<string, number> = {};
      let any = false;
      for (const [scenario, vus] of Object.entries(perAgent[i]!)) {
        if (agent.sent[scenario] !== vus) {
          changed[scenario] = vus;
          agent.sent[scenario] = vus;
          any = true;
        }
      }
      const part = `${i}/${holders.length}`;
      const reshare = rates.length > 0 && ratePartSent.get(agent) !== part;
      if (reshare) ratePartSent.set(agent, part);
      if (any || reshare) agent.session.send({ kind: "adjust", vus: changed, ...(reshare ? { rates: rates[i] } : {}) });
    });
  };

  let lastThresholds: ThresholdResult[] = [];

  const closeSecond = (t: number) => {
    const vus: Record<string, number> = {};
    for (const sc of plan.scenarios) vus[sc.name] = 0;
    // agents that finished cleanly still count for the last second; lost ones do not
    for (const agent of live.filter((a) => !a.gone || a.finalReceived)) {
      for (const [name, n] of Object.entries(agent.reportedVus)) vus[name] = (vus[name] ?? 0) + n;
    }
    for (const [name, n] of Object.entries(vus)) bucket.setVus(name, n);
    const entry: TimelineEntry = { t, vus, snapshot: bucket.toSnapshot() };
    timeline.push(entry);
    judge.addSecond(bucket, entry.snapshot.generator);
    options.onSecond?.(entry, judge.merged, snapshotsInSecond);
    snapshotsInSecond = 0;
    bucket = new SnapshotAccumulator();
  };

  const emitUpdate = (t: number, state: RunState) => {
    const judged = judge.judge(t);
    lastThresholds = judged.thresholds;
    const window = timeline.slice(-RPS_WINDOW_S);
    let windowRequests = 0;
    for (const e of window) for (const sc of Object.values(e.snapshot.scenarios)) for (const st of Object.values(sc.steps)) windowRequests += st.requests;
    const global = judged.global;
    const lastVus = timeline.at(-1)?.vus ?? {};
    options.onUpdate?.({
      runId,
      row: {
        state,
        elapsedMs: t * 1000,
        vus: Object.values(lastVus).reduce((a, b) => a + b, 0),
        rps: window.length ? windowRequests / window.length : 0,
        p95: global?.p95 ?? NaN,
        errorRatio: global?.error_ratio ?? 0,
        ...(timeline.at(-1)?.snapshot.generator ? { generator: timeline.at(-1)!.snapshot.generator } : {}),
      },
      thresholds: lastThresholds,
      agents: live.map((a) => ({ ...a.record, vus: a.gone ? 0 : Object.values(a.reportedVus).reduce((x, y) => x + y, 0) })),
    });
  };

  const sleepUntil = (deadline: number) =>
    new Promise<void>((resolve) => {
      const ms = deadline - clock.now();
      if (ms <= 0 || stopRequest.reason !== undefined) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      setWake(done);
    });

  const waitForSnapshots = async (seq: number, deadline: number) => {
    while (clock.now() < deadline && activeAgents().some((a) => a.lastSeq < seq)) {
      await new Promise<void>((r) => {
        arrivals = r;
        setTimeout(r, Math.max(1, Math.min(50, deadline - clock.now())));
      });
    }
    arrivals = undefined;
  };

  sendTargets(0);
  let second = 0;
  for (second = 1; second <= targets.seconds; second++) {
    await sleepUntil(t0 + second * 1000);
    // the last second is closed by the agents' final snapshots, after requests in flight end
    if (stopRequest.reason !== undefined || second === targets.seconds) break;
    for (const agent of activeAgents()) agent.session.send({ kind: "heartbeat", seq: second });
    if (second < targets.seconds) sendTargets(second);
    await waitForSnapshots(second, t0 + second * 1000 + (options.snapshotWaitMs ?? 800));
    closeSecond(second);
    emitUpdate(second, "running");
    if (activeAgents().length === 0 && stopRequest.reason === undefined) {
      stopRequest.state = "failed";
      stopRequest.reason = "all agents lost";
    }
    const abortBy = abortRequested(lastThresholds, second * 1000);
    if (abortBy && stopRequest.reason === undefined) {
      stopRequest.state = "failed";
      stopRequest.reason = `threshold ${abortBy.label} failed (abort_on_fail)`;
    }
    if (stopRequest.reason !== undefined) break;
  }

  // ---- stop: graceful at the end of the schedule, at once when aborted ----
  finishing = true;
  const early = stopRequest.reason !== undefined;
  // the end of the schedule, or a graceful stop: requests in flight may finish
  const gracefully = !early || stopRequest.graceful;
  const elapsedS = early ? Math.max((clock.now() - t0) / 1000, 1e-3) : targets.seconds;
  if (!early) for (const sc of plan.scenarios) logger.info("scenario duration elapsed", { scenario: sc.name });
  for (const agent of activeAgents()) {
    agent.session.send({ kind: "stop", mode: gracefully ? "graceful" : "abort", reason: stopRequest.reason ?? "schedule complete" });
  }
  const finalDeadline = clock.now() + (gracefully ? options.gracefulStopMs ?? 30_000 : 5_000);
  let escalated = false;
  while (activeAgents().some((a) => !a.finalReceived) && clock.now() < finalDeadline) {
    await new Promise<void>((r) => {
      arrivals = r;
      setTimeout(r, 50);
    });
    if (!escalated && stopRequest.reason !== undefined && gracefully && !stopRequest.graceful) {
      // Ctrl-C while waiting for requests in flight: cancel them now
      escalated = true;
      for (const agent of activeAgents()) agent.session.send({ kind: "stop", mode: "abort", reason: stopRequest.reason });
    }
  }
  for (const agent of live) {
    // an agent that sent its final snapshot and closed first is gone too, and finished all the same
    if (agent.record.state === "active") agent.record.state = agent.finalReceived ? "finished" : "failed";
    agent.session.close();
  }
  // the last second holds everything the agents sent with their final snapshots
  closeSecond(Math.max((timeline.at(-1)?.t ?? 0) + 1, Math.ceil(elapsedS - 1e-9)));

  const thresholds = judge.outcomes(elapsedS);
  for (const agent of live) agent.record.stats = agent.own.stats({}, elapsedS) ?? undefined;
  const passed = thresholds.every((r) => r.passed);
  const state: RunState =
    stopRequest.reason !== undefined ? stopRequest.state : passed ? "completed" : "failed";
  const summary = judge.summary(elapsedS);
  logger.info("run finished", { state, passed, reason: stopRequest.reason });
  options.onUpdate?.({
    runId,
    row: {
      state,
      elapsedMs: elapsedS * 1000,
      vus: 0,
      rps: summary.global.rps,
      p95: summary.global.p95,
      errorRatio: summary.global.error_ratio,
    },
    thresholds,
  });
  return {
    runId,
    planName: plan.name,
    state,
    reason: stopRequest.reason,
    startedAt,
    durationMs: Math.round(elapsedS * 1000),
    summary,
    thresholds,
    passed: passed && stopRequest.reason === undefined,
    agents: live.map((a) => a.record),
    timeline,
    generator: judge.generator(),
  };
}

