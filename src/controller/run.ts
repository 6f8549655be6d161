// One run on the controller: binds the run machine to agent sessions, one timer, and the run book (merge, judge).
import type { Clock } from "../core/clock.ts";
import { IndusError } from "../core/errors.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { LogFields, Logger } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import type { AgentConnector, AgentMsg, AgentSession } from "../transport/messages.ts";
import { createRunBook } from "./run-book.ts";
import { createRunMachine, runStep, type RunCommand, type RunMachineEvent } from "./run-machine.ts";
import { planTargets } from "./targets.ts";
import type { MergedRun, RunResult, RunUpdate, TimelineEntry } from "../run/types.ts";

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

export interface RunHandle {
  readonly runId: string;
  /** Ends the run early: VUs are stopped at once; the result is marked aborted. */
  abort(reason: string): void;
  /** Ends the run early, gracefully: no new iteration starts, requests in flight finish (up to gracefulStopMs); marked aborted. */
  stop(reason: string): void;
  readonly result: Promise<RunResult>;
}

export function startRun(options: RunOptions): RunHandle {
  const { plan, clock, runId } = options;
  const logger = options.logger.child({ component: "controller", run_id: runId });
  if (options.agents.length === 0) throw new IndusError("no_agents", "no agents to run the plan on", { hint: "start an agent and pass --agents" });
  const book = createRunBook(runId, plan, options.agents.length);
  let state = createRunMachine({
    runId,
    plan,
    targets: planTargets(plan.scenarios),
    agents: options.agents.map((a) => ({ id: a.id, address: a.address })),
    readyTimeoutMs: options.readyTimeoutMs,
    gracefulStopMs: options.gracefulStopMs,
    snapshotWaitMs: options.snapshotWaitMs,
  });
  const startedAt = new Date(clock.wallNow());
  const sessions: AgentSession[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settle: { resolve: (r: RunResult) => void; reject: (e: unknown) => void };
  const result = new Promise<RunResult>((resolve, reject) => (settle = { resolve, reject }));
  // events raised while commands run (a breach, a session closing under us) wait their turn: one step at a time
  const queue: RunMachineEvent<Snapshot>[] = [];
  let stepping = false;

  const feed = (event: RunMachineEvent<Snapshot>) => {
    queue.push(event);
    if (stepping) return;
    stepping = true;
    try {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const out = runStep(state, e, clock.now());
        state = out.state;
        for (const c of out.commands) execute(c);
      }
    } catch (e) {
      // a bug in our own code ends this run with a reason (the service logs and records it), never leaves it hanging
      for (const s of sessions) s.close();
      clearTimeout(timer);
      settle.reject(e);
      return;
    } finally {
      stepping = false;
    }
    clearTimeout(timer);
    timer = state.wakeAt === undefined ? undefined : setTimeout(() => feed({ kind: "tick" }), Math.max(0, state.wakeAt - clock.now()));
  };

  const execute = (c: RunCommand<Snapshot>) => {
    switch (c.kind) {
      case "send":
        return sessions[c.agent]!.send(c.msg);
      case "close":
        return sessions[c.agent]!.close();
      case "merge":
        return book.merge(c.agent, c.snapshot);
      case "second": {
        const { entry, merged } = book.closeSecond(c.t, c.vus);
        options.onSecond?.(entry, merged, c.snapshots);
        if (c.final) return;
        const { update, breach } = book.judge(c.t, "running", c.agents);
        options.onUpdate?.(update);
        if (breach) queue.push({ kind: "breach", reason: breach });
        return;
      }
      case "refuse":
        return settle.reject(new IndusError(c.code, c.message));
      case "finish": {
        const { result: r, update } = book.finish(c, startedAt);
        logger.info("run finished", { state: r.state, passed: r.passed, reason: r.reason });
        options.onUpdate?.(update);
        return settle.resolve(r);
      }
      case "log":
        return logger[c.level](c.message, c.fields);
    }
  };

  options.agents.forEach((connector, agent) => {
    const session = connector.open();
    sessions.push(session);
    session.onMessage((msg: AgentMsg) => {
      switch (msg.kind) {
        case "ready":
          return feed({ kind: "ready", agent });
        case "error":
          return feed({ kind: "refused", agent, code: msg.code, message: msg.message });
        case "snapshot": {
          const vus: Record<string, number> = {};
          for (const name in msg.snapshot.scenarios) vus[name] = msg.snapshot.scenarios[name]!.vus;
          return feed({ kind: "snapshot", agent, seq: msg.seq, final: msg.final, vus, snapshot: msg.snapshot });
        }
        case "scriptError":
          // data, not coordination: it goes to the book (the next update and the result carry it), not the machine
          return book.scriptError(connector.id, msg.report);
      }
    });
    session.onClose((reason) => feed({ kind: "down", agent, reason }));
  });
  feed({ kind: "start" });
  return {
    runId,
    abort: (reason) => feed({ kind: "abort", reason }),
    stop: (reason) => feed({ kind: "abort", reason, graceful: true }),
    result,
  };
}
