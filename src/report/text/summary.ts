// The end-of-run table: a row per scenario, an indented row per step, and what the errors were, by class.
import { formatDuration } from "../../core/duration.ts";
import { ERROR_CLASSES, type ErrorClass } from "../../engine/types.ts";
import type { RunSummary } from "../../metrics/run.ts";
import type { Stats } from "../../metrics/stats.ts";
import { alignColumns, fixed, percent, type Align } from "./format.ts";

const TITLES = ["SCENARIO / STEP", "REQUESTS", "RPS", "p50(ms)", "p95(ms)", "p99(ms)", "ERRORS"];
const ALIGN: Align[] = ["left", "right", "right", "right", "right", "right", "right"];
const INDENT = "  ";

interface Line {
  cells: string[];
  /** indentation of the row's name, repeated (one level deeper) for its errors-by-class line */
  depth: number;
  stats: Stats;
}

/**
 * ```
 * SUMMARY (30s):
 * SCENARIO / STEP  REQUESTS    RPS  p50(ms)  p95(ms)  p99(ms)      ERRORS
 * checkout              300  10.00   312.00   487.85   503.10  15 (5.00%)
 *   pay                 300  10.00   312.00   487.85   503.10  15 (5.00%)
 *     errors by class: http_5xx 12, timeout 3
 * ```
 * A "total" row closes the table when there is more (or less) than one scenario.
 */
export function formatSummary(summary: RunSummary, opts: { durationMs?: number } = {}): string {
  const lines: Line[] = [];
  for (const scenario of summary.scenarios) {
    lines.push(line(scenario.name, 0, scenario.stats));
    for (const step of scenario.steps) lines.push(line(step.name, 1, step.stats));
  }
  if (summary.scenarios.length !== 1) lines.push(line("total", 0, summary.global));

  const [header = "", ...rows] = alignColumns([TITLES, ...lines.map((l) => l.cells)], ALIGN);
  const title = opts.durationMs === undefined ? "SUMMARY:" : `SUMMARY (${formatDuration(opts.durationMs)}):`;
  const out = [title, header];
  lines.forEach((l, i) => {
    out.push(rows[i] ?? "");
    const byClass = formatErrorsByClass(l.stats.errorsByClass);
    if (byClass !== "") out.push(`${INDENT.repeat(l.depth + 1)}errors by class: ${byClass}`);
  });
  return out.join("\n");
}

/** `http_5xx 12, timeout 3`: most frequent first, ties in ERROR_CLASSES order; "" when there were none. */
export function formatErrorsByClass(byClass: Partial<Record<ErrorClass, number>>): string {
  return ERROR_CLASSES.filter((c) => (byClass[c] ?? 0) > 0)
    .map((c) => ({ c, n: byClass[c] ?? 0 }))
    .sort((a, b) => b.n - a.n)
    .map(({ c, n }) => `${c} ${n}`)
    .join(", ");
}

function line(name: string, depth: number, s: Stats): Line {
  return {
    depth,
    stats: s,
    cells: [
      INDENT.repeat(depth) + name,
      String(s.requests),
      fixed(s.rps, 2),
      fixed(s.p50, 2),
      fixed(s.p95, 2),
      fixed(s.p99, 2),
      `${s.errors} (${percent(s.error_ratio)})`,
    ],
  };
}
