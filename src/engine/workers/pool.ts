// A LoadExecutor that spreads VUs over Bun Workers: each runs its own in-thread executor; deltas merge here.
import os from "node:os";
import { SnapshotAccumulator } from "../../metrics/accumulator.ts";
import type { Snapshot } from "../../metrics/snapshot.ts";
import type { Plan } from "../../plan/types.ts";
import { splitEven } from "../../schedule/index.ts";
import type { EngineName, EngineOptions } from "../index.ts";
import { compileScenario } from "../steps/program.ts";
import type { LoadExecutor, StopMode } from "../runner/executor.ts";
import type { Part } from "../steps/data-feed.ts";
import { splitAssignment } from "../runner/rate-assignment.ts";
import { WorkerLink } from "./link.ts";
import type { WorkerFault } from "./protocol.ts";
import { workerUrl } from "./worker-url.ts";
import { DEFAULT_TIMEOUT_MS, MAX_REPORTED_ERRORS, type ScriptErrorReport } from "../script/index.ts";

export interface WorkerPoolOptions {
  /** Worker threads (≥ 1; one still keeps the VUs off the caller's thread). */
  workers: number;
  engine: EngineName;
  engineOptions?: EngineOptions;
  /** New VUs are spread over this many ms (default 1000). */
  spreadMs?: number;
  /** takeDelta waits this long for a busy worker, then returns without it; its delta joins the next one (default 500). */
  replyTimeoutMs?: number;
  /** This agent's part of the run (agents): the workers split it again (default 0 of 1). */
  part?: Part;
  /** A script threw: once per distinct message in this process, at most MAX_REPORTED_ERRORS. */
  onScriptError?: (report: ScriptErrorReport) => void;
  /** Test-only: faults for the worker at each index. */
  faults?: Record<number, WorkerFault>;
}

export interface WorkerPoolExecutor extends LoadExecutor {
  /** Resolves when every worker has built its executor (commands sent earlier are queued, in order). */
  readonly ready: Promise<void>;
  /** Per worker, the VUs per scenario it reported in its latest delta. */
  reportedVus(): Array<Record<string, number>>;
}

/** One worker per core this process may run on. */
export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism?.() ?? navigator.hardwareConcurrency ?? 1);
}

/** Starts the workers and resolves once every one has built its executor; rejects (workers gone) if one cannot. */
export async function createWorkerPoolExecutor(plan: Plan, options: WorkerPoolOptions): Promise<WorkerPoolExecutor> {
  const pool = openWorkerPool(plan, options);
  await pool.ready;
  return pool;
}

/**
 * Starts the workers and returns at once, for callers that cannot wait: commands sent before
 * `ready` queue up in order behind each worker's start, so VUs still start only once it is built.
 */
export function openWorkerPool(plan: Plan, options: WorkerPoolOptions): WorkerPoolExecutor {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`workers must be an integer ≥ 1, got ${options.workers}`);
  // Bad steps fail here, synchronously, as they would in the in-thread executor.
  for (const sc of plan.scenarios) compileScenario(sc, plan.env);
  const replyTimeoutMs = options.replyTimeoutMs ?? 500;
  const scenarioIndex = new Map(plan.scenarios.map((sc, i) => [sc.name, i]));

  const pending = new SnapshotAccumulator();
  let failure: Error | undefined;
  const failed = Promise.withResolvers<never>();
  failed.promise.catch(() => {});
  let stopping: Promise<Snapshot> | undefined;

  const part = options.part ?? { index: 0, count: 1 };
  const url = workerUrl();
  const links: WorkerLink[] = [];
  const reported = new Set<string>();
  const events = {
    onScriptError: (report: ScriptErrorReport) => {
      if (reported.has(report.message) || reported.size >= MAX_REPORTED_ERRORS) return;
      reported.add(report.message);
      options.onScriptError?.(report);
    },
    onSnapshot: (_: WorkerLink, snapshot: Snapshot) => pending.add(snapshot),
    onFailure: (link: WorkerLink, message: string) => {
      if (failure) return;
      failure = new Error(`worker ${link.index + 1} of ${links.length} failed: ${message}`);
      // No orphan load: the whole pool goes when one worker does.
      for (const l of links) l.terminate();
      failed.reject(failure);
    },
  };
  for (let index = 0; index < options.workers; index++) {
    const init = {
      type: "init" as const,
      index,
      plan,
      engine: options.engine,
      engineOptions: options.engineOptions ?? {},
      part: { index: part.index + part.count * index, count: part.count * options.workers },
      spreadMs: options.spreadMs ?? 1000,
      fault: options.faults?.[index],
    };
    links.push(new WorkerLink(url, init, events));
  }
  const ready = Promise.all(links.map((l) => l.ready)).then(
    () => {},
    () => {
      throw failure ?? new Error("worker pool failed to start");
    },
  );
  ready.catch(() => {});

  /** Everything received since the last drain, with the VU gauge summed over workers. */
  const drain = (): Snapshot => {
    for (const sc of plan.scenarios) {
      let vus = 0;
      for (const l of links) vus += l.vus.get(sc.name) ?? 0;
      pending.setVus(sc.name, vus);
    }
    const snapshot = pending.toSnapshot();
    // the same accumulator (and its histograms) takes the next second's deltas
    pending.clear();
    return snapshot;
  };

  const within = async (work: Promise<unknown>, ms: number): Promise<boolean> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([work.then(() => true), timeout, failed.promise]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    ready,
    setVus(scenario, vus) {
      if (stopping || failure) return;
      const offset = scenarioIndex.get(scenario);
      if (offset === undefined) throw new Error(`unknown scenario ${scenario}`);
      splitEven(vus, links.length, offset).forEach((share, i) => {
        const link = links[i]!;
        if (link.shares.get(scenario) === share) return;
        link.shares.set(scenario, share);
        link.post({ type: "setVus", scenario, vus: share });
      });
    },
    setRate(scenario, assignment) {
      if (stopping || failure) return;
      if (!scenarioIndex.has(scenario)) throw new Error(`unknown scenario ${scenario}`);
      // each worker takes every n-th of the agent's arrivals: together exactly the agent's share
      splitAssignment(assignment, links.length).forEach((a, i) => links[i]!.post({ type: "setRate", scenario, assignment: a }));
    },
    async takeDelta() {
      if (failure) throw failure;
      if (stopping) return drain();
      // A worker that misses the deadline is not waited for: its delta lands in `pending` and goes out next time.
      await within(Promise.all(links.map((l) => l.take())), replyTimeoutMs);
      if (failure) throw failure;
      return drain();
    },
    stop(mode: StopMode) {
      // Ctrl-C during a graceful stop: cancel what is in flight, and still answer with the one final delta.
      if (stopping && mode === "abort" && !failure) for (const l of links) void l.stop("abort");
      stopping ??= (async () => {
        try {
          if (failure) throw failure;
          const limitMs = stopLimitMs(plan, mode);
          const done = await within(Promise.all(links.map((l) => l.stop(mode))), limitMs);
          if (failure) throw failure;
          if (!done) {
            const late = links.filter((l) => !l.stopped).map((l) => l.index + 1);
            throw new Error(`worker(s) ${late.join(", ")} of ${links.length} did not stop within ${limitMs} ms`);
          }
          return drain();
        } finally {
          for (const l of links) l.terminate();
        }
      })();
      return stopping;
    },
    reportedVus: () => links.map((l) => Object.fromEntries(l.vus)),
  };
}

/** A graceful stop waits for requests in flight, each bounded by its step's timeout; an abort cancels them. */
function stopLimitMs(plan: Plan, mode: StopMode): number {
  if (mode === "abort") return 5000;
  let longest = 0;
  for (const sc of plan.scenarios) for (const step of sc.steps) longest = Math.max(longest, step.timeout);
  // a script's request in flight when its VU stops: a step's default timeout, unless it set its own
  if (plan.scenarios.some((sc) => sc.script !== undefined)) longest = Math.max(longest, DEFAULT_TIMEOUT_MS);
  return longest + 5000;
}
