// The run second by second, as columns per scope (all scenarios, each scenario): what charts and the JSON timeline show.
import type { TimelineEntry } from "../run/types.ts";
import { ERROR_CLASSES, type ErrorClass } from "../metrics/error-class.ts";
import type { ScenarioDelta } from "../metrics/snapshot.ts";
import { isRateProfile, type Plan } from "../plan/types.ts";
import { bucketsOf, createPercentiles, EMPTY_BUCKETS, mergeBuckets, type Buckets } from "./buckets.ts";

export interface ScopeSeries {
  vus: number[];
  requests: number[];
  errors: number[];
  /** only the classes that occurred, each a full column */
  errorsByClass: Partial<Record<ErrorClass, number[]>>;
  /** requests per second over each entry's interval */
  rps: number[];
  /** ms; NaN in seconds without samples */
  p50: number[];
  p95: number[];
  p99: number[];
  /** only for a scope with arrival-rate scenarios: a scenario with such a profile, or all scenarios when the plan has one */
  open?: OpenSeries;
}

/** The open model's columns: over the scope's arrival-rate scenarios only, so a closed scenario beside them cannot dilute a stall. */
export interface OpenSeries {
  /** service time (from the actual send), ms; NaN in seconds without samples */
  p95: number[];
  p99: number[];
  /** time from each iteration's intended start, lateness included, ms; NaN in seconds without samples */
  p95Intended: number[];
  p99Intended: number[];
  /** arrivals that found no free VU, per entry */
  dropped: number[];
}

export interface TimelineSeries {
  /** seconds since start at the end of each entry */
  t: number[];
  global: ScopeSeries;
  scenarios: { name: string; series: ScopeSeries }[];
}

const PERCENTILES = [50, 95, 99] as const;
const OPEN_PERCENTILES = [95, 99] as const;

export function timelineSeries(plan: Plan, timeline: readonly TimelineEntry[]): TimelineSeries {
  const names = plan.scenarios.map((s) => s.name);
  for (const e of timeline) for (const name of Object.keys(e.snapshot.scenarios)) if (!names.includes(name)) names.push(name);
  const n = timeline.length;
  const openNames = new Set(names.filter((name) => isOpen(plan, timeline, name)));
  const global = emptySeries(n, openNames.size > 0);
  const scenarios = names.map((name) => ({ name, series: emptySeries(n, openNames.has(name)) }));
  const percentiles = createPercentiles();
  const t: number[] = [];

  timeline.forEach((entry, i) => {
    t.push(entry.t);
    const dt = Math.max(entry.t - (i > 0 ? timeline[i - 1]!.t : 0), 1);
    let all: Buckets = EMPTY_BUCKETS;
    let allOpen: Buckets = EMPTY_BUCKETS;
    let allIntended: Buckets = EMPTY_BUCKETS;
    scenarios.forEach(({ name, series }) => {
      const sc = entry.snapshot.scenarios[name];
      let merged: Buckets = EMPTY_BUCKETS;
      let intended: Buckets = EMPTY_BUCKETS;
      const vus = entry.vus[name] ?? sc?.vus ?? 0;
      series.vus[i] = vus;
      global.vus[i]! += vus;
      for (const st of Object.values(sc?.steps ?? {})) {
        series.requests[i]! += st.requests;
        series.errors[i]! += st.errors;
        for (const cls of ERROR_CLASSES) {
          const c = st.errorsByClass[cls];
          if (c) {
            column(series, cls, n)[i]! += c;
            column(global, cls, n)[i]! += c;
          }
        }
        merged = mergeBuckets(merged, bucketsOf(st.latency));
        if (series.open && st.intended) intended = mergeBuckets(intended, bucketsOf(st.intended));
      }
      series.rps[i] = series.requests[i]! / dt;
      global.requests[i]! += series.requests[i]!;
      global.errors[i]! += series.errors[i]!;
      const us = percentiles(merged, PERCENTILES);
      setPercentiles(series, i, us);
      all = mergeBuckets(all, merged);
      if (series.open) {
        const dropped = sc?.droppedIterations ?? 0;
        setOpen(series.open, i, [us[1]!, us[2]!], percentiles(intended, OPEN_PERCENTILES), dropped);
        global.open!.dropped[i]! += dropped;
        allOpen = mergeBuckets(allOpen, merged);
        allIntended = mergeBuckets(allIntended, intended);
      }
    });
    global.rps[i] = global.requests[i]! / dt;
    setPercentiles(global, i, percentiles(all, PERCENTILES));
    if (global.open) {
      setOpen(global.open, i, percentiles(allOpen, OPEN_PERCENTILES), percentiles(allIntended, OPEN_PERCENTILES), global.open.dropped[i]!);
    }
  });
  return { t, global, scenarios };
}

/** An arrival-rate scenario by its plan, or by its data when the plan does not name it (a stored run's scenario). */
function isOpen(plan: Plan, timeline: readonly TimelineEntry[], name: string): boolean {
  const planned = plan.scenarios.find((s) => s.name === name);
  if (planned) return isRateProfile(planned.profile);
  return timeline.some((e) => hasOpenData(e.snapshot.scenarios[name]));
}

function hasOpenData(sc: ScenarioDelta | undefined): boolean {
  return sc !== undefined && (sc.droppedIterations !== undefined || Object.values(sc.steps).some((st) => st.intended !== undefined));
}

function emptySeries(n: number, open: boolean): ScopeSeries {
  const zeros = () => new Array<number>(n).fill(0);
  const series: ScopeSeries = { vus: zeros(), requests: zeros(), errors: zeros(), errorsByClass: {}, rps: zeros(), p50: zeros(), p95: zeros(), p99: zeros() };
  if (open) series.open = { p95: zeros(), p99: zeros(), p95Intended: zeros(), p99Intended: zeros(), dropped: zeros() };
  return series;
}

function column(series: ScopeSeries, cls: ErrorClass, n: number): number[] {
  return (series.errorsByClass[cls] ??= new Array<number>(n).fill(0));
}

function setPercentiles(series: ScopeSeries, i: number, us: number[]): void {
  series.p50[i] = us[0]! / 1000;
  series.p95[i] = us[1]! / 1000;
  series.p99[i] = us[2]! / 1000;
}

/** p95 and p99 of each latency in µs, as the percentile walk gives them */
function setOpen(open: OpenSeries, i: number, serviceUs: number[], intendedUs: number[], dropped: number): void {
  open.p95[i] = serviceUs[0]! / 1000;
  open.p99[i] = serviceUs[1]! / 1000;
  open.p95Intended[i] = intendedUs[0]! / 1000;
  open.p99Intended[i] = intendedUs[1]! / 1000;
  open.dropped[i] = dropped;
}
