// Runs a plan's VUs in this thread: the unit a worker (or a test) drives with setVus/takeDelta/stop.
import type { Clock } from "../../core/clock.ts";
import type { Plan } from "../../plan/types.ts";
import { Recorder } from "../../metrics/recorder.ts";
import type { Snapshot } from "../../metrics/snapshot.ts";
import { prepareRequest } from "../index.ts";
import type { Engine } from "../types.ts";
import { ScenarioRunner } from "./scenario-runner.ts";

export type StopMode = "graceful" | "abort";

/** What an agent drives, whether its VUs run in this thread or across worker threads. */
export interface LoadExecutor {
  /** Sets one scenario's VU count on this executor. */
  setVus(scenario: string, vus: number): void;
  /** What was measured since the previous call. */
  takeDelta(): Promise<Snapshot>;
  /** Stops every VU (graceful: let requests in flight finish; abort: cancel them) and returns the last delta. */
  stop(mode: StopMode): Promise<Snapshot>;
}

export interface ExecutorOptions {
  /** New VUs are spread over this many ms (default 1000: one schedule second). */
  spreadMs?: number;
}

export function createInThreadExecutor(plan: Plan, engine: Engine, clock: Clock, options: ExecutorOptions = {}): LoadExecutor {
  const abort = new AbortController();
  const recorder = new Recorder(plan.scenarios);
  const spreadMs = options.spreadMs ?? 1000;
  const runners = new Map<string, ScenarioRunner>();
  for (const sc of plan.scenarios) {
    const vuScenario = { requests: sc.steps.map(prepareRequest), thinkTimeMs: sc.think_time };
    runners.set(sc.name, new ScenarioRunner(vuScenario, recorder.scenario(sc.name), engine, clock, abort.signal));
  }
  let stopped = false;

  return {
    setVus(scenario, vus) {
      if (stopped) return;
      const runner = runners.get(scenario);
      if (!runner) throw new Error(`unknown scenario ${scenario}`);
      runner.setTarget(vus, spreadMs);
    },
    async takeDelta() {
      return recorder.takeDelta();
    },
    async stop(mode) {
      stopped = true;
      if (mode === "abort") abort.abort();
      await Promise.all([...runners.values()].map((r) => r.stop()));
      return recorder.takeDelta();
    },
  };
}
