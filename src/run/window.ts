// Stats over the last seconds of a run, for thresholds with a `window`: a service that degrades mid-run shows.
import { SnapshotAccumulator, type Scope } from "../metrics/accumulator.ts";
import type { Stats } from "../metrics/stats.ts";

/**
 * Merges the closed seconds that fall in the window (the newest last) and judges the scope over them.
 * Before the window has filled, it covers what there is: rates are per second of that.
 */
export function windowStats(recent: readonly SnapshotAccumulator[], scope: Scope, windowMs: number): Stats | undefined {
  const seconds = Math.min(recent.length, Math.max(1, Math.ceil(windowMs / 1000)));
  if (seconds === 0) return undefined;
  const merged = new SnapshotAccumulator();
  for (const second of recent.slice(-seconds)) merged.addAccumulator(second);
  return merged.stats(scope, seconds);
}
