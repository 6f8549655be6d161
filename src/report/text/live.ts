// The live table: a line per reporting interval, and on a terminal a last line redrawn in place at every update.
import { formatSaturationWarning, saturatedAgents, worstOf, type GeneratorHealth } from "../../metrics/generator.ts";
import type { ProgressRow } from "../../run/types.ts";
import { formatProgressRow, formatTableHeader } from "./table.ts";

export interface LiveTable {
  update(row: ProgressRow): void;
  /** Commits the last row seen (unless it is already on screen as a committed line); later updates are ignored. */
  finish(): void;
}

/** Return to the line's start and clear it. */
const REDRAW = "\r\x1b[2K";

/**
 * Prints the header before the first row, then one committed line per `intervalMs`:
 * the first update whose elapsed time reaches the next interval boundary.
 * A row counts by the elapsed time it shows (rounded to the second), so a tick that
 * arrives a few ms early still lands on its interval instead of the next one.
 * Without a TTY nothing but whole lines is written — no control codes.
 * When a load generator was saturated in any second since the previous committed line, a
 * warning line follows the row: its latencies are the generator's as much as the target's.
 */
export function createLiveTable(out: { write(s: string): void }, opts: { tty: boolean; intervalMs: number }): LiveTable {
  const interval = Math.max(1, opts.intervalMs);
  const slack = Math.min(500, interval / 2);
  let nextBoundary = interval;
  let headerShown = false;
  let lastRow: ProgressRow | undefined;
  let lastCommitted = true;
  /** a live (uncommitted) line is on screen */
  let drawn = false;
  let finished = false;
  /** saturated generators since the last committed line, worst second of each */
  let saturated = new Map<string, GeneratorHealth>();

  const showHeader = () => {
    if (headerShown) return;
    out.write(formatTableHeader() + "\n");
    headerShown = true;
  };
  const commit = (row: ProgressRow) => {
    out.write((drawn ? REDRAW : "") + formatProgressRow(row) + "\n");
    if (saturated.size > 0) {
      out.write(formatSaturationWarning([...saturated].map(([agent, h]) => ({ agent, ...h }))) + "\n");
      saturated = new Map();
    }
    drawn = false;
    lastCommitted = true;
  };

  return {
    update(row) {
      if (finished) return;
      showHeader();
      for (const { agent, ...h } of saturatedAgents(row.generator)) {
        const seen = saturated.get(agent);
        saturated.set(agent, seen ? worstOf(seen, h) : h);
      }
      lastRow = row;
      lastCommitted = false;
      if (row.elapsedMs + slack >= nextBoundary) {
        nextBoundary = (Math.floor((row.elapsedMs + slack) / interval) + 1) * interval;
        commit(row);
      } else if (opts.tty) {
        out.write(REDRAW + formatProgressRow(row));
        drawn = true;
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (lastRow !== undefined && !lastCommitted) commit(lastRow);
    },
  };
}
