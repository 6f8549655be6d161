// An ASCII chart of VUs over time per scenario, as `indus validate` prints it (no colour, no control codes).
import { formatDuration } from "../core/duration.ts";
import { peakVus, type ScheduleSeries } from "./schedule.ts";

export interface ChartOptions {
  /** plot columns (default 60) */
  width?: number;
  /** plot rows (default 8) */
  height?: number;
}

/** Samples a per-second series onto `width` columns, keeping each column's maximum (a spike never vanishes). */
function columns(vus: number[], width: number): number[] {
  const cols = Math.min(width, vus.length);
  return Array.from({ length: cols }, (_, c) => {
    const from = Math.floor((c * vus.length) / cols);
    const to = Math.max(from + 1, Math.floor(((c + 1) * vus.length) / cols));
    return peakVus(vus.slice(from, to));
  });
}

export function renderSeriesChart(series: ScheduleSeries, options: ChartOptions = {}): string {
  const width = options.width ?? 60;
  const height = options.height ?? 8;
  const peak = peakVus(series.vus);
  const cols = columns(series.vus, width);
  const labelWidth = Math.max(String(peak).length, 1);
  const lines: string[] = [];
  lines.push(`${series.name}  (peak ${peak} VUs, ${formatDuration(series.vus.length * 1000)})`);
  for (let row = height; row >= 1; row--) {
    const level = (peak * row) / height;
    const prevLevel = (peak * (row - 1)) / height;
    const label = row === height ? String(peak) : row === Math.ceil(height / 2) ? String(Math.round(level)) : "";
    let line = "";
    for (const v of cols) {
      if (peak === 0) line += " ";
      else if (v >= level) line += "█";
      else if (v > prevLevel) line += "▄";
      else line += " ";
    }
    lines.push(`${label.padStart(labelWidth)} ┤${line}`.trimEnd());
  }
  lines.push(`${"0".padStart(labelWidth)} ┼${"─".repeat(cols.length)}`);
  const end = formatDuration(series.vus.length * 1000);
  const mid = formatDuration(Math.round(series.vus.length / 2) * 1000);
  const axis = " ".repeat(labelWidth + 2) + "0s";
  const midPos = Math.floor(cols.length / 2);
  let xLabels = axis.padEnd(labelWidth + 2 + midPos) + mid;
  xLabels = xLabels.padEnd(Math.max(labelWidth + 2 + cols.length - end.length + 1, xLabels.length + 1)) + end;
  lines.push(xLabels.trimEnd());
  return lines.join("\n");
}

/** One chart per scenario, separated by blank lines. */
export function renderScheduleChart(series: ScheduleSeries[], options: ChartOptions = {}): string {
  return series.map((s) => renderSeriesChart(s, options)).join("\n\n");
}
