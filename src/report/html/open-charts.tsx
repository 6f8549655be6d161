/** @jsxImportSource preact */
// Arrival-rate charts: service time beside the time from the intended start, and the arrivals dropped, second by second.
import type { TimelineSeries } from "../series.ts";
import { Chart, type HLine, type Line, type Shade, type VLine } from "./chart.tsx";
import { minMax, stackedBands } from "./downsample.ts";

// service time in the latency chart's colours, the time from the intended start in cooler ones
const SERVICE_COLORS = { p95: "#f28e2b", p99: "#e15759" };
const INTENDED_COLORS = { p95: "#4e79a7", p99: "#b07aa1" };
const DROPPED_COLORS = ["#9c755f", "#e15759", "#76b7b2", "#edc948", "#59a14f", "#bab0ac"];

export interface OpenModelChartsProps {
  series: TimelineSeries;
  xEnd: number;
  vlines: VLine[];
  saturated: Shade[];
  /** thresholds on the latency from the intended start */
  hlines: HLine[];
}

/** Nothing for a closed-model run. The run-wide columns cover the arrival-rate scenarios only. */
export function OpenModelCharts({ series, xEnd, vlines, saturated, hlines }: OpenModelChartsProps) {
  const open = series.global.open;
  if (!open) return null;
  const line = (name: string, color: string, y: number[], width?: number): Line => ({ name, color, points: minMax(series.t, y), width });
  // the intended-start lines underneath and wider: in calm seconds they equal the service lines, which stay visible on top
  const lines = [
    line("p95 from intended start", INTENDED_COLORS.p95, open.p95Intended, 2.5),
    line("p99 from intended start", INTENDED_COLORS.p99, open.p99Intended, 2.5),
    line("p95 service", SERVICE_COLORS.p95, open.p95),
    line("p99 service", SERVICE_COLORS.p99, open.p99),
  ];
  const scenarios = series.scenarios.filter((s) => s.series.open !== undefined);
  const which = series.scenarios.length > scenarios.length ? ` (${scenarios.map((s) => s.name).join(", ")})` : "";
  return (
    <>
      <Chart
        id="chart-open-latency"
        title={`Arrival rate: service time vs time from the intended start${which}`}
        yLabel="ms"
        xEnd={xEnd}
        lines={lines}
        hlines={hlines}
        vlines={vlines}
        saturated={saturated}
        note="Service time runs from the actual send; time from the intended start adds how late the iteration began. Where they part, VUs ran out and arrivals queued."
      />
      <DroppedChart series={series} scenarios={scenarios.map((s) => s.name)} xEnd={xEnd} vlines={vlines} saturated={saturated} />
    </>
  );
}

function DroppedChart({ series, scenarios, xEnd, vlines, saturated }: { series: TimelineSeries; scenarios: string[]; xEnd: number; vlines: VLine[]; saturated: Shade[] }) {
  const total = series.global.open!.dropped;
  const common = { id: "chart-dropped", title: "Arrival rate: dropped iterations per second", yLabel: "dropped/s", xEnd, vlines, saturated };
  if (!total.some((n) => n > 0)) {
    return <Chart {...common} lines={[{ name: "dropped iterations (none)", color: "#59a14f", points: minMax(series.t, total) }]} note="Every arrival found a free VU." />;
  }
  // one band per arrival-rate scenario
  const { bands, thinned } = stackedBands(
    series.t,
    scenarios.map((name, k) => ({
      name: scenarios.length > 1 ? name : "dropped iterations",
      color: DROPPED_COLORS[k % DROPPED_COLORS.length]!,
      column: series.scenarios.find((s) => s.name === name)!.series.open!.dropped,
    })),
  );
  return (
    <Chart
      {...common}
      bands={bands}
      note={`Arrivals that found no free VU (max_vus reached) and were not run.${thinned ? " Long run: each point is the highest count of its few seconds." : ""}`}
    />
  );
}
