// The live table's header and rows, in the reference's fixed-width columns: STATE ELAPSED VUs RPS p95(ms) ERRORS.
import type { ProgressRow } from "../../run/types.ts";
import { elapsed, fixed, percent } from "./format.ts";

/** Column widths as the reference prints them; one space between columns. */
const WIDTHS = [10, 10, 8, 10, 10, 10] as const;
const TITLES = ["STATE", "ELAPSED", "VUs", "RPS", "p95(ms)", "ERRORS"] as const;

/** The two header lines: titles and the ──── rule under each column. */
export function formatTableHeader(): string {
  return [fixedColumns(TITLES), WIDTHS.map((w) => "─".repeat(w)).join(" ")].join("\n");
}

/** `running    8s         10       1.7        494.67     0.00%` */
export function formatProgressRow(row: ProgressRow): string {
  return fixedColumns([
    row.state,
    elapsed(row.elapsedMs),
    Number.isFinite(row.vus) ? String(Math.round(row.vus)) : "-",
    fixed(row.rps, 1),
    fixed(row.p95, 2),
    percent(row.errorRatio),
  ]);
}

/** Pads every cell but the last to its column width (a longer value pushes the line, it is never cut). */
function fixedColumns(cells: readonly string[]): string {
  return cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(WIDTHS[i] ?? 0))).join(" ");
}
