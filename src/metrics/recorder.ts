// Where a worker's VUs record: per-step histograms and counters, taken as a delta once a second.
import { ERROR_CLASSES, type ErrorClass, type RecordedRequest } from "./error-class.ts";
import { createHistogram, encodeHistogram, type Histogram } from "./hdr.ts";
import type { ScenarioDelta, Snapshot, StepDelta } from "./snapshot.ts";

const CLASS_INDEX: Record<ErrorClass, number> = Object.fromEntries(
  ERROR_CLASSES.map((c, i) => [c, i]),
) as Record<ErrorClass, number>;

/** One step's live counters. VUs hold a reference and call record() on the hot path. */
export class StepRecorder {
  requests = 0;
  errors = 0;
  bytesIn = 0;
  bytesOut = 0;
  bytesDecoded = 0;
  /** "class: kind" → count; null until a failure with a kind happens */
  errorKinds: Record<string, number> | null = null;
  readonly errorsByClass = new Float64Array(ERROR_CLASSES.length);
  readonly latency: Histogram = createHistogram();
  /** open model only: latency from the iteration's intended start */
  readonly intended: Histogram | null;
  /** per check, in the step's order */
  checkPasses: Float64Array;
  checkFails: Float64Array;
  readonly checkNames: string[];
  /** the step's requests per tag set when its scenario tags data columns (set by ScenarioRecorder) */
  tagged: TaggedStep | null = null;

  constructor(
    readonly name: string,
    checkNames: readonly string[] = [],
    open = false,
  ) {
    this.intended = open ? createHistogram() : null;
    this.checkNames = [...checkNames];
    this.checkPasses = new Float64Array(checkNames.length);
    this.checkFails = new Float64Array(checkNames.length);
  }

  /** A check's index by name, added on first use (a script names its checks as it runs). */
  checkIndex(name: string): number {
    const i = this.checkNames.indexOf(name);
    if (i >= 0) return i;
    this.checkNames.push(name);
    const grow = (from: Float64Array) => {
      const to = new Float64Array(this.checkNames.length);
      to.set(from);
      return to;
    };
    this.checkPasses = grow(this.checkPasses);
    this.checkFails = grow(this.checkFails);
    return this.checkNames.length - 1;
  }

  /** A failure that is no response (a script's exception): one failed request of the class, with no latency sample. */
  recordFailure(error: ErrorClass): void {
    this.requests++;
    this.errors++;
    this.errorsByClass[CLASS_INDEX[error]]!++;
  }

  /** A request already recorded as a success turns out to be an error (a script's check failed on it). */
  reclassify(error: ErrorClass): void {
    this.errors++;
    this.errorsByClass[CLASS_INDEX[error]]!++;
  }

  /** Open model: the same request measured from its iteration's intended start (service time plus lateness). */
  recordIntended(us: number): void {
    this.intended?.recordValue(us < 1 ? 1 : Math.round(us));
  }

  record(result: RecordedRequest): void {
    this.requests++;
    this.bytesIn += result.bytesIn;
    this.bytesOut += result.bytesOut;
    if (result.bytesDecoded) this.bytesDecoded += result.bytesDecoded;
    const us = result.durationUs;
    this.latency.recordValue(us < 1 ? 1 : Math.round(us));
    if (result.error !== null) {
      this.errors++;
      this.errorsByClass[CLASS_INDEX[result.error]]!++;
      if (result.errorDetail) {
        const kind = `${result.error}: ${result.errorDetail}`;
        const kinds = (this.errorKinds ??= {});
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
    }
  }

  take(): StepDelta {
    const byClass: StepDelta["errorsByClass"] = {};
    for (let i = 0; i < ERROR_CLASSES.length; i++) {
      const n = this.errorsByClass[i]!;
      if (n) byClass[ERROR_CLASSES[i]!] = n;
    }
    const delta: StepDelta = {
      requests: this.requests,
      errors: this.errors,
      errorsByClass: byClass,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      latency: encodeHistogram(this.latency),
    };
    if (this.bytesDecoded > 0) delta.bytesDecoded = this.bytesDecoded;
    if (this.errorKinds !== null) delta.errorKinds = this.errorKinds;
    this.bytesDecoded = 0;
    this.errorKinds = null;
    if (this.intended !== null) {
      delta.intended = encodeHistogram(this.intended);
      this.intended.reset();
    }
    if (this.checkNames.length > 0) {
      const checks: NonNullable<StepDelta["checks"]> = {};
      this.checkNames.forEach((name, i) => (checks[name] = { passes: this.checkPasses[i]!, fails: this.checkFails[i]! }));
      delta.checks = checks;
      this.checkPasses.fill(0);
      this.checkFails.fill(0);
    }
    this.requests = this.errors = this.bytesIn = this.bytesOut = 0;
    this.errorsByClass.fill(0);
    this.latency.reset();
    return delta;
  }
}

/**
 * A step's requests per tag set, beside its StepRecorder: `keys[set]` names each set (src/plan/tags.ts); its
 * recorders are made on first use. The VU resolved the set once per iteration (data.tags) or it is fixed.
 */
export class TaggedStep {
  readonly bySet: (StepRecorder | undefined)[];
  constructor(
    readonly name: string,
    readonly keys: readonly string[],
    private readonly open: boolean,
  ) {
    this.bySet = new Array(keys.length);
  }

  /** The recorder of a row set, made on first use; null when that set has no tags. */
  of(set: number): StepRecorder | null {
    const r = this.bySet[set];
    if (r !== undefined) return r;
    if (!this.keys[set]) return null;
    return (this.bySet[set] = new StepRecorder(this.name, [], this.open));
  }

  /** Adds what was recorded since the last call into `into` (tag set key → step → delta). */
  takeInto(into: Record<string, Record<string, StepDelta>>): void {
    this.bySet.forEach((r, set) => {
      if (r === undefined || r.requests === 0) return;
      (into[this.keys[set]!] ??= {})[this.name] = r.take();
    });
  }
}

export class ScenarioRecorder {
  iterations = 0;
  vus = 0;
  /** open model: arrivals with no free VU */
  droppedIterations = 0;
  readonly steps: StepRecorder[];
  /** per step, the key of the one tag set all its requests carry ("" for none): they share the step's delta */
  readonly fixedTags: string[];
  constructor(
    readonly name: string,
    steps: RecorderLayout["steps"],
    /** an arrival-rate scenario: steps also record latency from the intended start */
    readonly open = false,
    /** the tag set key of requests in steps a script names (the scenario's tags; "" for none) */
    private readonly scriptTags = "",
  ) {
    this.steps = steps.map((st) => new StepRecorder(st.name, st.checkNames ?? [], open));
    steps.forEach((st, i) => {
      if (st.tagKeys !== undefined && st.tagKeys.length > 1) this.steps[i]!.tagged = new TaggedStep(st.name, st.tagKeys, open);
    });
    this.fixedTags = steps.map((st) => (st.tagKeys?.length === 1 ? st.tagKeys[0]! : ""));
  }

  /** A step by name, added on first use (a script names its steps as it runs); plan steps keep their indexes. */
  step(name: string): StepRecorder {
    for (const st of this.steps) if (st.name === name) return st;
    const st = new StepRecorder(name, [], this.open);
    this.steps.push(st);
    this.fixedTags.push(this.scriptTags);
    return st;
  }
}

export interface RecorderLayout {
  name: string;
  /** tagKeys: the step's tag set key per data row set (src/plan/tags.ts ScenarioTagLayout.stepKeys); default none */
  steps: { name: string; checkNames?: readonly string[]; tagKeys?: readonly string[] }[];
  open?: boolean;
  /** the tag set key of steps a script names as it runs (ScenarioTagLayout.scenarioKey); default none */
  scriptTags?: string;
}

/** All scenarios of one worker (or one in-thread executor). */
export class Recorder {
  readonly scenarios: ScenarioRecorder[];

  constructor(layout: RecorderLayout[]) {
    this.scenarios = layout.map((s) => new ScenarioRecorder(s.name, s.steps, s.open ?? false, s.scriptTags ?? ""));
  }

  scenario(name: string): ScenarioRecorder {
    const s = this.scenarios.find((x) => x.name === name);
    if (!s) throw new Error(`no scenario ${name} in recorder`);
    return s;
  }

  /** Returns what was recorded since the previous call and starts afresh. */
  takeDelta(): Snapshot {
    const snapshot: Snapshot = { scenarios: {} };
    for (const sc of this.scenarios) {
      const steps: Record<string, StepDelta> = {};
      const tagged: Record<string, Record<string, StepDelta>> = {};
      let stepTags: Record<string, string> | undefined;
      sc.steps.forEach((st, i) => {
        const delta = (steps[st.name] = st.take());
        const fixed = sc.fixedTags[i] ?? "";
        if (fixed !== "" && delta.requests > 0) (stepTags ??= {})[st.name] = fixed;
        st.tagged?.takeInto(tagged);
      });
      const delta: ScenarioDelta = (snapshot.scenarios[sc.name] = { iterations: sc.iterations, vus: sc.vus, steps });
      if (stepTags !== undefined) delta.stepTags = stepTags;
      for (const _ in tagged) {
        delta.tagged = tagged;
        break;
      }
      if (sc.open) snapshot.scenarios[sc.name]!.droppedIterations = sc.droppedIterations;
      sc.iterations = 0;
      sc.droppedIterations = 0;
    }
    return snapshot;
  }
}
