/** @jsxImportSource preact */
// One time chart as inline SVG drawn on the server: axes, ticks, grid, labels, lines or stacked bands, markers, legend.
import type { Points, StackedBand } from "./downsample.ts";
import { clock } from "./format.ts";
import { niceTicks, timeTicks } from "./ticks.ts";

export interface Line {
  name: string;
  color: string;
  points: Points;
  width?: number;
  /** drawn dashed: a plan's target beside what was measured */
  dashed?: boolean;
}

/** One layer of a stacked area: the band between lower and upper. */
/** A filled area between two lines (stackedBands makes them). */
export type Band = StackedBand;

export interface HLine {
  y: number;
  label: string;
  color: string;
}

export interface VLine {
  x: number;
  label: string;
}

/** A span of the x axis shaded behind the data: seconds whose figures are suspect (a saturated load generator). */
export interface Shade {
  /** seconds */
  from: number;
  to: number;
}

export interface ChartProps {
  id: string;
  title: string;
  yLabel: string;
  /** seconds: the x axis runs from 0 to here */
  xEnd: number;
  lines?: Line[];
  bands?: Band[];
  hlines?: HLine[];
  vlines?: VLine[];
  /** seconds when the load generator was saturated, shaded and named in the legend */
  saturated?: Shade[];
  /** tick labels; default: up to 2 decimals with thousands separators */
  formatY?: (n: number) => string;
  /** a line under the legend */
  note?: string;
}

const W = 900;
const H = 300;
const M = { left: 64, right: 18, top: 16, bottom: 44 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const r1 = (n: number) => Math.round(n * 10) / 10;
const tickLabel = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });

export function Chart(props: ChartProps) {
  const lines = props.lines ?? [];
  const bands = props.bands ?? [];
  const formatY = props.formatY ?? tickLabel;
  let dataMax = 0;
  for (const l of lines) for (const v of l.points.y) if (v > dataMax) dataMax = v;
  for (const b of bands) for (const v of b.upper) if (v > dataMax) dataMax = v;
  // a threshold far above the data would flatten it: such lines are named in the legend instead
  const shown = (props.hlines ?? []).filter((h) => dataMax === 0 || h.y <= dataMax * 2);
  const offScale = (props.hlines ?? []).filter((h) => !shown.includes(h));
  const { ticks: yTicks, top } = niceTicks(Math.max(dataMax, ...shown.map((h) => h.y)));
  const xEnd = Math.max(props.xEnd, 1);
  const sx = (t: number) => r1(M.left + (t / xEnd) * PW);
  const sy = (v: number) => r1(M.top + PH - (Math.min(v, top) / top) * PH);

  return (
    <figure class="chart" id={props.id}>
      <figcaption>{props.title}</figcaption>
      <div class="chart-scroll">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
          <title>{props.title}</title>
          <g class="grid">
            {yTicks.map((v) => (
              <line x1={M.left} x2={M.left + PW} y1={sy(v)} y2={sy(v)} />
            ))}
          </g>
          <g class="axis y-axis">
            <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + PH} />
            {yTicks.map((v) => (
              <text x={M.left - 8} y={sy(v) + 4} text-anchor="end">
                {formatY(v)}
              </text>
            ))}
            <text class="axis-label" transform={`translate(16 ${M.top + PH / 2}) rotate(-90)`} text-anchor="middle">
              {props.yLabel}
            </text>
          </g>
          <g class="axis x-axis">
            <line x1={M.left} x2={M.left + PW} y1={M.top + PH} y2={M.top + PH} />
            {timeTicks(xEnd).map((t) => (
              <g>
                <line x1={sx(t)} x2={sx(t)} y1={M.top + PH} y2={M.top + PH + 5} />
                <text x={sx(t)} y={M.top + PH + 19} text-anchor={sx(t) > W - M.right - 16 ? "end" : "middle"}>
                  {clock(t)}
                </text>
              </g>
            ))}
            <text class="axis-label" x={M.left + PW / 2} y={H - 4} text-anchor="middle">
              time since start
            </text>
          </g>
          {props.saturated && props.saturated.length > 0 ? (
            <g class="saturated-seconds">
              {props.saturated.map((z) => (
                <rect class="saturated" x={sx(z.from)} y={M.top} width={Math.max(r1(sx(z.to) - sx(z.from)), 1)} height={PH}>
                  <title>{`load generator saturated ${clock(z.from)}–${clock(z.to)}`}</title>
                </rect>
              ))}
            </g>
          ) : null}
          <g class="bands">
            {bands.map((b) => (
              <path class="band" d={bandPath(b, sx, sy)} fill={b.color} stroke={b.color} />
            ))}
          </g>
          <g class="lines">
            {lines.map((l) => (
              <path class="line" d={linePath(l.points, sx, sy)} stroke={l.color} stroke-width={l.width ?? 1.5} fill="none" stroke-dasharray={l.dashed ? "5 4" : undefined} />
            ))}
          </g>
          <g class="markers">
            {shown.map((h) => (
              <g class="hline">
                <path d={`M${M.left},${sy(h.y)}H${M.left + PW}`} stroke={h.color} stroke-dasharray="6 4" stroke-width="1.5" fill="none" />
                <text x={M.left + PW - 4} y={sy(h.y) - 4} text-anchor="end" fill={h.color}>
                  {h.label}
                </text>
              </g>
            ))}
            {(props.vlines ?? []).map((v) => (
              <g class="vline">
                <path d={`M${sx(v.x)},${M.top}V${M.top + PH}`} stroke="#7a7a7a" stroke-dasharray="3 3" fill="none" />
                <text x={sx(v.x) + 4} y={M.top + 12}>
                  {v.label}
                </text>
              </g>
            ))}
          </g>
        </svg>
      </div>
      <ul class="legend">
        {bands.map((b) => (
          <li>
            <span class="swatch" style={`background:${b.color}`} />
            {b.name}
          </li>
        ))}
        {lines.map((l) => (
          <li>
            <span class={l.dashed ? "swatch dashed" : "swatch"} style={l.dashed ? `border-color:${l.color}` : `background:${l.color}`} />
            {l.name}
          </li>
        ))}
        {shown.map((h) => (
          <li>
            <span class="swatch dashed" style={`border-color:${h.color}`} />
            {h.label}
          </li>
        ))}
        {props.saturated && props.saturated.length > 0 ? (
          <li class="saturated-legend">
            <span class="swatch saturated" />
            load generator saturated
          </li>
        ) : null}
        {offScale.map((h) => (
          <li class="off-scale">
            <span class="swatch dashed" style={`border-color:${h.color}`} />
            {h.label} (above the chart)
          </li>
        ))}
      </ul>
      {props.note ? <p class="note">{props.note}</p> : null}
    </figure>
  );
}

/** "M x,y L x,y …", a new M after each gap (NaN). */
export function linePath(p: Points, sx: (t: number) => number, sy: (v: number) => number): string {
  let d = "";
  let pen = false;
  for (let i = 0; i < p.x.length; i++) {
    const v = p.y[i]!;
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${sx(p.x[i]!)},${sy(v)}`;
    pen = true;
  }
  return d;
}

function bandPath(b: Band, sx: (t: number) => number, sy: (v: number) => number): string {
  if (b.x.length === 0) return "";
  let d = "";
  for (let i = 0; i < b.x.length; i++) d += `${i === 0 ? "M" : "L"}${sx(b.x[i]!)},${sy(b.upper[i]!)}`;
  for (let i = b.x.length - 1; i >= 0; i--) d += `L${sx(b.x[i]!)},${sy(b.lower[i]!)}`;
  return d + "Z";
}
