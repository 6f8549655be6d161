// The controller as a service: accepts plans, runs them on its agents, fans progress out to watchers.
import type { Clock } from "../core/clock.ts";
import { IndusError } from "../core/errors.ts";
import { describeFailure } from "../core/failure.ts";
import { failedRunResult } from "../run/failed.ts";
import type { Logger } from "../observability/logger.ts";
import { attachPlanInputs, parsePlan, withScriptRecord } from "../plan/index.ts";
import type { Plan } from "../plan/types.ts";
import type { AgentConnector } from "../transport/messages.ts";
import { startRun, type RunHandle } from "./run.ts";
import { newRunId } from "./run-id.ts";
import type { MergedRun, RunEvent, RunResult, RunSubmission, RunUpdate, ScriptError, TimelineEntry } from "../run/types.ts";

export type { RunEvent } from "../run/types.ts";

/** Where runs are recorded (the SQLite run store implements it; tests may pass nothing). */
export interface RunSink {
  begin(run: { id: string; plan: Plan; planYaml: string; planFile: string; startedAt: Date; agents: { id: string; address: string }[] }): void;
  /**
   * merged: the run so far, already decoded (live, read-only): Prometheus takes its quantiles from it;
   * agentSnapshots: how many agent snapshots the second merged
   */
  second(runId: string, entry: TimelineEntry, merged: MergedRun, agentSnapshots: number): void;
  /** the run's script errors so far, each time there are more: kept before the run ends, as its seconds are */
  scriptErrors?(runId: string, errors: readonly ScriptError[]): void;
  finish(result: RunResult): void;
}

export interface SubmitRequest extends RunSubmission {
  /** planYaml already parsed (a local run read it to collect its inputs): not parsed a second time */
  parsed?: Plan;
}

export interface ActiveRun {
  id: string;
  plan: Plan;
  handle: RunHandle;
  lastUpdate: RunUpdate | undefined;
  result: RunResult | undefined;
  /** Yields every update from now on, then the result. */
  events(): AsyncIterable<RunEvent>;
}

export interface ControllerServiceOptions {
  clock: Clock;
  logger: Logger;
  /** the agents to run on, asked afresh for every run (discovery may change them) */
  agents: () => AgentConnector[] | Promise<AgentConnector[]>;
  sink?: RunSink;
  /** every progress update of every run (Prometheus gauges) */
  onUpdate?: (runId: string, update: RunUpdate) => void;
  gracefulStopMs?: number;
}

/** Several sinks as one; a failing sink does not stop the others (the caller logs). */
export function combineSinks(...sinks: (RunSink | undefined)[]): RunSink {
  const all = sinks.filter((s): s is RunSink => s !== undefined);
  const each = (f: (s: RunSink) => void) => {
    let first: unknown;
    for (const s of all) {
      try {
        f(s);
      } catch (e) {
        first ??= e;
      }
    }
    if (first) throw first;
  };
  return {
    begin: (run) => each((s) => s.begin(run)),
    second: (id, entry, merged, agentSnapshots) => each((s) => s.second(id, entry, merged, agentSnapshots)),
    scriptErrors: (id, errors) => each((s) => s.scriptErrors?.(id, errors)),
    finish: (result) => each((s) => s.finish(result)),
  };
}

export interface ControllerService {
  submit(request: SubmitRequest): Promise<ActiveRun>;
  /** A running or recently finished run held in memory. */
  run(id: string): ActiveRun | undefined;
  runs(): ActiveRun[];
  abort(id: string, reason: string): boolean;
  /** Aborts every run and waits for them to end. */
  shutdown(reason: string): Promise<void>;
}

export function createControllerService(options: ControllerServiceOptions): ControllerService {
  const runs = new Map<string, ActiveRun>();
  const { logger } = options;

  async function submit(request: SubmitRequest): Promise<ActiveRun> {
    const parsed = request.parsed ?? parsePlan(request.planYaml, request.planFile);
    // agents get the data rows and env values inside the plan; the run store keeps the plan as written
    const shipped = attachPlanInputs(parsed, request.inputs ?? { files: {}, env: {} }, { planFile: request.planFile, planYaml: request.planYaml });
    // ... with each script's bundle hash and size (agents check theirs against it before their first VU)
    const plan = withScriptRecord(parsed, shipped);
    for (const sc of plan.scenarios) if (sc.script) logger.info("script bundle", { scenario: sc.name, file: sc.script.file, sha256: sc.script.sha256, bytes: sc.script.bytes });
    const agents = await options.agents();
    if (agents.length === 0) {
      throw new IndusError("no_agents", "the controller has no agents to run the plan on", {
        hint: "start agents and pass --agents=host:port,... (or --agents=dns:NAME:PORT, --discover=mdns) to the controller",
      });
    }
    let id = newRunId();
    while (runs.has(id)) id = newRunId();
    const listeners = new Set<(e: RunEvent) => void>();
    const emit = (e: RunEvent) => {
      for (const l of listeners) l(e);
    };
    const startedAt = new Date(options.clock.wallNow());
    let begun = false;
    /** how many of the run's script errors the sink has (the run book only ever appends to them) */
    let scriptErrorsKept = 0;
    let markStarted = () => {};
    const started = new Promise<void>((r) => (markStarted = r));
    const handle = startRun({
      runId: id,
      plan: shipped,
      agents,
      clock: options.clock,
      logger,
      gracefulStopMs: options.gracefulStopMs,
      onUpdate: (update) => {
        markStarted();
        active.lastUpdate = update;
        const scriptErrors = update.scriptErrors ?? [];
        if (begun && scriptErrors.length > scriptErrorsKept) {
          scriptErrorsKept = scriptErrors.length;
          try {
            options.sink?.scriptErrors?.(id, scriptErrors);
          } catch (e) {
            logger.error("run store write failed", { run_id: id, error: (e as Error).message });
          }
        }
        options.onUpdate?.(id, update);
        emit({ kind: "update", update });
      },
      onSecond: (entry, merged, agentSnapshots) => {
        if (!begun) return;
        try {
          options.sink?.second(id, entry, merged, agentSnapshots);
        } catch (e) {
          logger.error("run store write failed", { run_id: id, error: (e as Error).message });
        }
      },
    });
    const active: ActiveRun = {
      id,
      plan,
      handle,
      lastUpdate: undefined,
      result: undefined,
      events: () => subscribe(active, listeners),
    };
    runs.set(id, active);
    try {
      options.sink?.begin({ id, plan, planYaml: request.planYaml, planFile: request.planFile, startedAt, agents: agents.map((a) => ({ id: a.id, address: a.address })) });
      begun = true;
    } catch (e) {
      logger.error("run store write failed", { run_id: id, error: (e as Error).message });
    }
    const settle = (result: RunResult) => {
      active.result = result;
      try {
        if (begun) options.sink?.finish(result);
      } catch (e) {
        logger.error("run store write failed", { run_id: id, error: (e as Error).message });
      }
      emit({ kind: "result", result });
      listeners.clear();
    };
    handle.result.then(settle, (e) => {
      // refused at start: the submitter gets the error
      if (!active.lastUpdate) return void runs.delete(id);
      // broken mid-run by a bug: the run fails with the reason, its watchers and the store hear it, the process stays up
      const reason = `internal error: ${describeFailure(e)}`;
      logger.error("run failed unexpectedly", { run_id: id, error: reason });
      settle(failedRunResult({ runId: id, plan, startedAt, durationMs: options.clock.wallNow() - startedAt.getTime(), reason }));
    });
    // a run refused at start (agent busy, unreachable) is an error for the submitter
    // (a run that broke after it started is settled as failed above: its stream carries that)
    await Promise.race([handle.result.then(() => undefined, (e) => (active.lastUpdate ? undefined : Promise.reject(e))), started]);
    return active;
  }

  return {
    submit,
    run: (id) => runs.get(id) ?? [...runs.values()].find((r) => r.id.startsWith(id)),
    runs: () => [...runs.values()],
    abort(id, reason) {
      const run = runs.get(id);
      if (!run || run.result) return false;
      run.handle.abort(reason);
      return true;
    },
    async shutdown(reason) {
      const pending = [...runs.values()].filter((r) => !r.result);
      for (const r of pending) r.handle.abort(reason);
      await Promise.allSettled(pending.map((r) => r.handle.result));
    },
  };
}

function subscribe(run: ActiveRun, listeners: Set<(e: RunEvent) => void>): AsyncIterable<RunEvent> {
  return {
    [Symbol.asyncIterator]() {
      const queue: RunEvent[] = [];
      let wake: (() => void) | undefined;
      let done = false;
      if (run.result) {
        queue.push({ kind: "result", result: run.result });
      } else {
        if (run.lastUpdate) queue.push({ kind: "update", update: run.lastUpdate });
        const listener = (e: RunEvent) => {
          queue.push(e);
          wake?.();
        };
        listeners.add(listener);
      }
      return {
        async next(): Promise<IteratorResult<RunEvent>> {
          for (;;) {
            if (done) return { done: true, value: undefined };
            const e = queue.shift();
            if (e) {
              if (e.kind === "result") done = true;
              return { done: false, value: e };
            }
            await new Promise<void>((r) => (wake = r));
          }
        },
        async return(): Promise<IteratorResult<RunEvent>> {
          done = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
}
