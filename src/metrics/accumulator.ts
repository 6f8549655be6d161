// Merges snapshots exactly: counters add, histograms add bucket by bucket, VU gauges take the latest.
import type { JsHistogram } from "hdr-histogram-js";
import { mergeGenerators, type GeneratorByAgent } from "./generator.ts";
import { addEncodedTo, addHistogram, createHistogram, encodeHistogram } from "./hdr.ts";
import { addChecks, addCounters, emptyCounters, type CheckCounts, type Snapshot, type StepCounters, type StepDelta } from "./snapshot.ts";
import { statsOf, type OpenModelExtras } from "./stats-of.ts";
import { foldedTagSetKey, parseTagSetKey, tagsMatch, type Tags } from "./tag-set.ts";
import type { Stats } from "./stats.ts";

interface StepAcc {
  counters: StepCounters;
  latency: JsHistogram;
  /** open model: latency from the intended start (created when the first such sample arrives) */
  intended: JsHistogram | undefined;
  /** per check name */
  checks: Record<string, CheckCounts>;
}

interface ScenarioAcc {
  iterations: number;
  vus: number;
  steps: Map<string, StepAcc>;
  /** open model: arrivals dropped; undefined for a closed-model scenario */
  droppedIterations: number | undefined;
  /** the same requests per tag set key, then step (Snapshot's `tagged`); its tags parsed once */
  tagged: Map<string, { tags: Tags; steps: Map<string, StepAcc> }>;
  /** steps whose every request carries one tag set (Snapshot's `stepTags`): in `tagged` as the step's own acc */
  stepTags: Map<string, string>;
}

/**
 * Tag sets kept per scenario: the plan bounds them (max_tag_values per key), this bounds what a confused agent
 * could send: beyond it, a tag set is counted with every value "other".
 */
export const MAX_TAG_SETS_PER_SCENARIO = 1000;

export interface Scope {
  scenario?: string | undefined;
  step?: string | undefined;
  /** only requests whose tag set holds all of these */
  tags?: Tags | undefined;
  /** only requests of exactly this tag set (its key) */
  tagSet?: string | undefined;
}

export interface AccumulatorOptions {
  /**
   * Keep only the whole: every scenario and step is added into one, so that only `stats({})` means anything.
   * One histogram instead of one per step (~190 KB each): the controller keeps such a total for every agent.
   */
  wholeOnly?: boolean;
}

export class SnapshotAccumulator {
  private readonly scenarios = new Map<string, ScenarioAcc>();
  /**
   * Histograms of cleared steps, reset, for the steps made next. A histogram is a ~190 KB array: an accumulator
   * that is cleared and refilled every second (a run's open second, a worker pool's pending deltas) reuses its
   * own instead of leaving the collector to free and the kernel to zero three or more of them a second.
   */
  private readonly spare: JsHistogram[] = [];
  /** stats() merges a scope of several steps into these, reset first (a scope of one step is read in place) */
  private scratch: { latency?: JsHistogram; intended?: JsHistogram } | undefined;
  /** generator health per agent: the worst seen (max lag, max CPU, saturated if any was) */
  private generators: GeneratorByAgent | undefined;
  private readonly wholeOnly: boolean;

  constructor(options: AccumulatorOptions = {}) {
    this.wholeOnly = options.wholeOnly ?? false;
  }

  add(snapshot: Snapshot, also?: SnapshotAccumulator): void {
    if (snapshot.generator) {
      this.generators = mergeGenerators(this.generators ?? {}, snapshot.generator);
      if (also) also.generators = mergeGenerators(also.generators ?? {}, snapshot.generator);
    }
    for (const [name, sc] of Object.entries(snapshot.scenarios)) {
      const acc = this.scenarioAcc(name);
      const other = also?.scenarioAcc(name);
      if (sc.droppedIterations !== undefined) {
        acc.droppedIterations = (acc.droppedIterations ?? 0) + sc.droppedIterations;
        if (other) other.droppedIterations = (other.droppedIterations ?? 0) + sc.droppedIterations;
      }
      acc.iterations += sc.iterations;
      acc.vus = sc.vus;
      if (other) {
        other.iterations += sc.iterations;
        other.vus = sc.vus;
      }
      for (const [stepName, st] of Object.entries(sc.steps)) {
        const mine = this.stepAcc(acc, stepName);
        addCounters(mine.counters, st);
        const theirs = other && also!.stepAcc(other, stepName);
        if (theirs) addCounters(theirs.counters, st);
        // one decode feeds both accumulators (the controller's second and an agent's own totals)
        addEncodedTo(mine.latency, theirs?.latency, st.latency);
        if (st.intended !== undefined && st.intended.length > 1) {
          mine.intended ??= this.histogram();
          if (theirs) theirs.intended ??= also!.histogram();
          addEncodedTo(mine.intended, theirs?.intended, st.intended);
        }
        addChecks(mine.checks, st.checks);
        if (theirs) addChecks(theirs.checks, st.checks);
      }
      // per tag set: never into a whole-only total, where it would count the requests twice
      if (sc.stepTags !== undefined && !this.wholeOnly) for (const [stepName, key] of Object.entries(sc.stepTags)) this.aliasTagged(acc, key, stepName);
      if (sc.tagged !== undefined && !this.wholeOnly) {
        for (const [key, steps] of Object.entries(sc.tagged)) {
          for (const [stepName, st] of Object.entries(steps)) {
            const mine = this.taggedAcc(acc, key, stepName);
            addCounters(mine.counters, st);
            addEncodedTo(mine.latency, undefined, st.latency);
            if (st.intended !== undefined && st.intended.length > 1) addEncodedTo((mine.intended ??= this.histogram()), undefined, st.intended);
          }
        }
      }
    }
  }

  /** Adds another accumulator's content (used to fold one second into the cumulative view). */
  addAccumulator(other: SnapshotAccumulator): void {
    if (other.generators) this.generators = mergeGenerators(this.generators ?? {}, other.generators);
    for (const [name, sc] of other.scenarios) {
      const acc = this.scenarioAcc(name);
      if (sc.droppedIterations !== undefined) acc.droppedIterations = (acc.droppedIterations ?? 0) + sc.droppedIterations;
      acc.iterations += sc.iterations;
      acc.vus = sc.vus;
      for (const [stepName, st] of sc.steps) {
        const mine = this.stepAcc(acc, stepName);
        addCounters(mine.counters, st.counters);
        addHistogram(mine.latency, st.latency);
        if (st.intended) addHistogram((mine.intended ??= this.histogram()), st.intended);
        addChecks(mine.checks, st.checks);
      }
      if (this.wholeOnly) continue;
      for (const [stepName, key] of sc.stepTags) this.aliasTagged(acc, key, stepName);
      for (const [key, set] of sc.tagged) {
        for (const [stepName, st] of set.steps) {
          if (sc.stepTags.get(stepName) === key) continue; // the step itself, added above
          const mine = this.taggedAcc(acc, key, stepName);
          addCounters(mine.counters, st.counters);
          addHistogram(mine.latency, st.latency);
          if (st.intended) addHistogram((mine.intended ??= this.histogram()), st.intended);
        }
      }
    }
  }

  /** The distinct tag sets seen (their keys), over every scenario or one. */
  tagSetKeys(scenario?: string): string[] {
    const keys = new Set<string>();
    for (const [name, sc] of this.scenarios) if (scenario === undefined || name === scenario) for (const key of sc.tagged.keys()) keys.add(key);
    return [...keys];
  }

  /** Sets the VU gauge of a scenario (e.g. the sum over agents). */
  setVus(scenario: string, vus: number): void {
    this.scenarioAcc(scenario).vus = vus;
  }

  /** Generator health per agent, the worst of everything added; undefined when none was reported. */
  generator(): GeneratorByAgent | undefined {
    return this.generators && mergeGenerators({}, this.generators);
  }

  vus(scenario?: string): number {
    if (scenario !== undefined) return this.scenarios.get(scenario)?.vus ?? 0;
    let n = 0;
    for (const sc of this.scenarios.values()) n += sc.vus;
    return n;
  }

  scenarioNames(): string[] {
    return [...this.scenarios.keys()];
  }

  stepNames(scenario: string): string[] {
    return [...(this.scenarios.get(scenario)?.steps.keys() ?? [])];
  }

  /**
   * The merged counters and histograms of a scope; undefined when the scope has never been seen. Read-only: a
   * scope of one step is that step's own histogram, not a copy.
   */
  scope(scope: Scope): { counters: StepCounters; latency: JsHistogram; iterations: number; extras: OpenModelExtras } | undefined {
    return this.gather(scope, false);
  }

  stats(scope: Scope, seconds: number): Stats | undefined {
    const s = this.gather(scope, true);
    return s && statsOf(s.counters, s.latency, s.iterations, seconds, s.extras);
  }

  /** `scratch`: several steps merge into the scratch histograms (the caller reads them before the next call). */
  private gather(scope: Scope, scratch: boolean): { counters: StepCounters; latency: JsHistogram; iterations: number; extras: OpenModelExtras } | undefined {
    const counters = emptyCounters();
    const parts: StepAcc[] = [];
    const extras: OpenModelExtras = {};
    let iterations = 0;
    let seen = false;
    for (const [name, sc] of this.scenarios) {
      if (scope.scenario !== undefined && name !== scope.scenario) continue;
      if (scope.tags !== undefined || scope.tagSet !== undefined) {
        // a tag scope: its requests only; iterations and drops belong to scenarios, not to tag sets
        for (const [key, set] of sc.tagged) {
          if (scope.tagSet !== undefined ? key !== scope.tagSet : !tagsMatch(set.tags, scope.tags!)) continue;
          for (const [stepName, st] of set.steps) {
            if (scope.step !== undefined && stepName !== scope.step) continue;
            addCounters(counters, st.counters);
            parts.push(st);
            seen = true;
          }
        }
        continue;
      }
      let stepSeen = false;
      for (const [stepName, st] of sc.steps) {
        if (scope.step !== undefined && stepName !== scope.step) continue;
        addCounters(counters, st.counters);
        parts.push(st);
        for (const c of Object.values(st.checks)) {
          const all = (extras.checks ??= { passes: 0, fails: 0 });
          all.passes += c.passes;
          all.fails += c.fails;
        }
        stepSeen = true;
      }
      if (scope.step === undefined || stepSeen) {
        iterations += sc.iterations;
        // dropped iterations belong to the scenario: a step scope has none of its own
        if (sc.droppedIterations !== undefined && scope.step === undefined) {
          extras.droppedIterations = (extras.droppedIterations ?? 0) + sc.droppedIterations;
        }
        seen = true;
      }
    }
    if (!seen) return undefined;
    if (parts.length === 1) {
      const only = parts[0]!;
      if (only.intended) extras.intended = only.intended;
      return { counters, latency: only.latency, iterations, extras };
    }
    const latency = scratch ? this.scratchHistogram("latency") : createHistogram();
    for (const st of parts) {
      addHistogram(latency, st.latency);
      if (st.intended) addHistogram((extras.intended ??= scratch ? this.scratchHistogram("intended") : createHistogram()), st.intended);
    }
    return { counters, latency, iterations, extras };
  }

  /** One of the scratch histograms, reset (made on first use: most scopes have no open-model latency). */
  private scratchHistogram(which: "latency" | "intended"): JsHistogram {
    const scratch = (this.scratch ??= {});
    const h = (scratch[which] ??= createHistogram());
    h.reset();
    return h;
  }

  /** Empties the accumulator for its next fill; its histograms are kept, reset, for the steps added then. */
  clear(): void {
    const kept = new Set<StepAcc>();
    for (const sc of this.scenarios.values()) {
      for (const st of sc.steps.values()) kept.add(st);
      for (const set of sc.tagged.values()) for (const st of set.steps.values()) kept.add(st); // a step's own acc may be here too: once
    }
    for (const st of kept) {
      st.latency.reset();
      this.spare.push(st.latency);
      if (st.intended) {
        st.intended.reset();
        this.spare.push(st.intended);
      }
    }
    this.scenarios.clear();
    this.generators = undefined;
  }

  /** A histogram for a new step: a spare one when there is one. */
  private histogram(): JsHistogram {
    return this.spare.pop() ?? createHistogram();
  }

  /** Each check of a step, by name, in the order first seen. */
  checks(scenario: string, step: string): Record<string, CheckCounts> {
    const out: Record<string, CheckCounts> = {};
    addChecks(out, this.scenarios.get(scenario)?.steps.get(step)?.checks);
    return out;
  }

  toSnapshot(): Snapshot {
    const out: Snapshot = { scenarios: {} };
    for (const [name, sc] of this.scenarios) {
      const steps: Record<string, StepDelta> = {};
      for (const [stepName, st] of sc.steps) steps[stepName] = toStepDelta(st);
      out.scenarios[name] = { iterations: sc.iterations, vus: sc.vus, steps };
      if (sc.droppedIterations !== undefined) out.scenarios[name]!.droppedIterations = sc.droppedIterations;
      if (sc.stepTags.size > 0) out.scenarios[name]!.stepTags = Object.fromEntries(sc.stepTags);
      const tagged: Record<string, Record<string, StepDelta>> = {};
      let any = false;
      for (const [key, set] of sc.tagged) {
        for (const [stepName, st] of set.steps) {
          if (sc.stepTags.get(stepName) === key) continue;
          (tagged[key] ??= {})[stepName] = toStepDelta(st);
          any = true;
        }
      }
      if (any) out.scenarios[name]!.tagged = tagged;
    }
    if (this.generators) out.generator = mergeGenerators({}, this.generators);
    return out;
  }

  isEmpty(): boolean {
    return this.scenarios.size === 0;
  }

  private scenarioAcc(scenario: string): ScenarioAcc {
    const name = this.wholeOnly ? "" : scenario;
    let acc = this.scenarios.get(name);
    if (!acc) {
      acc = { iterations: 0, vus: 0, steps: new Map(), droppedIterations: undefined, tagged: new Map(), stepTags: new Map() };
      this.scenarios.set(name, acc);
    }
    return acc;
  }

  /** The tag set of a key, made on first use; beyond the bound, the set with every value "other". */
  private tagSet(acc: ScenarioAcc, key: string): { tags: Tags; steps: Map<string, StepAcc> } {
    const actual = keptKey(acc, key);
    let set = acc.tagged.get(actual);
    if (!set) {
      set = { tags: parseTagSetKey(actual), steps: new Map() };
      acc.tagged.set(actual, set);
    }
    return set;
  }

  /** A step whose every request carries one tag set: that set's view of the step is the step's own acc. */
  private aliasTagged(acc: ScenarioAcc, key: string, step: string): void {
    const actual = keptKey(acc, key);
    if (acc.stepTags.get(step) === actual) return;
    const set = this.tagSet(acc, actual);
    if (set.steps.has(step)) return; // (an agent that also sent it per row: kept as sent)
    acc.stepTags.set(step, actual);
    set.steps.set(step, this.stepAcc(acc, step));
  }

  private taggedAcc(acc: ScenarioAcc, key: string, step: string): StepAcc {
    const set = this.tagSet(acc, key);
    let st = set.steps.get(step);
    if (!st) {
      st = { counters: emptyCounters(), latency: this.histogram(), intended: undefined, checks: {} };
      set.steps.set(step, st);
    }
    return st;
  }

  private stepAcc(acc: ScenarioAcc, step: string): StepAcc {
    const name = this.wholeOnly ? "" : step;
    let st = acc.steps.get(name);
    if (!st) {
      st = { counters: emptyCounters(), latency: this.histogram(), intended: undefined, checks: {} };
      acc.steps.set(name, st);
    }
    return st;
  }

}

/** The key a tag set is kept under: itself, or beyond the bound (a new one), the set with every value "other". */
function keptKey(acc: ScenarioAcc, key: string): string {
  return acc.tagged.has(key) || acc.tagged.size < MAX_TAG_SETS_PER_SCENARIO ? key : foldedTagSetKey(key);
}

function toStepDelta(st: StepAcc): StepDelta {
  const step: StepDelta = { ...st.counters, errorsByClass: { ...st.counters.errorsByClass }, latency: encodeHistogram(st.latency) };
  if (st.counters.errorKinds !== undefined) step.errorKinds = { ...st.counters.errorKinds };
  if (st.intended) step.intended = encodeHistogram(st.intended);
  if (Object.keys(st.checks).length > 0) addChecks((step.checks = {}), st.checks);
  return step;
}
