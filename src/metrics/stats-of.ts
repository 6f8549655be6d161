// Stats from merged counters and a merged histogram: percentiles are computed here and nowhere else.
import type { JsHistogram } from "hdr-histogram-js";
import { histogramMean, type Histogram } from "./hdr.ts";
import type { CheckCounts, StepCounters } from "./snapshot.ts";
import type { Stats } from "./stats.ts";

const US_PER_MS = 1000;

/** What only some scopes have: latency from the intended start and dropped iterations (open model), checks. */
export interface OpenModelExtras {
  intended?: Histogram;
  droppedIterations?: number;
  checks?: CheckCounts;
}

export function statsOf(counters: StepCounters, latency: Histogram, iterations: number, seconds: number, extras: OpenModelExtras = {}): Stats {
  const has = latency.totalCount > 0;
  const at = (p: number) => (has ? latency.getValueAtPercentile(p) / US_PER_MS : NaN);
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
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
  };
}

function extraStats(extras: OpenModelExtras): Partial<Stats> {
  const out: Partial<Stats> = {};
  const h = extras.intended;
  if (h !== undefined && h.totalCount > 0) {
    out.p50_intended = h.getValueAtPercentile(50) / US_PER_MS;
    out.p90_intended = h.getValueAtPercentile(90) / US_PER_MS;
    out.p95_intended = h.getValueAtPercentile(95) / US_PER_MS;
    out.p99_intended = h.getValueAtPercentile(99) / US_PER_MS;
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
