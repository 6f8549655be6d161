// ASCII chart of each scenario's VUs over time, printed by `indus validate`.
import { formatDuration } from "../core/duration.ts";
import { totalVus } from "./schedule.ts";

export interface ChartSeries {
  name: string;
  /** VUs per second (or, with a unit, that unit per second) */
  vus: readonly number[];
  /** what the values count (default "VUs"; "iterations/s" for an arrival-rate scenario) */
  unit?: string;
}

export interface ChartOptions {
  /** total columns, axis labels included (default 80) */
  width?: number;
  /** rows of plot per scenario (default 8) */
  height?: number;
}

// Eighth blocks: each row of text holds eight levels, so 8 rows resolve 64 levels of VUs.
const BLOCKS = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;
const NICE_TICKS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const MIN_WIDTH = 24;

/*
 * One chart per scenario, all on the same time axis so scenarios that run together line up:
 *
 * checkout-spike  (peak 100 VUs, 1m30s)      ← legend line
 * 100 ┤                         ████████
 *     │                         ████████
 *  50 ┤                         ████████
 *     │▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂▂████████▂▂▂▂▂▂
 *   0 └────────────┬────────────┬────────────┬
 *     0s           30s          1m           1m30s
 *
 * A column covering several seconds shows the most VUs among them, so a short spike never vanishes.
 */
export function renderScheduleChart(series: readonly ChartSeries[], opts: ChartOptions = {}): string {
  const width = Math.max(MIN_WIDTH, Math.floor(opts.width ?? 80));
  const height = Math.max(2, Math.floor(opts.height ?? 8));
  if (series.length === 0) return "(no scenarios)";
  const durationS = series.reduce((max, s) => Math.max(max, s.vus.length), 0);
  // One gutter for all charts, so their plots and time axes line up column for column.
  const gutter = Math.max(1, ...series.map((s) => String(peakOf(s.vus)).length));
  const charts = series.map((s) => renderOne(s, durationS, { width, height, gutter }));
  // adding VUs to iterations/s would mean nothing: the total only shows when every scenario counts the same thing
  const units = new Set(series.map(unitOf));
  if (series.length > 1 && units.size === 1) {
    charts.push(legendLine("all scenarios together", peakOf(totalVus(series)), durationS, unitOf(series[0]!)));
  }
  return charts.join("\n\n");
}

interface Layout {
  width: number;
  height: number;
  /** columns for the y-axis labels */
  gutter: number;
}

function renderOne(s: ChartSeries, durationS: number, { width, height, gutter }: Layout): string {
  const peak = peakOf(s.vus);
  const legend = legendLine(s.name, peak, s.vus.length, unitOf(s));
  if (durationS === 0) return `${legend}\n(no duration)`;
  const labels = yLabels(peak, height);
  // gutter, space, axis character, plot, one spare column for the tick at the end of time
  const plotWidth = width - gutter - 3;
  const columns = columnValues(s.vus, durationS, plotWidth);
  const rows: string[] = [legend];
  for (let row = 0; row < height; row++) {
    const fromBottom = height - 1 - row;
    const label = labels.get(row);
    const cells = columns.map((v) => BLOCKS[cellLevel(v, peak, height, fromBottom)]).join("");
    rows.push(`${(label ?? "").padStart(gutter)} ${label === undefined ? "│" : "┤"}${cells}`.trimEnd());
  }
  const ticks = xTicks(durationS, plotWidth);
  rows.push(`${"0".padStart(gutter)} └${axisLine(ticks, plotWidth)}`);
  rows.push(`${" ".repeat(gutter + 1)}${tickLabels(ticks, width - gutter - 1)}`.trimEnd());
  return rows.join("\n");
}

/** Labels for the top row (peak), the middle row and, if tall enough, the quarter rows. */
function yLabels(peak: number, height: number): Map<number, string> {
  const labels = new Map<number, string>([[0, String(peak)]]);
  if (peak === 0) return labels;
  const marks = height >= 8 ? [0.75, 0.5, 0.25] : height >= 4 ? [0.5] : [];
  for (const fraction of marks) {
    const row = height - Math.round(height * fraction);
    const value = Math.round((peak * (height - row)) / height);
    if (row > 0 && row < height && value > 0 && value < peak) labels.set(row, String(value));
  }
  return labels;
}

/** The most VUs among the seconds each column covers; NaN past the end of this scenario. */
function columnValues(vus: readonly number[], durationS: number, plotWidth: number): number[] {
  return Array.from({ length: plotWidth }, (_, c) => {
    const from = Math.floor((c * durationS) / plotWidth);
    const to = Math.max(from + 1, Math.ceil(((c + 1) * durationS) / plotWidth));
    let max = Number.NaN;
    for (let t = from; t < to && t < vus.length; t++) max = Number.isNaN(max) ? vus[t]! : Math.max(max, vus[t]!);
    return max;
  });
}

/** Eighths of this row filled by value v (0..8); any load at all shows at least one eighth. */
function cellLevel(v: number, peak: number, height: number, fromBottom: number): number {
  if (!(v > 0) || peak === 0) return 0;
  const eighths = Math.max(1, Math.round((v / peak) * height * 8));
  return Math.min(8, Math.max(0, eighths - fromBottom * 8));
}

interface Tick {
  column: number;
  label: string;
}

/** Evenly spaced ticks at a round number of seconds, about every 12 columns, plus one at the end. */
function xTicks(durationS: number, plotWidth: number): Tick[] {
  const wanted = Math.max(1, Math.floor(plotWidth / 12));
  const every = NICE_TICKS_S.find((s) => durationS / s <= wanted) ?? Math.ceil(durationS / wanted);
  const columnOf = (t: number) => Math.round((t * plotWidth) / durationS);
  const ticks: Tick[] = [];
  for (let t = 0; t < durationS; t += every) ticks.push({ column: columnOf(t), label: secondsLabel(t) });
  const last = ticks[ticks.length - 1];
  // Drop a regular tick that would crowd the end tick's label.
  if (last && last.column > 0 && plotWidth - last.column < last.label.length + 1) ticks.pop();
  ticks.push({ column: plotWidth, label: secondsLabel(durationS) });
  return ticks;
}

function axisLine(ticks: readonly Tick[], plotWidth: number): string {
  const line = Array.from({ length: plotWidth + 1 }, () => "─");
  for (const t of ticks) if (t.column > 0) line[t.column] = "┬";
  return line.join("");
}

/** Each label starts under its tick; one that would overrun the line ends at its edge; crowded ones are skipped. */
function tickLabels(ticks: readonly Tick[], lineWidth: number): string {
  let text = "";
  for (const t of ticks) {
    const at = Math.min(t.column + 1, lineWidth - t.label.length);
    const gap = text.length === 0 ? 0 : 1;
    if (at < text.length + gap) continue;
    text = text.padEnd(at) + t.label;
  }
  return text;
}

/** "checkout-spike  (peak 100 VUs, 1m30s)", "orders  (peak 2000 iterations/s, 10s)" */
function legendLine(name: string, peak: number, durationS: number, unit: string): string {
  return `${name}  (peak ${peak} ${unit}, ${secondsLabel(durationS)})`;
}

function unitOf(s: ChartSeries): string {
  return s.unit ?? "VUs";
}

function peakOf(vus: readonly number[]): number {
  return vus.reduce((peak, v) => Math.max(peak, v), 0);
}

function secondsLabel(s: number): string {
  return s === 0 ? "0s" : formatDuration(s * 1000);
}
