/** @jsxImportSource preact */
// The report's charts: VUs, requests per second, latency percentiles, arrival-rate latencies and drops, errors by class, error ratio and checks, each with its threshold lines.
import { ERROR_CLASSES } from "../../metrics/error-class.ts";
import { summarizeGenerators } from "../../metrics/generator.ts";
import type { ThresholdMetric } from "../../plan/types.ts";
import { metricKind } from "../../threshold/index.ts";
import { thresholdName, type ReportInput } from "../model.ts";
import type { TimelineSeries } from "../series.ts";
import type { TagSeries } from "../tag-series.ts";
import { Chart, type HLine, type Line, type Shade, type VLine } from "./chart.tsx";
import { minMax, stackedBands } from "./downsample.ts";
import { OpenModelCharts } from "./open-charts.tsx";
import { planSchedule } from "../../schedule/index.ts";
import { isRateProfile } from "../../plan/types.ts";

// Tableau 10: distinct on screen and on paper
export const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
const PERCENTILE_COLORS = { p50: "#59a14f", p95: "#f28e2b", p99: "#e15759" };
const ERROR_COLORS: Record<string, string> = {
  connect_refused: "#b07aa1",
  timeout: "#f28e2b",
  reset: "#9c755f",
  dns: "#76b7b2",
  tls: "#edc948",
  protocol: "#ff9da7",
  http_4xx: "#4e79a7",
  http_5xx: "#e15759",
  other: "#bab0ac",
};
const THRESHOLD_COLORS = ["#c0392b", "#8e44ad", "#16a085", "#d35400", "#2c3e50"];
/** Latency thresholds: service time (the latency charts), or from the intended start (the arrival-rate chart). */
const isIntended = (metric: ThresholdMetric) => metric.endsWith("_intended");
const isServiceLatency = (metric: ThresholdMetric) => metricKind(metric) === "latency" && !isIntended(metric);
const isIntendedLatency = (metric: ThresholdMetric) => metricKind(metric) === "latency" && isIntended(metric);

const color = (i: number) => PALETTE[i % PALETTE.length]!;

/** xEnd: where the time axis ends (default: the run's duration); the live page passes the planned duration. */
export function Charts({ input, series, xEnd: axisEnd, tags = [] }: { input: ReportInput; series: TimelineSeries; xEnd?: number; tags?: TagSeries[] }) {
  const xEnd = Math.max(axisEnd ?? input.durationMs / 1000, series.t.at(-1) ?? 0, 1);
  const vlines: VLine[] = input.agents
    .filter((a) => a.lostAtMs !== undefined)
    .map((a) => ({ x: a.lostAtMs! / 1000, label: `${a.id} lost` }));
  const saturated = saturatedSpans(input);
  const many = series.scenarios.length > 1;
  const line = (name: string, c: string, y: number[], width?: number): Line => ({ name, color: c, points: minMax(series.t, y), width });

  const vus = series.scenarios.map((s, i) => line(s.name, color(i), s.series.vus));
  if (many) vus.push(line("all scenarios", "#333333", series.global.vus, 2));
  vus.push(...targetLines(input, xEnd));

  const rps = [line("all scenarios", "#333333", series.global.rps, 2)];
  if (many) series.scenarios.forEach((s, i) => rps.push(line(s.name, color(i), s.series.rps, 1)));

  const latency = (["p50", "p95", "p99"] as const).map((p) => line(p, PERCENTILE_COLORS[p], series.global[p]));
  // every threshold that has a chart in its unit is drawn on it, each in its own colour across all charts
  const lines = thresholdLines(input);
  const hlines = lines.filter((x) => isServiceLatency(x.metric)).map((x) => x.line);
  const intendedThresholds = lines.filter((x) => isIntendedLatency(x.metric)).map((x) => x.line);
  const rpsThresholds = lines.filter((x) => x.metric === "rps");
  const ratioThresholds = lines.filter((x) => x.metric === "error_ratio");
  const checksThresholds = lines.filter((x) => x.metric === "checks");

  return (
    <section id="charts">
      <h2>Over time</h2>
      <GeneratorNote input={input} />
      <div class="charts">
        <Chart id="chart-vus" title="Virtual users" yLabel="VUs" xEnd={xEnd} lines={vus} vlines={vlines} saturated={saturated} />
        <Chart
          id="chart-rps"
          title="Requests per second"
          yLabel="requests/s"
          xEnd={xEnd}
          lines={rps}
          hlines={rpsThresholds.map((x) => x.line)}
          vlines={vlines}
          saturated={saturated}
          note={rpsThresholds.length > 0 ? "Dashed lines: rps thresholds. One with [scenario] applies to that scenario's own rate." : undefined}
        />
        <Chart
          id="chart-latency"
          title="Latency, all scenarios (p50, p95, p99)"
          yLabel="ms"
          xEnd={xEnd}
          lines={latency}
          hlines={hlines}
          vlines={vlines}
          saturated={saturated}
          note={hlines.length > 0 ? "Dashed lines: latency thresholds. One with [scenario] applies to that scenario's own latency." : undefined}
        />
        {many ? (
          <Chart
            id="chart-latency-scenarios"
            title="p95 latency by scenario"
            yLabel="ms"
            xEnd={xEnd}
            lines={series.scenarios.map((s, i) => line(s.name, color(i), s.series.p95))}
            hlines={lines.filter((x) => isServiceLatency(x.metric) && x.scoped).map((x) => x.line)}
            saturated={saturated}
          />
        ) : null}
        <OpenModelCharts series={series} xEnd={xEnd} vlines={vlines} saturated={saturated} hlines={intendedThresholds} />
        <ErrorsChart series={series} xEnd={xEnd} vlines={vlines} saturated={saturated} />
        {checksThresholds.length > 0 ? <ChecksChart input={input} xEnd={xEnd} vlines={vlines} saturated={saturated} hlines={checksThresholds.map((x) => x.line)} /> : null}
        {ratioThresholds.length > 0 ? <ErrorRatioChart series={series} xEnd={xEnd} vlines={vlines} saturated={saturated} hlines={ratioThresholds.map((x) => x.line)} /> : null}
        {tags.length > 0 ? (
          <>
            <Chart id="chart-tags-rps" title="Requests per second by tag" yLabel="requests/s" xEnd={xEnd} lines={tags.map((s, i) => line(s.tag, color(i), s.rps))} vlines={vlines} saturated={saturated} note="Each line: the steps that carry that tag." />
            <Chart id="chart-tags-p95" title="p95 latency by tag" yLabel="ms" xEnd={xEnd} lines={tags.map((s, i) => line(s.tag, color(i), s.p95))} vlines={vlines} saturated={saturated} />
          </>
        ) : null}
      </div>
    </section>
  );
}

/** Threshold metrics drawn as a line on a chart in their unit; the counts (requests, errors, dropped_iterations) are run totals and generator_saturation a share of seconds: the table shows those. */
const CHARTED = new Set<ThresholdMetric>(["rps", "error_ratio", "checks"]);

/** The thresholds that a chart can show, each with a colour of its own across all charts. */
function thresholdLines(input: ReportInput): { metric: ThresholdMetric; scoped: boolean; line: HLine }[] {
  const drawn = input.thresholds.filter((r) => metricKind(r.threshold.metric) === "latency" || CHARTED.has(r.threshold.metric));
  return drawn.map((r, i) => ({
    metric: r.threshold.metric,
    scoped: r.threshold.scenario !== undefined,
    line: { y: r.threshold.value, label: thresholdName(r), color: THRESHOLD_COLORS[i % THRESHOLD_COLORS.length]! },
  }));
}

/** Errors divided by requests, second by second, beside the error_ratio thresholds (a ratio has no place on the errors/s axis). */
function ErrorRatioChart({ series, xEnd, vlines, saturated, hlines }: { series: TimelineSeries; xEnd: number; vlines: VLine[]; saturated: Shade[]; hlines: HLine[] }) {
  // a second without requests has no ratio: a gap, not a 0
  const ratio = (s: TimelineSeries["global"]) => s.requests.map((n, i) => (n > 0 ? s.errors[i]! / n : NaN));
  const lines: Line[] = [{ name: "all scenarios", color: "#333333", points: minMax(series.t, ratio(series.global)), width: 2 }];
  if (series.scenarios.length > 1) series.scenarios.forEach((s, i) => lines.push({ name: s.name, color: color(i), points: minMax(series.t, ratio(s.series)), width: 1 }));
  return (
    <Chart
      id="chart-error-ratio"
      title="Error ratio (errors ÷ requests each second)"
      yLabel="ratio"
      xEnd={xEnd}
      lines={lines}
      hlines={hlines}
      vlines={vlines}
      saturated={saturated}
      formatY={(n) => `${(n * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`}
      note="Dashed lines: error_ratio thresholds (over the whole run, or their window; the line is each second's own ratio)."
    />
  );
}

/** Checks passed ÷ checks run, each second, all steps together, beside the checks thresholds (read from the timeline: check counts are plain numbers). */
function ChecksChart({ input, xEnd, vlines, saturated, hlines }: { input: ReportInput; xEnd: number; vlines: VLine[]; saturated: Shade[]; hlines: HLine[] }) {
  const t: number[] = [];
  const ratio: number[] = [];
  for (const entry of input.timeline) {
    let passes = 0;
    let fails = 0;
    for (const sc of Object.values(entry.snapshot.scenarios)) {
      for (const st of Object.values(sc.steps)) {
        for (const c of Object.values(st.checks ?? {})) {
          passes += c.passes;
          fails += c.fails;
        }
      }
    }
    t.push(entry.t);
    ratio.push(passes + fails > 0 ? passes / (passes + fails) : NaN);
  }
  return (
    <Chart
      id="chart-checks"
      title="Checks passed (passed ÷ run each second)"
      yLabel="ratio"
      xEnd={xEnd}
      lines={[{ name: "all checks", color: "#59a14f", points: minMax(t, ratio), width: 2 }]}
      hlines={hlines}
      vlines={vlines}
      saturated={saturated}
      formatY={(n) => `${(n * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`}
      note="Dashed lines: checks thresholds (over the whole run, or their window; one with [scenario] applies to that scope)."
    />
  );
}

/** Each closed-model scenario's planned VUs, dashed beside what ran (arrival-rate scenarios have no VU target). */
function targetLines(input: ReportInput, xEnd: number): Line[] {
  const closed = input.plan.scenarios.filter((sc) => !isRateProfile(sc.profile));
  return planSchedule(closed).flatMap((s) => {
    const i = input.plan.scenarios.findIndex((sc) => sc.name === s.name);
    const x: number[] = [];
    const y: number[] = [];
    s.vus.forEach((v, t) => {
      if (t > xEnd) return;
      x.push(t);
      y.push(v);
    });
    return x.length === 0 ? [] : [{ name: `${s.name} (target)`, color: color(i), points: minMax(x, y), width: 1, dashed: true }];
  });
}

function ErrorsChart({ series, xEnd, vlines, saturated }: { series: TimelineSeries; xEnd: number; vlines: VLine[]; saturated: Shade[] }) {
  const classes = ERROR_CLASSES.filter((c) => series.global.errorsByClass[c] !== undefined);
  if (classes.length === 0) {
    return (
      <Chart
        id="chart-errors"
        title="Errors per second"
        yLabel="errors/s"
        xEnd={xEnd}
        lines={[{ name: "errors (none)", color: "#59a14f", points: minMax(series.t, series.global.errors) }]}
        vlines={vlines}
        saturated={saturated}
        note="No request failed."
      />
    );
  }
  const { bands, thinned } = stackedBands(
    series.t,
    classes.map((c) => ({ name: c, color: ERROR_COLORS[c] ?? "#bab0ac", column: series.global.errorsByClass[c]! })),
  );
  return (
    <Chart
      id="chart-errors"
      title="Errors per second, by class"
      yLabel="errors/s"
      xEnd={xEnd}
      bands={bands}
      vlines={vlines}
      saturated={saturated}
      note={thinned ? "Long run: each point is the highest count of its few seconds." : undefined}
    />
  );
}

/** The seconds in which some agent's load generator was saturated, merged into spans (a second ends at its entry's t). */
export function saturatedSpans(input: Pick<ReportInput, "timeline">): Shade[] {
  const spans: Shade[] = [];
  input.timeline.forEach((entry, i) => {
    if (!Object.values(entry.snapshot.generator ?? {}).some((h) => h.saturated)) return;
    const from = i > 0 ? input.timeline[i - 1]!.t : Math.max(entry.t - 1, 0);
    const last = spans.at(-1);
    if (last && last.to >= from) last.to = entry.t;
    else spans.push({ from, to: entry.t });
  });
  return spans;
}

/** Says, above the charts, that the shaded seconds measure the load generator as much as the target. */
function GeneratorNote({ input }: { input: ReportInput }) {
  const g = summarizeGenerators(input.timeline.map((e) => e.snapshot.generator));
  if (g.saturatedSeconds === 0) return null;
  const who = Object.entries(g.agents)
    .filter(([, a]) => a.saturatedSeconds > 0)
    .map(([agent, a]) => `${agent} (cpu up to ${Math.round(a.cpuPct)}%, lag up to ${Math.round(a.lagMs)} ms)`)
    .join(", ");
  return (
    <p class="generator-note" id="generator-saturated">
      ⚠ The load generator was saturated for {g.saturatedSeconds} of {g.seconds} s on {who}. In the shaded seconds the latencies are
      inflated by the load generator itself, not only by the target: add agents or workers, or lower the load per agent.
    </p>
  );
}
