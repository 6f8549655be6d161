// Merges snapshots exactly: counters add, histograms add bucket by bucket, VU gauges take the latest.
import type { JsHistogram } from "hdr-histogram-js";
import { addEncodedTo, createHistogram, encodeHistogram } from "./hdr.ts";
import { addCounters, emptyCounters, type Snapshot, type StepCounters, type StepDelta } from "./snapshot.ts";
import { statsOf } from "./stats-of.ts";
import type { Stats } from "./stats.ts";

interface StepAcc {
  counters: StepCounters;
  latency: JsHistogram;
}

interface ScenarioAcc {
  iterations: number;
  vus: number;
  steps: Map<string, StepAcc>;
}

export interface Scope {
  scenario?: string | undefined;
  step?: string | undefined;
}

export class SnapshotAccumulator {
  private readonly scenarios = new Map<string, ScenarioAcc>();

  add(snapshot: Snapshot, also?: SnapshotAccumulator): void {
    for (const [name, sc] of Object.entries(snapshot.scenarios)) {
      const acc = this.scenarioAcc(name);
      const other = also?.scenarioAcc(name);
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
      }
    }
  }

  /** Adds another accumulator's content (used to fold one second into the cumulative view). */
  addAccumulator(other: SnapshotAccumulator): void {
    for (const [name, sc] of other.scenarios) {
      const acc = this.scenarioAcc(name);
      acc.iterations += sc.iterations;
      acc.vus = sc.vus;
      for (const [stepName, st] of sc.steps) {
        const mine = this.stepAcc(acc, stepName);
        addCounters(mine.counters, st.counters);
        mine.latency.add(st.latency);
      }
    }
  }

  /** Sets the VU gauge of a scenario (e.g. the sum over agents). */
  setVus(scenario: string, vus: number): void {
    this.scenarioAcc(scenario).vus = vus;
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

  /** The merged counters and histogram of a scope; undefined when the scope has never been seen. */
  scope(scope: Scope): { counters: StepCounters; latency: JsHistogram; iterations: number } | undefined {
    const counters = emptyCounters();
    const latency = createHistogram();
    let iterations = 0;
    let seen = false;
    for (const [name, sc] of this.scenarios) {
      if (scope.scenario !== undefined && name !== scope.scenario) continue;
      let stepSeen = false;
      for (const [stepName, st] of sc.steps) {
        if (scope.step !== undefined && stepName !== scope.step) continue;
        addCounters(counters, st.counters);
        latency.add(st.latency);
        stepSeen = true;
      }
      if (scope.step === undefined || stepSeen) {
        iterations += sc.iterations;
        seen = true;
      }
    }
    return seen ? { counters, latency, iterations } : undefined;
  }

  stats(scope: Scope, seconds: number): Stats | undefined {
    const s = this.scope(scope);
    return s && statsOf(s.counters, s.latency, s.iterations, seconds);
  }

  toSnapshot(): Snapshot {
    const out: Snapshot = { scenarios: {} };
    for (const [name, sc] of this.scenarios) {
      const steps: Record<string, StepDelta> = {};
      for (const [stepName, st] of sc.steps) {
        steps[stepName] = { ...st.counters, errorsByClass: { ...st.counters.errorsByClass }, latency: encodeHistogram(st.latency) };
      }
      out.scenarios[name] = { iterations: sc.iterations, vus: sc.vus, steps };
    }
    return out;
  }

  isEmpty(): boolean {
    return this.scenarios.size === 0;
  }

  private scenarioAcc(name: string): ScenarioAcc {
    let acc = this.scenarios.get(name);
    if (!acc) {
      acc = { iterations: 0, vus: 0, steps: new Map() };
      this.scenarios.set(name, acc);
    }
    return acc;
  }

  private stepAcc(acc: ScenarioAcc, name: string): StepAcc {
    let st = acc.steps.get(name);
    if (!st) {
      st = { counters: emptyCounters(), latency: createHistogram() };
      acc.steps.set(name, st);
    }
    return st;
  }

}
