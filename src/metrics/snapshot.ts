// Snapshots: the plain-data deltas that travel from workers to agents to the controller.
import { ERROR_CLASSES, type ErrorClass } from "./error-class.ts";
import type { GeneratorByAgent } from "./generator.ts";

export interface StepCounters {
  requests: number;
  errors: number;
  errorsByClass: Partial<Record<ErrorClass, number>>;
  bytesIn: number;
  bytesOut: number;
  /** bodies once decoded, for steps with `compression` (bytesIn stays wire bytes); absent when 0 */
  bytesDecoded?: number;
  /** "class: kind" → count, for failures that have kinds ("tls: certificate expired"); absent when none */
  errorKinds?: Record<string, number>;
}

export interface StepDelta extends StepCounters {
  /** encodeHistogram() of latencies in µs */
  latency: Uint8Array;
  /** open model only: encodeHistogram() of latencies from each iteration's intended start, lateness included, µs */
  intended?: Uint8Array;
  /** per check (by its name), how many passed and failed; absent for a step without checks */
  checks?: Record<string, CheckCounts>;
}

export interface CheckCounts {
  passes: number;
  fails: number;
}

export interface ScenarioDelta {
  iterations: number;
  /** active VUs when the delta was taken (a gauge: the latest wins when deltas are coalesced) */
  vus: number;
  steps: Record<string, StepDelta>;
  /** open model only: arrivals that found no free VU and could not add one */
  droppedIterations?: number;
  /**
   * The same requests again, per tag set (src/metrics/tag-set.ts key) and step, for steps whose requests carry
   * different tag sets (data.tags). Absent when there are none.
   */
  tagged?: Record<string, Record<string, StepDelta>>;
  /**
   * Steps whose every request carries one fixed tag set: step → its key. Their per-tag view is the step's own
   * delta, so it is neither sent nor merged twice. Absent when there are none.
   */
  stepTags?: Record<string, string>;
}

/** Each tagged part of a scenario's delta: per-row tag sets (`tagged`) and steps with one fixed set (`stepTags`). */
export function forEachTagged(sc: ScenarioDelta, each: (tagSet: string, step: string, delta: StepDelta) => void): void {
  for (const [step, key] of Object.entries(sc.stepTags ?? {})) {
    const delta = sc.steps[step];
    if (delta !== undefined) each(key, step, delta);
  }
  for (const [key, steps] of Object.entries(sc.tagged ?? {})) for (const [step, delta] of Object.entries(steps)) each(key, step, delta);
}

/** What happened since the previous snapshot. */
export interface Snapshot {
  scenarios: Record<string, ScenarioDelta>;
  /** per agent, how loaded the load generator itself was (worst worker); absent when not measured */
  generator?: GeneratorByAgent;
}

export function emptyCounters(): StepCounters {
  return { requests: 0, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0 };
}

export function addCounters(into: StepCounters, from: StepCounters): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.bytesIn += from.bytesIn;
  into.bytesOut += from.bytesOut;
  if (from.bytesDecoded) into.bytesDecoded = (into.bytesDecoded ?? 0) + from.bytesDecoded;
  if (from.errorKinds !== undefined) {
    const kinds = (into.errorKinds ??= {});
    for (const [kind, n] of Object.entries(from.errorKinds)) kinds[kind] = (kinds[kind] ?? 0) + n;
  }
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

/** Adds check counters by name. */
export function addChecks(into: Record<string, CheckCounts>, from: Record<string, CheckCounts> | undefined): void {
  if (from === undefined) return;
  for (const name in from) {
    const c = from[name]!;
    const mine = (into[name] ??= { passes: 0, fails: 0 });
    mine.passes += c.passes;
    mine.fails += c.fails;
  }
}
