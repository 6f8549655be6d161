// How the HTML report writes numbers, times and durations; "—" stands for "no value".
import { formatDuration } from "../../core/duration.ts";

export const NONE = "\u2014";

/** Latency in ms with precision that fits its size: 0.42, 12.3, 487. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return NONE;
  if (n < 1) return n.toFixed(2);
  if (n < 100) return n.toFixed(1);
  return Math.round(n).toLocaleString("en-US");
}

export function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : NONE;
}

export function rate(n: number): string {
  if (!Number.isFinite(n)) return NONE;
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(n >= 10 ? 1 : 2);
}

export function percent(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(2)}%` : NONE;
}

/** A threshold's value or actual in its metric's unit. */
export function metricValue(metric: string, n: number): string {
  if (!Number.isFinite(n)) return NONE;
  if (metric === "error_ratio" || metric === "checks" || metric === "generator_saturation") return `${+n.toFixed(4)} (${percent(n)})`;
  if (metric === "rps") return `${rate(n)}/s`;
  if (metric === "requests" || metric === "errors" || metric === "dropped_iterations") return count(n);
  return `${ms(n)} ms`;
}

export function duration(msValue: number): string {
  return formatDuration(Math.round(msValue));
}

/** Seconds on a time axis: 45s, 1:30, 1:02:05. */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** 2026-03-01 10:00:00 UTC */
export function timestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}
