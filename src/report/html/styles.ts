// The report's only stylesheet, inlined: system fonts, tables that scroll on narrow screens, a print layout.
export const STYLES = `
:root { --fg:#1d232b; --muted:#5f6b7a; --line:#dde2e8; --bg:#ffffff; --panel:#f6f8fa; --pass:#1e7e34; --fail:#c0392b; --warn:#b35900; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1200px; padding: 16px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6em; margin: 0; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.muted { color: var(--muted); }
.warn { color: var(--warn); }
.head .title-row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 0.85em; text-transform: uppercase; letter-spacing: .03em; border: 1px solid currentColor; }
.state-completed { color: var(--pass); } .state-failed, .state-aborted { color: var(--fail); } .state-running, .state-pending { color: var(--warn); }
.verdict.pass { background: var(--pass); border-color: var(--pass); color: #fff; } .verdict.fail { background: var(--fail); border-color: var(--fail); color: #fff; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px 16px; margin: 14px 0 0; }
.facts div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; min-width: 0; }
.facts dt { font-size: 0.78em; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.reason, .baseline-note { margin: 12px 0 0; padding: 8px 12px; border-left: 4px solid var(--warn); background: #fff8ef; }
.baseline-note { border-left-color: #4e79a7; background: #f2f6fb; }
.baseline-note .delta { display: inline; font-size: 1em; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; vertical-align: top; }
thead th { font-size: 0.82em; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
.text { text-align: left; }
td.classes { white-space: normal; min-width: 12em; color: var(--muted); }
tr.scenario th, tr.total th, tr.total td { font-weight: 700; }
tr.step th { font-weight: 400; padding-left: 26px; }
tr.total { background: var(--panel); }
tr.fail td.mark { color: var(--fail); } tr.pass td.mark { color: var(--pass); }
td.mark { font-weight: 700; text-align: center; font-size: 1.1em; }
tr.fail { background: #fdf1f0; }
.delta { display: block; font-size: 0.8em; color: var(--muted); }
.delta.worse { color: var(--fail); font-weight: 700; } .delta.better { color: var(--pass); }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
figure.chart { margin: 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-scroll { overflow-x: auto; }
.chart svg { display: block; width: 100%; min-width: 600px; height: auto; font-size: 13px; }
.chart .grid line { stroke: #eceff3; }
.chart .axis line { stroke: #8a949f; }
.chart .axis text { fill: #4a5562; }
.chart .axis-label { fill: var(--muted); font-size: 12px; }
.chart path.line { stroke-linejoin: round; stroke-linecap: round; }
.chart path.band { fill-opacity: .75; stroke-width: .5; }
.chart rect.saturated { fill: #e15759; fill-opacity: .14; }
.swatch.saturated { background: #e15759; opacity: .3; }
.generator-note { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid var(--fail); background: #fdf1f0; }
.chart .hline text, .chart .vline text { font-size: 11px; }
.chart .vline text { fill: #5f6b7a; }
.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12.5px; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 14px; height: 4px; border-radius: 2px; }
.swatch.dashed { height: 0; border-top: 2px dashed; background: none; }
.note { margin: 6px 0 0; font-size: 12px; color: var(--muted); }
pre.plan { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; white-space: pre; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
@media (max-width: 600px) { body { padding: 10px; font-size: 13px; } th, td { padding: 4px 6px; } }
@media print {
  @page { margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll, .chart-scroll { overflow: visible; }
  .chart svg { min-width: 0; }
  .charts { grid-template-columns: 1fr; }
  figure.chart, table, tr, .facts div { break-inside: avoid; }
  h2 { break-after: avoid; }
  th, td { white-space: normal; }
  pre.plan { white-space: pre-wrap; overflow: visible; }
}
`;
