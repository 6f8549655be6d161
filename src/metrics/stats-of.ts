// Stats from merged counters and a merged histogram: percentiles are computed here and nowhere else.
import type { JsHistogram } from "hdr-histogram-js";
import { histogramMean, histogramPercentiles, type Histogram } from "./hdr.ts";
import type { CheckCounts, StepCounters } from "./snapshot.ts";
import type { Stats } from "./stats.ts";

const US_PER_MS = 1000;
const PERCENTILES = [50, 90, 95, 99] as const;

/** What only some scopes have: latency from the intended start and dropped iterations (open model), checks. */
export interface OpenModelExtras {
  intended?: Histogram;
  droppedIterations?: number;
  checks?: CheckCounts;
}

export function statsOf(counters: StepCounters, latency: Histogram, iterations: number, seconds: number, extras: OpenModelExtras = {}): Stats {
  const has = latency.totalCount > 0;
  const [p50, p90, p95, p99] = has ? histogramPercentiles(latency, PERCENTILES) : [NaN, NaN, NaN, NaN];
  return {
    ...extraStats(extras),
    requests: counters.requests,
    errors: counters.errors,
    errorsByClass: { ...counters.errorsByClass },
    iterations,
    bytesIn: counters.bytesIn,
    bytesOut: counters.bytesOut,
    ...(counters.bytesDecoded ? { bytesDecoded: counters.bytesDecoded } : {}),
    ...(counters.errorKinds !== undefined ? { errorKinds: { ...counters.errorKinds } } : {}),
    rps: seconds > 0 ? counters.requests / seconds : 0,
    error_ratio: counters.requests > 0 ? counters.errors / counters.requests : 0,
    // bucket bounds, so that a merged histogram reports exactly what one big histogram would
    min: has ? (latency as JsHistogram).lowestEquivalentValue(latency.minNonZeroValue) / US_PER_MS : NaN,
    max: has ? (latency as JsHistogram).highestEquivalentValue(latency.maxValue) / US_PER_MS : NaN,
    mean: has ? histogramMean(latency) / US_PER_MS : NaN,
    p50: p50! / US_PER_MS,
    p90: p90! / US_PER_MS,
    p95: p95! / US_PER_MS,
    p99: p99! / US_PER_MS,
  };
}

function extraStats(extras: OpenModelExtras): Partial<Stats> {
  const out: Partial<Stats> = {};
  const h = extras.intended;
  if (h !== undefined && h.totalCount > 0) {
    const [p50, p90, p95, p99] = histogramPercentiles(h, PERCENTILES);
    out.p50_intended = p50! / US_PER_MS;
    out.p90_intended = p90! / US_PER_MS;
    out.p95_intended = p95! / US_PER_MS;
    out.p99_intended = p99! / US_PER_MS;
    out.mean_intended = histogramMean(h) / US_PER_MS;
    out.max_intended = (h as JsHistogram).highestEquivalentValue(h.maxValue) / US_PER_MS;
  }
  if (extras.droppedIterations !== undefined) out.dropped_iterations = extras.droppedIterations;
  const c = extras.checks;
  if (c !== undefined && c.passes + c.fails > 0) {
    out.checks = c.passes / (c.passes + c.fails);
    out.checks_passed = c.passes;
    out.checks_failed = c.fails;
  }
  return out;
}
