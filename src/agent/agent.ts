// An agent: binds each controller conversation's session machine to its executor, the transport and one timer.
import type { Clock } from "../core/clock.ts";
import type { LoadExecutor } from "../engine/runner/executor.ts";
import type { ScriptErrorReport } from "../engine/script/runtime.ts";
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { renameGenerators } from "../metrics/generator.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Logger } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import type { ControllerSession } from "../transport/messages.ts";
import { createSession, sessionStep, sessionVus, type SessionCommand, type SessionEvent, type SessionState } from "./session-machine.ts";

export interface AgentOptions {
  id: string;
  clock: Clock;
  logger: Logger;
  workers: number;
  /** Builds what runs the VUs for one run (in-thread or a worker pool); what it reports goes to the run's controller. */
  createExecutor: (plan: Plan, part: { index: number; count: number }, events: ExecutorEvents) => LoadExecutor | Promise<LoadExecutor>;
  /** Checks a plan before running it (e.g. --allow-targets); returns an error message or undefined. */
  vetPlan?: (plan: Plan) => string | undefined;
  /** Sees every snapshot sent (Prometheus counters). */
  onSnapshot?: (snapshot: Snapshot) => void;
  /** No message from the controller for this long means it is gone: stop every VU (default 5000). */
  controllerTimeoutMs?: number;
}

/** What an executor reports besides its snapshots. */
export interface ExecutorEvents {
  /** an exception a scenario's script threw (the executor reports each distinct message once, at most 10) */
  onScriptError(report: ScriptErrorReport): void;
}

export interface AgentState {
  id: string;
  state: "idle" | "busy";
  runId: string | undefined;
  vus: number;
}

export interface Agent {
  accept(session: ControllerSession): void;
  info(): AgentState;
  /** Resolves when the current run (if any) has stopped. */
  idle(): Promise<void>;
}

export function createAgent(options: AgentOptions): Agent {
  const { clock, logger } = options;
  const timeoutMs = options.controllerTimeoutMs ?? 5000;
  let current: { runId: string; session: SessionState<Snapshot>; done: Promise<void>; release: () => void } | undefined;

  function accept(session: ControllerSession): void {
    let state = createSession<Snapshot>(options.id, options.workers, timeoutMs);
    let executor: LoadExecutor | undefined;
    let pending: SnapshotAccumulator | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let claimed = false;
    let open = true;
    const queue: SessionEvent<Snapshot>[] = [];
    // the run's script errors go to its controller as they come, beside the session machine's messages (data, not
    // coordination); the controller keeps the distinct ones for every watcher of the run
    const events: ExecutorEvents = {
      onScriptError: (report) => {
        if (open) session.send({ kind: "scriptError", report });
      },
    };
    let stepping = false;

    const feed = (event: SessionEvent<Snapshot>) => {
      queue.push(event);
      if (stepping) return;
      stepping = true;
      try {
        for (let e = queue.shift(); e; e = queue.shift()) {
          const out = sessionStep(state, e, clock.now());
          state = out.state;
          for (const c of out.commands) execute(c);
        }
      } finally {
        stepping = false;
      }
      clearTimeout(timer);
      timer = state.wakeAt === undefined ? undefined : setTimeout(() => feed({ kind: "tick" }), Math.max(0, state.wakeAt - clock.now()));
    };

    const hold = (delta: Snapshot) => (pending ??= new SnapshotAccumulator()).add(delta);
    const coalesce = (delta: Snapshot | undefined): Snapshot => {
      let merged = delta ?? { scenarios: {} };
      if (pending) {
        if (delta) pending.add(delta);
        merged = pending.toSnapshot();
        pending = undefined;
      }
      // the executor measured its own threads; the controller knows them by this agent's id
      if (merged.generator) merged.generator = renameGenerators(merged.generator, options.id);
      return merged;
    };

    const execute = (c: SessionCommand<Snapshot>) => {
      switch (c.kind) {
        case "send":
          return session.send(c.msg);
        case "send-snapshot": {
          // the controller is slow to read: merge into the next snapshot, never drop
          if (session.backpressured?.()) return hold(c.delta);
          const snapshot = coalesce(c.delta);
          options.onSnapshot?.(snapshot);
          return session.send({ kind: "snapshot", seq: c.seq, snapshot, final: false });
        }
        case "hold":
          return hold(c.delta);
        case "send-final": {
          const final = coalesce(c.last);
          // the final snapshot covers the last second: report the VUs that ran in it, not the 0 after stopping
          for (const [name, sc] of Object.entries(final.scenarios)) sc.vus = c.vus[name] ?? sc.vus;
          options.onSnapshot?.(final);
          return session.send({ kind: "snapshot", seq: 0, snapshot: final, final: true });
        }
        case "claim": {
          let release = () => {};
          const done = new Promise<void>((r) => (release = r));
          current = { runId: c.runId, session: state, done, release };
          claimed = true;
          return;
        }
        case "release":
          if (!claimed) return;
          claimed = false;
          current?.release();
          current = undefined;
          return;
        case "create-executor":
          return void Promise.resolve()
            .then(() => options.createExecutor(c.plan, c.part, events))
            .then(
              (e) => {
                executor = e;
                feed({ kind: "executor-ready" });
              },
              (e) => feed({ kind: "executor-failed", message: (e as Error).message }),
            );
        case "set-vus":
          return executor?.setVus(c.scenario, c.vus);
        case "set-rate":
          return executor?.setRate?.(c.scenario, c.assignment);
        case "take-delta":
          if (!executor) return feed({ kind: "delta-failed", message: "no executor" });
          return void executor.takeDelta().then(
            (delta) => feed({ kind: "delta", seq: c.seq, delta }),
            (e) => feed({ kind: "delta-failed", message: (e as Error).message }),
          );
        case "stop-executor":
          if (!executor) return feed({ kind: "stopped", last: undefined });
          return void executor.stop(c.mode).then(
            (last) => feed({ kind: "stopped", last }),
            (e) => feed({ kind: "stopped", last: undefined, error: (e as Error).message }),
          );
        case "close":
          return session.close();
        case "log":
          return logger[c.level](c.message, c.fields);
      }
    };

    session.onMessage((msg) => {
      if (msg.kind !== "assign") return feed({ kind: "message", msg });
      const busy = current && !claimed ? { code: "agent_busy", message: `agent ${options.id} is busy with run ${current.runId}` } : undefined;
      // off the transport's callback: an exception in the vetting reaches the process guard, which fails this run
      // with "internal error: ..." and one log line, as any other unexpected error of the agent does
      void Promise.resolve().then(() => {
        const refusal = busy ?? vet(msg.plan);
        feed({ kind: "message", msg, ...(refusal ? { refusal } : {}) });
      });
    });
    session.onClose((reason) => {
      open = false;
      feed({ kind: "closed", reason });
    });
    feed({ kind: "opened" });
  }

  /** --allow-targets and the like (an exception here is the process guard's: it fails the conversation) */
  const vet = (plan: Plan): { code: string; message: string } | undefined => {
    const refusal = options.vetPlan?.(plan);
    return refusal ? { code: "target_not_allowed", message: refusal } : undefined;
  };

  return {
    accept,
    info() {
      return { id: options.id, state: current ? "busy" : "idle", runId: current?.runId, vus: current ? sessionVus(current.session) : 0 };
    },
    idle: () => current?.done ?? Promise.resolve(),
  };
}
