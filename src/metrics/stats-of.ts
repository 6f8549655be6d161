// Stats from merged counters and a merged histogram: percentiles are computed here and nowhere else.
import type { JsHistogram } from "hdr-histogram-js";
import type { Histogram } from "./hdr.ts";
import type { StepCounters } from "./snapshot.ts";
import type { Stats } from "./stats.ts";

const US_PER_MS = 1000;

export function statsOf(counters: StepCounters, latency: Histogram, iterations: number, seconds: number): Stats {
  const has = latency.totalCount > 0;
  const at = (p: number) => (has ? latency.getValueAtPercentile(p) / US_PER_MS : NaN);
  return {
    requests: counters.requests,
    errors: counters.errors,
    errorsByClass: { ...counters.errorsByClass },
    iterations,
    bytesIn: counters.bytesIn,
    bytesOut: counters.bytesOut,
    rps: seconds > 0 ? counters.requests / seconds : 0,
    error_ratio: counters.requests > 0 ? counters.errors / counters.requests : 0,
    // bucket bounds, so that a merged histogram reports exactly what one big histogram would
    min: has ? (latency as JsHistogram).lowestEquivalentValue(latency.minNonZeroValue) / US_PER_MS : NaN,
    max: has ? (latency as JsHistogram).highestEquivalentValue(latency.maxValue) / US_PER_MS : NaN,
    mean: has ? latency.mean / US_PER_MS : NaN,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
  };
}
