// Grows a run's chart columns by one second, so the live page never walks the whole timeline again (histograms are decoded once).
import type { Plan } from "../../plan/types.ts";
import type { ReportInput } from "../model.ts";
import { timelineSeries, type OpenSeries, type ScopeSeries, type TimelineSeries } from "../series.ts";

type TimelineEntry = ReportInput["timeline"][number];

export function emptyTimelineSeries(plan: Plan): TimelineSeries {
  return timelineSeries(plan, []);
}

/** Appends `entry` (the second after `prevT`) to `into`, exactly as timelineSeries over the whole timeline would have. */
export function appendSecond(into: TimelineSeries, plan: Plan, prevT: number, entry: TimelineEntry): void {
  // the interval is what rps divides by: shift the entry so that its own series starts at prevT
  const one = timelineSeries(plan, [{ ...entry, t: entry.t - prevT }]);
  const n = into.t.length;
  into.t.push(entry.t);
  appendScope(into.global, one.global, n);
  for (const s of one.scenarios) {
    let target = into.scenarios.find((x) => x.name === s.name);
    if (!target) {
      // a scenario the plan does not name: zeros for the seconds before it appeared
      target = { name: s.name, series: padded(s.series, n) };
      into.scenarios.push(target);
    }
    appendScope(target.series, s.series, n);
  }
  for (const s of into.scenarios) if (!one.scenarios.some((x) => x.name === s.name)) appendScope(s.series, undefined, n);
}

const COLUMNS = ["vus", "requests", "errors", "rps", "p50", "p95", "p99"] as const;
const OPEN_COLUMNS = ["p95", "p99", "p95Intended", "p99Intended", "dropped"] as const;

function appendScope(into: ScopeSeries, one: ScopeSeries | undefined, n: number): void {
  for (const c of COLUMNS) into[c].push(one ? one[c][0]! : c.startsWith("p") ? NaN : 0);
  for (const [cls, col] of Object.entries(one?.errorsByClass ?? {})) {
    const key = cls as keyof ScopeSeries["errorsByClass"];
    (into.errorsByClass[key] ??= new Array<number>(n).fill(0)).push(col[0]!);
  }
  for (const col of Object.values(into.errorsByClass)) if (col.length === n) col.push(0);
  if (one?.open && !into.open) into.open = paddedOpen(n);
  if (into.open) for (const c of OPEN_COLUMNS) into.open[c].push(one?.open ? one.open[c][0]! : c === "dropped" ? 0 : NaN);
}

function padded(like: ScopeSeries, n: number): ScopeSeries {
  const zeros = () => new Array<number>(n).fill(0);
  const nans = () => new Array<number>(n).fill(NaN);
  return { vus: zeros(), requests: zeros(), errors: zeros(), errorsByClass: {}, rps: zeros(), p50: nans(), p95: nans(), p99: nans(), ...(like.open ? { open: paddedOpen(n) } : {}) };
}

function paddedOpen(n: number): OpenSeries {
  const nans = () => new Array<number>(n).fill(NaN);
  return { p95: nans(), p99: nans(), p95Intended: nans(), p99Intended: nans(), dropped: new Array<number>(n).fill(0) };
}
