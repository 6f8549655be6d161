// THE judge: a plan's thresholds over a run's merged seconds. The controller (live), the store (a run that died
// before its verdict) and the reports all use it, so one run is judged one way wherever it is read.
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { saturationFraction, summarizeGenerators, type GeneratorByAgent, type GeneratorSummary } from "../metrics/generator.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan } from "../plan/types.ts";
import { evaluateThresholds, type ThresholdResult, type ThresholdScope } from "../threshold/evaluate.ts";
import { tagSetKey } from "../metrics/tag-set.ts";
import { summarize } from "./summary.ts";
import type { MergedRun, RunSummary, ThresholdOutcome, TimelineEntry } from "./types.ts";
import { windowStats } from "./window.ts";

export interface Judge {
  /** Everything merged so far, decoded (live: read it, never change it). */
  readonly merged: MergedRun;
  /**
   * Adds one closed second, oldest first: the merged second (kept, not copied) and its generator health.
   * Returns the second the judge no longer keeps (this one, unless a threshold's window holds it, or the one
   * that fell out of the window): the caller may clear and refill it.
   */
  addSecond(second: SnapshotAccumulator, generator: GeneratorByAgent | undefined): SnapshotAccumulator | undefined;
  /**
   * The thresholds judged `seconds` into the run, and the run-wide stats; a threshold failing now for the first
   * time is remembered as failing at `seconds` (the final outcomes report it).
   */
  judge(seconds: number): { thresholds: ThresholdResult[]; global: Stats | undefined };
  /** The final verdicts after `seconds` (fractions allowed: an aborted run), with when each first failed. */
  outcomes(seconds: number): ThresholdOutcome[];
  summary(seconds: number): RunSummary;
  /** How loaded the load generators were over every second added. */
  generator(): GeneratorSummary;
}

export function createJudge(plan: Plan): Judge {
  const cumulative = new SnapshotAccumulator();
  // the last seconds, merged, for thresholds with a window
  const recent: SnapshotAccumulator[] = [];
  const longestWindowS = Math.max(0, ...plan.thresholds.map((t) => Math.ceil((t.window ?? 0) / 1000)));
  const generators: (GeneratorByAgent | undefined)[] = [];
  const firstFailedAtMs = new Map<number, number>();

  /** over the whole run, or its last `windowMs` (a threshold's window) */
  const generatorSummary = (windowMs?: number) =>
    summarizeGenerators(windowMs === undefined ? generators : generators.slice(-Math.max(1, Math.ceil(windowMs / 1000))));

  /** Stats of a scope over the whole run (or its window), each scope merged once per judgement. */
  const lookup = (seconds: number, seen: Map<string, Stats | undefined>) => {
    // run-wide, whatever the scenario or step: one generator serves every scenario
    const wholeRun = saturationFraction(generatorSummary());
    const scopeStats = (scope: ThresholdScope) => {
      const sc = scope.scenario ? plan.scenarios.find((s) => s.name === scope.scenario) : undefined;
      const scopeSeconds = sc ? Math.min(seconds, Math.ceil(sc.duration / 1000)) : seconds;
      // several thresholds (and the progress row) often read the same scope: merging its histograms is the cost
      const key = `${scope.scenario ?? ""}\u0000${scope.step ?? ""}\u0000${scope.window ?? ""}\u0000${scopeSeconds}\u0000${scope.tags ? tagSetKey(scope.tags) : ""}`;
      if (seen.has(key)) return seen.get(key);
      const stats = scope.window === undefined ? cumulative.stats(scope, Math.max(scopeSeconds, 1e-9)) : windowStats(recent, scope, scope.window);
      seen.set(key, stats);
      return stats;
    };
    return (scope: ThresholdScope) => {
      const generator_saturation = scope.window === undefined ? wholeRun : saturationFraction(generatorSummary(scope.window));
      const stats = scopeStats(scope);
      return stats && { ...stats, generator_saturation };
    };
  };

  return {
    merged: cumulative,
    addSecond(second, generator) {
      cumulative.addAccumulator(second);
      recent.push(second);
      generators.push(generator);
      return recent.length > longestWindowS ? recent.shift() : undefined;
    },
    judge(seconds) {
      const seen = new Map<string, Stats | undefined>();
      const read = lookup(seconds, seen);
      const thresholds = evaluateThresholds(plan.thresholds, read);
      thresholds.forEach((r, i) => {
        if (!r.passed && !firstFailedAtMs.has(i)) firstFailedAtMs.set(i, seconds * 1000);
      });
      const global = read({});
      return { thresholds, global: global && withoutSaturation(global) };
    },
    outcomes(seconds) {
      return evaluateThresholds(plan.thresholds, lookup(seconds, new Map())).map((r, i) => ({
        ...r,
        firstFailedAtMs: firstFailedAtMs.get(i) ?? (r.passed ? undefined : Math.round(seconds * 1000)),
      }));
    },
    summary: (seconds) => summarize(plan, cumulative, seconds),
    generator: () => generatorSummary(),
  };
}

/** Replays a stored timeline through the judge, second by second, as the controller judged it live. */
export function judgeTimeline(plan: Plan, timeline: readonly TimelineEntry[], durationMs: number): { summary: RunSummary; thresholds: ThresholdOutcome[]; generator: GeneratorSummary } {
  const judge = createJudge(plan);
  let second = new SnapshotAccumulator();
  for (const entry of timeline) {
    second.add(entry.snapshot);
    const released = judge.addSecond(second, entry.snapshot.generator);
    released?.clear();
    second = released ?? new SnapshotAccumulator();
    judge.judge(entry.t);
  }
  const seconds = durationMs / 1000;
  return { summary: judge.summary(seconds), thresholds: judge.outcomes(seconds), generator: judge.generator() };
}

function withoutSaturation(stats: Stats): Stats {
  const { generator_saturation: _, ...rest } = stats;
  return rest;
}
