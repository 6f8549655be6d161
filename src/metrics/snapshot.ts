// Snapshots: the plain-data deltas that travel from workers to agents to the controller.
import { ERROR_CLASSES, type ErrorClass } from "../engine/types.ts";

export interface StepCounters {
  requests: number;
  errors: number;
  errorsByClass: Partial<Record<ErrorClass, number>>;
  bytesIn: number;
  bytesOut: number;
}

export interface StepDelta extends StepCounters {
  /** encodeHistogram() of latencies in µs */
  latency: Uint8Array;
}

export interface ScenarioDelta {
  iterations: number;
  /** active VUs when the delta was taken (a gauge: the latest wins when deltas are coalesced) */
  vus: number;
  steps: Record<string, StepDelta>;
}

/** What happened since the previous snapshot. */
export interface Snapshot {
  scenarios: Record<string, ScenarioDelta>;
}

export function emptyCounters(): StepCounters {
  return { requests: 0, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0 };
}

export function addCounters(into: StepCounters, from: StepCounters): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.bytesIn += from.bytesIn;
  into.bytesOut += from.bytesOut;
  for (const cls of ERROR_CLASSES) {
    const n = from.errorsByClass[cls];
    if (n) into.errorsByClass[cls] = (into.errorsByClass[cls] ?? 0) + n;
  }
}

export function snapshotRequests(s: Snapshot): number {
  let n = 0;
  for (const sc of Object.values(s.scenarios)) for (const st of Object.values(sc.steps)) n += st.requests;
  return n;
}

export function snapshotVus(s: Snapshot): number {
  let n = 0;
  for (const sc of Object.values(s.scenarios)) n += sc.vus;
  return n;
}
