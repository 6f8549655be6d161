// Summary statistics of a scope (global, scenario or step), computed only from merged histograms.
import type { ErrorClass } from "./error-class.ts";

export interface Stats {
  requests: number;
  errors: number;
  errorsByClass: Partial<Record<ErrorClass, number>>;
  iterations: number;
  bytesIn: number;
  bytesOut: number;
  /** bodies once decoded (steps with `compression`); absent when none were */
  bytesDecoded?: number;
  /** "class: kind" → count (e.g. "tls: certificate expired"); absent when none */
  errorKinds?: Record<string, number>;
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
  /**
   * Run-wide only, set by whoever judges thresholds: the fraction of measured seconds in which a
   * load generator was saturated (NaN when none was measured). Absent from per-scope stats.
   */
  generator_saturation?: number;
  /** Open model only (absent otherwise): latency from each iteration's intended start, lateness included, ms. */
  p50_intended?: number;
  p90_intended?: number;
  p95_intended?: number;
  p99_intended?: number;
  mean_intended?: number;
  max_intended?: number;
  /** Iterations the open model could not start (no free VU); absent for closed-model scopes. */
  dropped_iterations?: number;
  /** Checks passed / checks run (absent when the scope has no checks). */
  checks?: number;
  checks_passed?: number;
  checks_failed?: number;
}
