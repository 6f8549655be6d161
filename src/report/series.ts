// The run second by second, as columns per scope (all scenarios, each scenario): what charts and the JSON timeline show.
import type { TimelineEntry } from "../controller/types.ts";
import { ERROR_CLASSES, type ErrorClass } from "../engine/types.ts";
import type { Plan } from "../plan/types.ts";
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
}

export interface TimelineSeries {
  /** seconds since start at the end of each entry */
  t: number[];
  global: ScopeSeries;
  scenarios: { name: string; series: ScopeSeries }[];
}

const PERCENTILES = [50, 95, 99] as const;

export function timelineSeries(plan: Plan, timeline: readonly TimelineEntry[]): TimelineSeries {
  const names = plan.scenarios.map((s) => s.name);
  for (const e of timeline) for (const name of Object.keys(e.snapshot.scenarios)) if (!names.includes(name)) names.push(name);
  const n = timeline.length;
  const global = emptySeries(n);
  const scenarios = names.map((name) => ({ name, series: emptySeries(n) }));
  const percentiles = createPercentiles();
  const t: number[] = [];

  timeline.forEach((entry, i) => {
    t.push(entry.t);
    const dt = Math.max(entry.t - (i > 0 ? timeline[i - 1]!.t : 0), 1);
    let all: Buckets = EMPTY_BUCKETS;
    scenarios.forEach(({ name, series }) => {
      const sc = entry.snapshot.scenarios[name];
      let merged: Buckets = EMPTY_BUCKETS;
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
      }
      series.rps[i] = series.requests[i]! / dt;
      global.requests[i]! += series.requests[i]!;
      global.errors[i]! += series.errors[i]!;
      setPercentiles(series, i, percentiles(merged, PERCENTILES));
      all = mergeBuckets(all, merged);
    });
    global.rps[i] = global.requests[i]! / dt;
    setPercentiles(global, i, percentiles(all, PERCENTILES));
  });
  return { t, global, scenarios };
}

function emptySeries(n: number): ScopeSeries {
  const zeros = () => new Array<number>(n).fill(0);
  return { vus: zeros(), requests: zeros(), errors: zeros(), errorsByClass: {}, rps: zeros(), p50: zeros(), p95: zeros(), p99: zeros() };
}

function column(series: ScopeSeries, cls: ErrorClass, n: number): number[] {
  return (series.errorsByClass[cls] ??= new Array<number>(n).fill(0));
}

function setPercentiles(series: ScopeSeries, i: number, us: number[]): void {
  series.p50[i] = us[0]! / 1000;
  series.p95[i] = us[1]! / 1000;
  series.p99[i] = us[2]! / 1000;
}
