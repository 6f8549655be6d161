// How a threshold reads: its grammar, its label and its scope.
import { formatDuration } from "../core/duration.ts";
import type { Threshold } from "../plan/types.ts";

// threshold := metric condition value [window] [scope]
// metric    := "p50" | "p90" | "p95" | "p99" | "min" | "max" | "mean"   (latency, ms)
//            | "rps"                                                     (requests per second)
//            | "error_ratio"                                             (errors / requests, 0..1)
//            | "requests" | "errors"                                     (counts)
//            | "generator_saturation"   (seconds with a saturated load generator / measured seconds, 0..1, run-wide)
//            | "p50_intended" | "p90_intended" | "p95_intended" | "p99_intended" | "mean_intended" | "max_intended"
//                                       (open model: latency from the intended start, ms)
//            | "checks"                                                  (checks passed / checks run, 0..1)
//            | "dropped_iterations"                                      (open model: arrivals with no free VU)
// condition := "<" | ">" | "<=" | ">="
// value     := number, as written in the plan
// window    := "over" duration      (judged over the last `duration` of the run, not all of it)
// scope     := "[" scenario "]" | "[" scenario "/" step "]" | "[" "*" "/" step "]"  (a step in any scenario)
//              absent: the whole run, every scenario and step together
//              then "{" key "=" value ("," key "=" value)* "}" when it has tags: only requests carrying all of them
//
// e.g.  p95 < 500     error_ratio < 0.05 [checkout-spike]     p99 <= 800 [checkout-spike/pay]     p95 < 300 {endpoint=users}

/** "p95 < 500" (or "p95 < 500 over 30s" with a window): metric, condition, value and window, without the scope. */
export function thresholdLabel(t: Pick<Threshold, "metric" | "condition" | "value"> & { window?: number | undefined }): string {
  const label = `${t.metric} ${t.condition} ${t.value}`;
  return t.window === undefined ? label : `${label} over ${formatDuration(t.window)}`;
}

// "[checkout-spike]", "[checkout-spike/pay]", "[*/pay]" (a step in any scenario), or "" for the whole run.
export function thresholdScope(t: Pick<Threshold, "scenario" | "step"> & { tags?: Record<string, string> | undefined }): string {
  const tags = Object.entries(t.tags ?? {});
  const tagged = tags.length === 0 ? "" : `{${tags.map(([k, v]) => `${k}=${v}`).join(",")}}`;
  if (t.scenario === undefined && t.step === undefined) return tagged;
  if (t.step === undefined) return `[${t.scenario}]${tagged}`;
  return `[${t.scenario ?? "*"}/${t.step}]${tagged}`;
}
