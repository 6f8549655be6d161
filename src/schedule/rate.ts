// Open-model math: a rate profile as straight pieces, the exact number of arrivals before t, and when arrival k is due.

/*
 * The rate r(t) (iterations/s) is piecewise linear; arrivals are counted by its integral
 * A(t) = ∫₀ᵗ r. Arrival k (k = 0, 1, 2, …) is due at the first instant A exceeds k:
 *
 *   A(t) ┤                 ●──   ramping_rate: A bends up while the rate climbs,
 *      4 ┤              ●        then runs straight while it holds.
 *      3 ┤          ●
 *      2 ┤      ●
 *      1 ┤  ●
 *      0 ●──┬───┬───┬───┬───┬──▶ t
 *        t₀ t₁  t₂  t₃  t₄
 *
 * So [0, t) holds exactly ceil(A(t)) arrivals: 2,000/s for 10 s is 20,000, not one more or less.
 * Nothing here sleeps or reads a clock: the runner asks "when is arrival k due?" and waits itself.
 */

/** One straight piece of the rate: from `from` to `to` iterations/s over [startMs, endMs). */
export interface RateSegment {
  startMs: number;
  endMs: number;
  from: number;
  to: number;
  /** arrivals A(startMs) before this piece (a real number: the integral so far) */
  before: number;
}

/** A rate profile laid out over a scenario's duration: plain data, printable and testable. */
export interface RateSchedule {
  segments: RateSegment[];
  durationMs: number;
  /** arrivals in the whole scenario: ceil(A(durationMs)) */
  total: number;
}

// A(t) is a sum of floats: values this close above a whole number count as that number.
const EPSILON = 1e-7;

/** Iterations per second of a rate written per time_unit. */
export function perSecond(rate: number, timeUnitMs: number): number {
  return (rate * 1000) / timeUnitMs;
}

/** Lays pieces end to end with the arrivals before each. */
export function rateSchedule(pieces: readonly Omit<RateSegment, "before">[], durationMs: number): RateSchedule {
  let before = 0;
  const segments: RateSegment[] = [];
  for (const p of pieces) {
    const endMs = Math.min(p.endMs, durationMs);
    if (endMs <= p.startMs) continue;
    // a piece cut short by the scenario's end stops at the rate it had reached there
    const to = endMs === p.endMs ? p.to : p.from + ((p.to - p.from) * (endMs - p.startMs)) / (p.endMs - p.startMs);
    segments.push({ startMs: p.startMs, endMs, from: p.from, to, before });
    before += ((p.from + to) / 2) * ((endMs - p.startMs) / 1000);
  }
  return { segments, durationMs, total: wholeArrivals(before) };
}

/** Iterations/s at t ms (0 outside the scenario). */
export function rateAt(schedule: RateSchedule, tMs: number): number {
  const s = segmentAt(schedule, tMs);
  if (s === undefined) return 0;
  return s.from + ((s.to - s.from) * (tMs - s.startMs)) / (s.endMs - s.startMs);
}

/** A(t): the real-valued integral of the rate over [0, t). */
export function integral(schedule: RateSchedule, tMs: number): number {
  if (tMs <= 0) return 0;
  let last: RateSegment | undefined;
  for (const s of schedule.segments) {
    if (tMs < s.endMs) return s.before + partial(s, tMs - s.startMs);
    last = s;
  }
  return last === undefined ? 0 : last.before + partial(last, last.endMs - last.startMs);
}

/** The exact number of arrivals due in [0, t). */
export function arrivalsBefore(schedule: RateSchedule, tMs: number): number {
  return Math.min(schedule.total, wholeArrivals(integral(schedule, tMs)));
}

/** When arrival k (0-based) is due, in ms since the scenario started; Infinity when it never is. */
export function arrivalAt(schedule: RateSchedule, k: number): number {
  if (k >= schedule.total) return Infinity;
  for (const s of schedule.segments) {
    // arrival k is due in the piece where A first exceeds k (pieces at rate 0 never do)
    if (s.before + partial(s, s.endMs - s.startMs) <= k) continue;
    const m = k - s.before;
    if (m <= 0) return s.startMs;
    // Solve from·x + (to−from)·x²/(2·len) = m for x, in the form that stays exact when to = from.
    const r0 = s.from / 1000;
    const c2 = (s.to - s.from) / (2000 * (s.endMs - s.startMs));
    const x = (2 * m) / (r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * c2 * m)));
    return Math.min(s.endMs, s.startMs + x);
  }
  return Infinity;
}

/** Arrivals per whole second, for the chart: second t holds those due in [t, t+1) s. */
export function arrivalsPerSecond(schedule: RateSchedule): number[] {
  const seconds = Math.ceil(schedule.durationMs / 1000);
  return Array.from({ length: seconds }, (_, t) => arrivalsBefore(schedule, Math.min((t + 1) * 1000, schedule.durationMs)) - arrivalsBefore(schedule, t * 1000));
}

function segmentAt(schedule: RateSchedule, tMs: number): RateSegment | undefined {
  return schedule.segments.find((s) => tMs >= s.startMs && tMs < s.endMs);
}

/** Arrivals within a segment's first x ms. */
function partial(s: RateSegment, xMs: number): number {
  const len = s.endMs - s.startMs;
  return (s.from * xMs + ((s.to - s.from) * xMs * xMs) / (2 * len)) / 1000;
}

function wholeArrivals(a: number): number {
  return a <= 0 ? 0 : Math.ceil(a - EPSILON * Math.max(1, a));
}
