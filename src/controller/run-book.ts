// What a run measured: merges agents' snapshots second by second, judges thresholds, builds the result.
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { saturationFraction, summarizeGenerators } from "../metrics/generator.ts";
import type { RunState } from "../metrics/run.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan } from "../plan/types.ts";
import { abortRequested, evaluateThresholds, type ThresholdResult, type ThresholdScope } from "../threshold/index.ts";
import { summarize } from "./summary.ts";
import type { AgentRecord, MergedRun, RunResult, RunUpdate, TimelineEntry } from "./types.ts";
import { windowStats } from "./window.ts";

const RPS_WINDOW_S = 5;

export interface RunBook {
  /** Adds an agent's snapshot to the open second and to the agent's own totals. */
  merge(agent: number, snapshot: Snapshot): void;
  /** Closes second t: returns the timeline entry and the whole run so far (live, read-only). */
  closeSecond(t: number, vus: Record<string, number>): { entry: TimelineEntry; merged: MergedRun };
  /** Judges thresholds after second t; returns the progress update and, with abort_on_fail, why to stop. */
  judge(t: number, state: RunState, agents?: (AgentRecord & { vus: number })[]): { update: RunUpdate; breach: string | undefined };
  /** The run's result (and its last update) once the machine says it is over. */
  finish(finish: { elapsedS: number; stopped: { state: RunState; reason: string } | undefined; agents: AgentRecord[] }, startedAt: Date): { result: RunResult; update: RunUpdate };
}

export function createRunBook(runId: string, plan: Plan, agentCount: number): RunBook {
  const cumulative = new SnapshotAccumulator();
  const timeline: TimelineEntry[] = [];
  let bucket = new SnapshotAccumulator();
  // the last seconds, merged, for thresholds with a window
  const recent: SnapshotAccumulator[] = [];
  const longestWindowS = Math.max(0, ...plan.thresholds.map((t) => Math.ceil((t.window ?? 0) / 1000)));
  // only its whole-run stats are reported: one histogram per agent, not one per step, made when it first reports
  const own: (SnapshotAccumulator | undefined)[] = new Array(agentCount).fill(undefined);
  const counts = Array.from({ length: agentCount }, () => ({ requests: 0, errors: 0 }));
  let lastThresholds: ThresholdResult[] = [];
  const firstFailedAtMs = new Map<number, number>();

  /** over the whole run, or its last `windowMs` (a threshold's window) */
  const generatorSummary = (windowMs?: number) => {
    const seconds = windowMs === undefined ? timeline : timeline.slice(-Math.max(1, Math.ceil(windowMs / 1000)));
    return summarizeGenerators(seconds.map((e) => e.snapshot.generator));
  };
  /** Stats of a scope over the whole run (or its window), each scope merged once per call of lookup. */
  const scopeStats = (seen: Map<string, Stats | undefined>, scope: ThresholdScope, seconds: number) => {
    // several thresholds (and the progress row) often read the same scope: merging its histograms is the cost
    const key = `${scope.scenario ?? ""}\u0000${scope.step ?? ""}\u0000${scope.window ?? ""}\u0000${seconds}`;
    if (seen.has(key)) return seen.get(key);
    const stats = scope.window === undefined ? cumulative.stats(scope, Math.max(seconds, 1e-9)) : windowStats(recent, scope, scope.window);
    seen.set(key, stats);
    return stats;
  };
  const lookup = (seconds: number, seen = new Map<string, Stats | undefined>()) => {
    // run-wide, whatever the scenario or step: one generator serves every scenario
    const wholeRun = saturationFraction(generatorSummary());
    return (scope: ThresholdScope) => {
      const generator_saturation = scope.window === undefined ? wholeRun : saturationFraction(generatorSummary(scope.window));
      const sc = scope.scenario ? plan.scenarios.find((s) => s.name === scope.scenario) : undefined;
      const scopeSeconds = sc ? Math.min(seconds, Math.ceil(sc.duration / 1000)) : seconds;
      const stats = scopeStats(seen, scope, scopeSeconds);
      return stats && { ...stats, generator_saturation };
    };
  };

  return {
    merge(agent, snapshot) {
      bucket.add(snapshot, (own[agent] ??= new SnapshotAccumulator({ wholeOnly: true })));
      const c = counts[agent]!;
      for (const name in snapshot.scenarios) {
        const steps = snapshot.scenarios[name]!.steps;
        for (const step in steps) {
          c.requests += steps[step]!.requests;
          c.errors += steps[step]!.errors;
        }
      }
    },
    closeSecond(t, vus) {
      for (const [name, n] of Object.entries(vus)) bucket.setVus(name, n);
      const entry: TimelineEntry = { t, vus, snapshot: bucket.toSnapshot() };
      timeline.push(entry);
      cumulative.addAccumulator(bucket);
      recent.push(bucket);
      if (recent.length > longestWindowS) recent.shift();
      bucket = new SnapshotAccumulator();
      return { entry, merged: cumulative };
    },
    judge(t, state, agents) {
      const seen = new Map<string, Stats | undefined>();
      lastThresholds = evaluateThresholds(plan.thresholds, lookup(t, seen));
      lastThresholds.forEach((r, i) => {
        if (!r.passed && !firstFailedAtMs.has(i)) firstFailedAtMs.set(i, t * 1000);
      });
      const window = timeline.slice(-RPS_WINDOW_S);
      let windowRequests = 0;
      for (const e of window) for (const sc of Object.values(e.snapshot.scenarios)) for (const st of Object.values(sc.steps)) windowRequests += st.requests;
      const global = scopeStats(seen, {}, t);
      const last = timeline.at(-1);
      const update: RunUpdate = {
        runId,
        row: {
          state,
          elapsedMs: t * 1000,
          vus: Object.values(last?.vus ?? {}).reduce((a, b) => a + b, 0),
          rps: window.length ? windowRequests / window.length : 0,
          p95: global?.p95 ?? NaN,
          errorRatio: global?.error_ratio ?? 0,
          ...(last?.snapshot.generator ? { generator: last.snapshot.generator } : {}),
        },
        thresholds: lastThresholds,
        // the live dashboard's agents table: each agent's own counts with the VUs it last reported
        ...(agents ? { agents: agents.map((a, i) => ({ ...a, ...counts[i]! })) } : {}),
      };
      const abortBy = abortRequested(lastThresholds, t * 1000);
      return { update, breach: abortBy && `threshold ${abortBy.label} failed (abort_on_fail)` };
    },
    finish({ elapsedS, stopped, agents }, startedAt) {
      const thresholds = evaluateThresholds(plan.thresholds, lookup(elapsedS)).map((r, i) => ({
        ...r,
        firstFailedAtMs: firstFailedAtMs.get(i) ?? (r.passed ? undefined : Math.round(elapsedS * 1000)),
      }));
      const records = agents.map((a, i) => ({ ...a, ...counts[i]!, stats: own[i]?.stats({}, elapsedS) ?? undefined }));
      const passed = thresholds.every((r) => r.passed);
      const state: RunState = stopped !== undefined ? stopped.state : passed ? "completed" : "failed";
      const summary = summarize(plan, cumulative, elapsedS);
      const update: RunUpdate = {
        runId,
        row: { state, elapsedMs: elapsedS * 1000, vus: 0, rps: summary.global.rps, p95: summary.global.p95, errorRatio: summary.global.error_ratio },
        thresholds,
      };
      const result: RunResult = {
        runId,
        planName: plan.name,
        state,
        reason: stopped?.reason,
        startedAt,
        durationMs: Math.round(elapsedS * 1000),
        summary,
        thresholds,
        passed: passed && stopped === undefined,
        agents: records,
        timeline,
        generator: generatorSummary(),
      };
      return { result, update };
    },
  };
}
