// Runs a plan's VUs in this thread: the unit a worker (or a test) drives with setVus/takeDelta/stop.
import type { Clock } from "../../core/clock.ts";
import type { Plan } from "../../plan/types.ts";
import { LOCAL_GENERATOR } from "../../metrics/generator.ts";
import { Recorder } from "../../metrics/recorder.ts";
import type { Snapshot } from "../../metrics/snapshot.ts";
import { isRateProfile } from "../../plan/types.ts";
import { tagLayout } from "../../plan/tags.ts";
import { createDataFeed, type Part } from "../steps/data-feed.ts";
import { compileScenario } from "../steps/program.ts";
import type { RateAssignment } from "./rate-assignment.ts";
import { RateRunner } from "./rate-runner.ts";
import type { Engine } from "../types.ts";
import type { PlanEngines } from "../plan-engines.ts";
import { startGeneratorMonitor } from "./generator-monitor.ts";
import { ScriptRuntime, type ScriptErrorReport } from "../script/index.ts";
import { ScenarioRunner } from "./scenario-runner.ts";

/**
 * How VUs stop. end: the schedule's end; graceful: a stop asked for before it (Ctrl-C, the dashboard); both let
 * requests in flight finish, and at the end an arrival-rate scenario counts the arrivals its clock had not reached
 * as dropped (an agent's clock starts when its assignment arrives, up to seconds after the controller's), where an
 * early stop leaves arrivals not yet due uncounted: they were never scheduled to have started. abort: at once.
 */
export type StopMode = "end" | "graceful" | "abort";

/**
 * The binary starts with JavaScriptCore's tier-up thresholds ×4 (scripts/build.ts, --compile-jit-policy): start-up
 * code and a run at a few thousand requests a second rarely pay back what the JIT spends compiling them (measured:
 * a 1 s run 60 -> 46 ms of CPU, a 50 ms target at 64 VUs 5-8% less per request). A second of load above half a core
 * restores the normal policy, so a busy generator compiles its hot path early (measured: x4 throughout cost the
 * 64-VU static case ~3% per request). Higher scales were tried: x64 took ~10% more off the 50 ms target at 64 VUs
 * (FTL compiling 44 -> 20 ms) but 50,000 thinking VUs held 7 MB more (140-143 -> 147-150 MB; x16 the same).
 * Raising the scale after a light first second does not stop FTL: functions already in DFG keep the FTL threshold
 * they were compiled with (x1000 at 1 s still compiled 21 functions with FTL). `run` and `agent` go without FTL
 * altogether instead (src/cli/restart.ts).
 */
const BUSY_FOR_FULL_JIT_PCT = 50;

/** What an agent drives, whether its VUs run in this thread or across worker threads. */
export interface LoadExecutor {
  /** Sets one scenario's VU count on this executor. */
  setVus(scenario: string, vus: number): void;
  /** Starts (or re-shares) an arrival-rate scenario: which arrivals this executor runs, with how many VUs. */
  setRate?(scenario: string, assignment: RateAssignment): void;
  /** What was measured since the previous call. */
  takeDelta(): Promise<Snapshot>;
  /** Stops every VU (graceful: let requests in flight finish; abort: cancel them) and returns the last delta. */
  stop(mode: StopMode): Promise<Snapshot>;
  /** Resolves when the scenarios' scripts are loaded (rejects with why one cannot be); VUs wait for it. */
  readonly ready?: Promise<void>;
}

export interface ExecutorOptions {
  /** New VUs are spread over this many ms (default 1000: one schedule second). */
  spreadMs?: number;
  /** Measure this thread's lag and CPU into each delta's `generator` (default true). */
  monitorGenerator?: boolean;
  /** Which part of the run this executor is (agents × workers): numbers VUs and hands out data rows (default 0 of 1). */
  part?: Part;
  /** A script threw: once per distinct message (at most 10 per thread). */
  onScriptError?: (report: ScriptErrorReport) => void;
}

/** `engines`: one engine for every scenario, or the plan's choice per scenario (HTTP/1.1 or HTTP/2). */
export function createInThreadExecutor(plan: Plan, engines: Engine | PlanEngines, clock: Clock, options: ExecutorOptions = {}): LoadExecutor {
  const abort = new AbortController();
  const tags = tagLayout(plan);
  const programs = plan.scenarios.map((sc) => compileScenario(sc, plan.env, tags.scenarios.get(sc.name)?.rowSets ?? null));
  const recorder = new Recorder(
    plan.scenarios.map((sc, i) => ({
      name: sc.name,
      open: isRateProfile(sc.profile),
      steps: programs[i]!.steps.map((st, k) => ({ name: st.name, checkNames: st.checks.map((c) => c.name), tagKeys: tags.scenarios.get(sc.name)?.stepKeys[k] })),
      scriptTags: tags.scenarios.get(sc.name)?.scenarioKey ?? "",
    })),
  );
  const spreadMs = options.spreadMs ?? 1000;
  const part = options.part ?? { index: 0, count: 1 };
  const runners = new Map<string, ScenarioRunner>();
  const rateRunners = new Map<string, RateRunner>();
  const scripts: ScriptRuntime[] = [];
  plan.scenarios.forEach((sc, i) => {
    const program = programs[i]!;
    const data = program.data;
    const feed = data ? createDataFeed(data.columns, data.rows, data.order, part) : null;
    const scenarioRecorder = recorder.scenario(sc.name);
    const engine = "forScenario" in engines ? engines.forScenario(sc) : engines;
    const script = program.script
      ? new ScriptRuntime(program.script, sc.name, { env: plan.env ?? {}, recorder: scenarioRecorder, abort: abort.signal, columns: data?.columns ?? [], onError: options.onScriptError })
      : null;
    if (script) scripts.push(script);
    if (isRateProfile(sc.profile)) {
      rateRunners.set(sc.name, new RateRunner(program, sc.profile, sc.duration, scenarioRecorder, engine, clock, abort.signal, feed, script));
    } else {
      runners.set(sc.name, new ScenarioRunner(program, scenarioRecorder, engine, abort.signal, part, feed, script));
    }
  });
  const ready = Promise.all(scripts.map((s) => s.ready)).then(() => {});
  ready.catch(() => {});
  let stopped = false;
  const monitor = options.monitorGenerator === false ? undefined : startGeneratorMonitor();
  let jitRestored = false;
  const withHealth = (snapshot: Snapshot): Snapshot => {
    if (!monitor) return snapshot;
    const health = monitor.take();
    snapshot.generator = { [LOCAL_GENERATOR]: health };
    if (!jitRestored && health.cpuPct > BUSY_FOR_FULL_JIT_PCT) {
      jitRestored = true;
      Bun.unsafe.setJITPolicy(1);
    }
    return snapshot;
  };

  return {
    ready,
    setVus(scenario, vus) {
      if (stopped) return;
      const runner = runners.get(scenario);
      if (!runner) {
        // an arrival-rate scenario's VUs follow its arrivals, not a target
        if (rateRunners.has(scenario)) return;
        throw new Error(`unknown scenario ${scenario}`);
      }
      runner.setTarget(vus, spreadMs);
    },
    setRate(scenario, assignment) {
      if (stopped) return;
      const runner = rateRunners.get(scenario);
      if (!runner) throw new Error(`no arrival-rate scenario ${scenario}`);
      runner.assign(assignment);
    },
    async takeDelta() {
      return withHealth(recorder.takeDelta());
    },
    async stop(mode) {
      stopped = true;
      if (mode === "abort") abort.abort();
      const stops: Promise<void>[] = [];
      for (const r of runners.values()) stops.push(r.stop());
      for (const r of rateRunners.values()) stops.push(r.stop(mode === "end"));
      await Promise.all(stops);
      const last = withHealth(recorder.takeDelta());
      monitor?.stop();
      if ("forScenario" in engines) engines.close();
      return last;
    },
  };
}
