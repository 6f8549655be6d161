// Summary statistics of a scope (global, scenario or step), computed only from merged histograms.
import type { ErrorClass } from "../engine/types.ts";

export interface Stats {
  requests: number;
  errors: number;
  errorsByClass: Partial<Record<ErrorClass, number>>;
  iterations: number;
  bytesIn: number;
  bytesOut: number;
  /** requests per second over the scope's elapsed seconds */
  rps: number;
  /** errors / requests; 0 when there were no requests */
  error_ratio: number;
  /** latencies in milliseconds; NaN when there are no samples */
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}
