// How fast a client opened its connections, from nginx's accept count sampled while the run starts. Pure: the bench
// samples, this reads the samples, combines rounds and says it in words.
import { median } from "./tools.ts";

/** how long the bench samples nginx's accepts after a run starts */
export const RAMP_WATCH_MS = 4000;

/** How the connections of a run opened. */
export interface Ramp {
  /** ms from the first accepted connection to 10% and 90% of the connections asked for; NaN (null in JSON) if never reached while watched */
  t10Ms: number;
  t90Ms: number;
  /** ms from 10% to 90%: each round's own, then their median (older bench files lack it) */
  spanMs?: number;
  /** the most connections accepted in any 100 ms */
  peakPer100Ms: number;
}

/** One run's ramp from its samples (ms since the run started, connections accepted since the first sample). */
export function rampOf(samples: readonly { t: number; opened: number }[], connections: number): Ramp {
  const first = samples.find((s) => s.opened > 0)?.t ?? NaN;
  const at = (share: number) => (samples.find((s) => s.opened >= share * connections)?.t ?? NaN) - first;
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length && samples[j]!.t - samples[i]!.t <= 100; j++) peak = Math.max(peak, samples[j]!.opened - samples[i]!.opened);
  }
  const t10Ms = at(0.1);
  const t90Ms = at(0.9);
  return { t10Ms, t90Ms, spanMs: t90Ms - t10Ms, peakPer100Ms: peak };
}

/**
 * The rounds' ramps as one: medians of each figure, and the span as the median of each round's own span (the
 * difference of two medians taken apart can even be negative). A round that never reached 90% has no span; if none
 * did, neither has the result.
 */
export function combineRamps(ramps: readonly Ramp[]): Ramp {
  return {
    t10Ms: median(ramps.map((r) => r.t10Ms)),
    t90Ms: median(ramps.map((r) => r.t90Ms)),
    spanMs: median(ramps.map(spanOf)),
    peakPer100Ms: median(ramps.map((r) => r.peakPer100Ms)),
  };
}

/** "wrk opened 10% → 90% of its connections in 252 ms, at most 2,033 in any 100 ms", or that it did not get there. */
export function rampSentence(label: string, ramp: Ramp, connections: number): string {
  const span = spanOf(ramp);
  const peak = `at most ${count(ramp.peakPer100Ms)} in any 100 ms`;
  if (Number.isFinite(span)) return `${label} opened 10% → 90% of its connections in ${count(span)} ms, ${peak}`;
  const first = isFiniteNumber(ramp.t10Ms) ? `10% of them after ${count(ramp.t10Ms)} ms, ` : "";
  return `${label} did not open 90% of its ${count(connections)} connections in the ${count(RAMP_WATCH_MS / 1000)} s watched (${first}${peak})`;
}

/** JSON keeps NaN as null: a missing figure, whichever way it was written */
function spanOf(r: Ramp): number {
  if (isFiniteNumber(r.spanMs)) return r.spanMs;
  return isFiniteNumber(r.t10Ms) && isFiniteNumber(r.t90Ms) ? r.t90Ms - r.t10Ms : NaN;
}

function isFiniteNumber(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function count(x: number): string {
  return x.toLocaleString("en-US", { maximumFractionDigits: 0 });
}
