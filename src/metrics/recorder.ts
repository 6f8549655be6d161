// Where a worker's VUs record: per-step histograms and counters, taken as a delta once a second.
import { ERROR_CLASSES, type ErrorClass, type RequestResult } from "../engine/types.ts";
import { createHistogram, encodeHistogram, type Histogram } from "./hdr.ts";
import type { Snapshot, StepDelta } from "./snapshot.ts";

const CLASS_INDEX: Record<ErrorClass, number> = Object.fromEntries(
  ERROR_CLASSES.map((c, i) => [c, i]),
) as Record<ErrorClass, number>;

/** One step's live counters. VUs hold a reference and call record() on the hot path. */
export class StepRecorder {
  requests = 0;
  errors = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly errorsByClass = new Float64Array(ERROR_CLASSES.length);
  readonly latency: Histogram = createHistogram();

  constructor(readonly name: string) {}

  record(result: RequestResult): void {
    this.requests++;
    this.bytesIn += result.bytesIn;
    this.bytesOut += result.bytesOut;
    const us = result.durationUs;
    this.latency.recordValue(us < 1 ? 1 : Math.round(us));
    if (result.error !== null) {
      this.errors++;
      this.errorsByClass[CLASS_INDEX[result.error]]!++;
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
    this.requests = this.errors = this.bytesIn = this.bytesOut = 0;
    this.errorsByClass.fill(0);
    this.latency.reset();
    return delta;
  }
}

export class ScenarioRecorder {
  iterations = 0;
  vus = 0;
  readonly steps: StepRecorder[];
  constructor(readonly name: string, stepNames: string[]) {
    this.steps = stepNames.map((n) => new StepRecorder(n));
  }
}

export interface RecorderLayout {
  name: string;
  steps: { name: string }[];
}

/** All scenarios of one worker (or one in-thread executor). */
export class Recorder {
  readonly scenarios: ScenarioRecorder[];

  constructor(layout: RecorderLayout[]) {
    this.scenarios = layout.map((s) => new ScenarioRecorder(s.name, s.steps.map((st) => st.name)));
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
      for (const st of sc.steps) steps[st.name] = st.take();
      snapshot.scenarios[sc.name] = { iterations: sc.iterations, vus: sc.vus, steps };
      sc.iterations = 0;
    }
    return snapshot;
  }
}
