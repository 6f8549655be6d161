// An agent runs the VUs it is assigned and answers each controller heartbeat with a delta snapshot.
import type { Clock } from "../core/clock.ts";
import type { LoadExecutor } from "../engine/runner/executor.ts";
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { renameGenerators } from "../metrics/generator.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Logger } from "../observability/logger.ts";
import type { Plan } from "../plan/types.ts";
import type { ControlMsg, ControllerSession } from "../transport/messages.ts";

export interface AgentOptions {
  id: string;
  clock: Clock;
  logger: Logger;
  workers: number;
  /** Builds what runs the VUs for one run (in-thread or a worker pool). */
  createExecutor: (plan: Plan, part: { index: number; count: number }) => LoadExecutor | Promise<LoadExecutor>;
  /** Checks a plan before running it (e.g. --allow-targets); returns an error message or undefined. */
  vetPlan?: (plan: Plan) => string | undefined;
  /** Sees every snapshot sent (Prometheus counters). */
  onSnapshot?: (snapshot: Snapshot) => void;
  /** No message from the controller for this long means it is gone: stop every VU (default 5000). */
  controllerTimeoutMs?: number;
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
  let current: { runId: string; vus: Map<string, number>; done: Promise<void> } | undefined;

  function accept(session: ControllerSession): void {
    logger.info("RunScenario stream opened", { component: "agent", agent_id: options.id });
    let executor: LoadExecutor | undefined;
    let runId: string | undefined;
    let finished = false;
    let resolveDone: () => void = () => {};
    let pending: SnapshotAccumulator | undefined;
    let lastHeard = clock.now();
    let watchdog: ReturnType<typeof setInterval> | undefined;

    const finish = async (mode: "graceful" | "abort", reason: string, sendFinal: boolean) => {
      if (finished) return;
      finished = true;
      if (watchdog) clearInterval(watchdog);
      if (executor) {
        if (reason === "schedule complete") {
          for (const scenario of current?.vus.keys() ?? []) {
            logger.info("scenario duration elapsed", { component: "agent", agent_id: options.id, scenario, run_id: runId });
          }
        }
        const vusBefore = new Map(current?.vus ?? []);
        let last: Snapshot = { scenarios: {} };
        try {
          last = await executor.stop(mode);
        } catch (e) {
          logger.error("executor failed while stopping", { component: "agent", agent_id: options.id, run_id: runId, error: (e as Error).message });
        }
        const final = coalesce(last);
        // the final snapshot covers the last second: report the VUs that ran in it, not the 0 after stopping
        for (const [name, sc] of Object.entries(final.scenarios)) sc.vus = vusBefore.get(name) ?? sc.vus;
        options.onSnapshot?.(final);
        if (sendFinal) session.send({ kind: "snapshot", seq: 0, snapshot: final, final: true });
        logger.info("scenario stopped", { component: "agent", agent_id: options.id, run_id: runId, reason });
      }
      if (sendFinal) session.close();
      current = undefined;
      resolveDone();
    };

    const coalesce = (delta: Snapshot): Snapshot => {
      let merged = delta;
      if (pending) {
        pending.add(delta);
        merged = pending.toSnapshot();
        pending = undefined;
      }
      // the executor measured its own threads; the controller knows them by this agent's id
      if (merged.generator) merged.generator = renameGenerators(merged.generator, options.id);
      return merged;
    };

    const onAssign = async (msg: Extract<ControlMsg, { kind: "assign" }>) => {
      if (current || executor || runId) {
        session.send({ kind: "error", code: "agent_busy", message: `agent ${options.id} is busy with run ${current?.runId ?? runId}` });
        session.close();
        return;
      }
      const refusal = options.vetPlan?.(msg.plan);
      if (refusal) {
        session.send({ kind: "error", code: "target_not_allowed", message: refusal });
        session.close();
        return;
      }
      runId = msg.runId;
      current = { runId, vus: new Map(), done: new Promise<void>((r) => (resolveDone = r)) };
      try {
        executor = await options.createExecutor(msg.plan, { index: msg.agentIndex, count: msg.agentCount });
      } catch (e) {
        session.send({ kind: "error", code: "agent_failed", message: (e as Error).message });
        session.close();
        current = undefined;
        resolveDone();
        return;
      }
      if (finished) {
        // the controller went away while the executor was starting
        await executor.stop("abort");
        return;
      }
      for (const sc of msg.plan.scenarios) {
        logger.info("assigning scenario", { component: "agent", agent_id: options.id, scenario: sc.name, run_id: runId });
      }
      watchdog = setInterval(() => {
        if (clock.now() - lastHeard > timeoutMs) {
          logger.warn("controller silent, stopping all VUs", { component: "agent", agent_id: options.id, run_id: runId });
          void finish("abort", "controller lost", false);
          session.close();
        }
      }, 250);
      session.send({ kind: "ready", agentId: options.id, workers: options.workers });
    };

    session.onMessage((msg) => {
      lastHeard = clock.now();
      if (finished) return;
      switch (msg.kind) {
        case "assign":
          void onAssign(msg);
          return;
        case "adjust":
          if (!executor || !current) return;
          for (const [scenario, vus] of Object.entries(msg.vus)) {
            executor.setVus(scenario, vus);
            current.vus.set(scenario, vus);
          }
          for (const [scenario, assignment] of Object.entries(msg.rates ?? {})) executor.setRate?.(scenario, assignment);
          return;
        case "heartbeat":
          if (!executor) return;
          void executor.takeDelta().then((delta) => {
            // taken while stopping: the final snapshot carries it
            if (finished) return void (pending ??= new SnapshotAccumulator()).add(delta);
            if (session.backpressured?.()) {
              // the controller is slow to read: merge into the next snapshot, never drop
              (pending ??= new SnapshotAccumulator()).add(delta);
              return;
            }
            const snapshot = coalesce(delta);
            options.onSnapshot?.(snapshot);
            session.send({ kind: "snapshot", seq: msg.seq, snapshot, final: false });
          }, (e) => {
            // a worker died: stop everything rather than run blind
            logger.error("executor failed, stopping all VUs", { component: "agent", agent_id: options.id, run_id: runId, error: (e as Error).message });
            session.send({ kind: "error", code: "agent_failed", message: (e as Error).message });
            void finish("abort", "executor failed", false).catch(() => {});
            session.close();
          });
          return;
        case "stop":
          void finish(msg.mode, msg.reason, true);
          return;
      }
    });

    session.onClose((reason) => {
      if (finished) return;
      if (executor) {
        logger.warn("controller stream closed, stopping all VUs", { component: "agent", agent_id: options.id, run_id: runId, reason });
        void finish("abort", "controller stream closed", false);
      } else if (current) {
        // still starting: onAssign sees `finished` and stops the executor it is building
        finished = true;
        current = undefined;
        resolveDone();
      }
    });
  }

  return {
    accept,
    info() {
      let vus = 0;
      for (const n of current?.vus.values() ?? []) vus += n;
      return { id: options.id, state: current ? "busy" : "idle", runId: current?.runId, vus };
    },
    idle: () => current?.done ?? Promise.resolve(),
  };
}
