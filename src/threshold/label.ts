// How a threshold reads: its grammar, its label and its scope.
import type { Threshold } from "../plan/types.ts";

// threshold := metric condition value [scope]
// metric    := "p50" | "p90" | "p95" | "p99" | "min" | "max" | "mean"   (latency, ms)
//            | "rps"                                                     (requests per second)
//            | "error_ratio"                                             (errors / requests, 0..1)
//            | "requests" | "errors"                                     (counts)
// condition := "<" | ">" | "<=" | ">="
// value     := number, as written in the plan
// scope     := "[" scenario "]" | "[" scenario "/" step "]" | "[" "*" "/" step "]"  (a step in any scenario)
//              absent: the whole run, every scenario and step together
//
// e.g.  p95 < 500     error_ratio < 0.05 [checkout-spike]     p99 <= 800 [checkout-spike/pay]

/** "p95 < 500": metric, condition and value, without the scope. */
export function thresholdLabel(t: Pick<Threshold, "metric" | "condition" | "value">): string {
  return `${t.metric} ${t.condition} ${t.value}`;
}

// "[checkout-spike]", "[checkout-spike/pay]", "[*/pay]" (a step in any scenario), or "" for the whole run.
export function thresholdScope(t: Pick<Threshold, "scenario" | "step">): string {
  if (t.scenario === undefined && t.step === undefined) return "";
  if (t.step === undefined) return `[${t.scenario}]`;
  return `[${t.scenario ?? "*"}/${t.step}]`;
}
