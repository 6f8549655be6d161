// The end-of-run table: a row per scenario, an indented row per step, and what the errors were, by class.
import { formatDuration } from "../../core/duration.ts";
import { ERROR_CLASSES, type ErrorClass } from "../../metrics/error-class.ts";
import type { RunSummary } from "../../run/types.ts";
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
export function formatSummary(summary: RunSummary, opts: { durationMs?: number; byTags?: readonly string[] | "all" } = {}): string {
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
    const open = formatOpenModel(l.stats);
    if (open !== "") out.push(`${INDENT.repeat(l.depth + 1)}${open}`);
  });
  const kinds = formatErrorKinds(summary.global);
  if (kinds !== "") out.push("", kinds);
  if (summary.global.bytesDecoded) out.push("", `decoded: ${megabytes(summary.global.bytesDecoded)} of response bodies from ${megabytes(summary.global.bytesIn)} on the wire`);
  const checks = formatChecks(summary);
  if (checks !== "") out.push("", checks);
  const tags = formatTags(summary, opts.byTags ?? []);
  if (tags !== "") out.push("", tags);
  return out.join("\n");
}

const TAG_TITLES = ["VALUE", ...TITLES.slice(1)];

/**
 * ```
 * BY TAG endpoint:
 * VALUE   REQUESTS    RPS  p50(ms)  p95(ms)  p99(ms)    ERRORS
 * users        150   5.00    12.00    20.10    22.00  0 (0.00%)
 * other         10   0.33    11.00    19.00    19.00  0 (0.00%)
 *   9980 more values of endpoint were counted as "other" (max_tag_values: 20)
 * ```
 * One table per key asked for (`--summary-by tag:NAME`); a key whose values were folded says so even unasked.
 */
export function formatTags(summary: RunSummary, byTags: readonly string[] | "all"): string {
  const blocks: string[] = [];
  for (const t of summary.tags ?? []) {
    const fold = t.folded > 0 ? `${t.folded} more values of ${t.key} were counted as "other" (max_tag_values: ${t.limit})` : "";
    if (byTags !== "all" && !byTags.includes(t.key)) {
      if (fold !== "") blocks.push(`tag ${fold}`);
      continue;
    }
    const lines = t.values.map((v) => line(v.value, 0, v.stats));
    const [header = "", ...rows] = alignColumns([TAG_TITLES, ...lines.map((l) => l.cells)], ALIGN);
    if (blocks.length > 0) blocks.push("");
    blocks.push(`BY TAG ${t.key}:`, header, ...rows);
    if (fold !== "") blocks.push(`${INDENT}${fold}`);
  }
  return blocks.join("\n");
}

/**
 * Arrival-rate scopes: latency from the intended start beside the service time in the table, and the
 * arrivals dropped: `from intended start: p50 0.61  p95 2003.10  p99 2010.40 (ms) · dropped iterations 0`.
 */
export function formatOpenModel(s: Stats): string {
  const parts: string[] = [];
  if (s.p95_intended !== undefined) {
    parts.push(`from intended start: p50 ${fixed(s.p50_intended ?? NaN, 2)}  p95 ${fixed(s.p95_intended, 2)}  p99 ${fixed(s.p99_intended ?? NaN, 2)} (ms)`);
  }
  if (s.dropped_iterations !== undefined) parts.push(`dropped iterations ${s.dropped_iterations}`);
  return parts.join(" · ");
}

/**
 * ```
 * CHECKS:
 * login-flow / login
 *   ✓ status 200                 100.00%  (300/300)
 *   ✗ json token exists           98.00%  (294/300)
 * ```
 * "" when no step has checks.
 */
export function formatChecks(summary: RunSummary): string {
  const blocks: string[] = [];
  const width = Math.max(0, ...summary.scenarios.flatMap((sc) => sc.steps.flatMap((st) => (st.checks ?? []).map((c) => c.name.length))));
  for (const sc of summary.scenarios) {
    for (const st of sc.steps) {
      const checks = st.checks ?? [];
      if (checks.length === 0) continue;
      blocks.push(`${sc.name} / ${st.name}`);
      for (const c of checks) {
        const runs = c.passes + c.fails;
        const rate = runs === 0 ? "    -  " : percent(c.passes / runs).padStart(7);
        blocks.push(`${INDENT}${c.fails === 0 ? "✓" : "✗"} ${c.name.padEnd(width)}  ${rate}  (${c.passes}/${runs})`);
      }
    }
  }
  return blocks.length === 0 ? "" : ["CHECKS:", ...blocks].join("\n");
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

/** Each kind of failure once, run-wide (the first of a kind names the problem; the rest only count): `tls: certificate expired ×12`. */
function formatErrorKinds(s: Stats): string {
  const kinds = Object.entries(s.errorKinds ?? {});
  if (kinds.length === 0) return "";
  return ["ERROR KINDS:", ...kinds.sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${INDENT}${kind} ×${n}`)].join("\n");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
