/** @jsxImportSource preact */
// Summary tables: every scenario with its steps, then every agent (lost ones marked with when).
import { formatErrorsByClass } from "../text/summary.ts";
import type { GeneratorHealth } from "../../metrics/generator.ts";
import type { Stats } from "../../metrics/stats.ts";
import { findRow, type ComparedMetric, type Comparison, type RowComparison } from "../compare.ts";
import type { ReportInput } from "../model.ts";
import { DeltaTag } from "./delta.tsx";
import { count, duration, ms, NONE, percent, rate } from "./format.ts";

const LATENCY_COLUMNS = ["p50", "p90", "p95", "p99", "max"] as const;

export function ScenarioTable({ input, comparison }: { input: ReportInput; comparison: Comparison | undefined }) {
  const { summary } = input;
  return (
    <section id="scenarios">
      <h2>Scenarios and steps</h2>
      <div class="scroll">
        <table class="stats">
          <StatsHead first="Scenario / step" />
          <tbody>
            {summary.scenarios.flatMap((sc) => [
              <StatsRow name={sc.name} stats={sc.stats} cls="scenario" row={findRow(comparison, sc.name)} />,
              ...sc.steps.map((st) => <StatsRow name={st.name} stats={st.stats} cls="step" row={findRow(comparison, sc.name, st.name)} />),
            ])}
            <StatsRow name="all scenarios" stats={summary.global} cls="total" row={findRow(comparison)} />
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The columns of a stats table (scenarios and steps, tag values), after the first column's heading. */
export function StatsHead({ first }: { first: string }) {
  return (
    <thead>
      <tr>
        <th class="text">{first}</th>
        <th>Requests</th>
        <th>RPS</th>
        {LATENCY_COLUMNS.map((c) => (
          <th>{c} (ms)</th>
        ))}
        <th>Errors</th>
        <th class="text">Error classes</th>
      </tr>
    </thead>
  );
}

/** One row of a stats table; `row` adds each figure's change against a baseline. */
export function StatsRow({ name, stats, cls, row }: { name: string; stats: Stats; cls: string; row: RowComparison | undefined }) {
  const cell = (metric: ComparedMetric, text: string, format: (n: number) => string) => (
    <td>
      {text}
      <DeltaTag delta={row?.deltas[metric]} format={format} />
    </td>
  );
  return (
    <tr class={cls}>
      <th class="text" scope="row">
        {name}
      </th>
      {cell("requests", count(stats.requests), count)}
      {cell("rps", rate(stats.rps), rate)}
      {LATENCY_COLUMNS.map((c) => cell(c, ms(stats[c]), ms))}
      {cell("error_ratio", `${count(stats.errors)} (${percent(stats.error_ratio)})`, percent)}
      <td class="text classes">{formatErrorsByClass(stats.errorsByClass) || NONE}</td>
    </tr>
  );
}

/** An agent's figures in the last second of a run still going (the live page's extra columns). */
export interface LiveAgent {
  id: string;
  vus: number;
  rps: number;
  generator: GeneratorHealth | undefined;
}

export function AgentTable({ input, live }: { input: ReportInput; live?: LiveAgent[] | undefined }) {
  if (input.agents.length === 0) return null;
  const now = (id: string) => live?.find((a) => a.id === id);
  return (
    <section id="agents">
      <h2>Agents</h2>
      <div class="scroll">
        <table class="stats">
          <thead>
            <tr>
              <th class="text">Agent</th>
              <th class="text">Address</th>
              <th class="text">State</th>
              {live ? (
                <>
                  <th>VUs</th>
                  <th>RPS now</th>
                  <th class="text">Generator</th>
                </>
              ) : null}
              <th>Requests</th>
              <th>RPS</th>
              <th>p50 (ms)</th>
              <th>p95 (ms)</th>
              <th>p99 (ms)</th>
              <th>Errors</th>
              <th class="text">Error classes</th>
            </tr>
          </thead>
          <tbody>
            {input.agents.map((a) => {
              const n = now(a.id);
              return (
                <tr class={a.state === "lost" || a.state === "failed" ? "fail" : undefined} data-agent={a.id} data-state={a.state}>
                  <th class="text" scope="row">
                    {a.id}
                  </th>
                  <td class="text">
                    <code>{a.address}</code>
                  </td>
                  <td class="text">
                    {a.state}
                    {a.lostAtMs !== undefined ? <span class="warn"> at {duration(a.lostAtMs)}</span> : null}
                  </td>
                  {live ? (
                    <>
                      <td>{n && a.state === "active" ? count(n.vus) : NONE}</td>
                      <td>{n && a.state === "active" ? rate(n.rps) : NONE}</td>
                      <td class="text">{n?.generator ? generatorText(n.generator) : NONE}</td>
                    </>
                  ) : null}
                  <td>{count(a.requests)}</td>
                  <td>{a.stats ? rate(a.stats.rps) : NONE}</td>
                  <td>{ms(a.stats?.p50 ?? NaN)}</td>
                  <td>{ms(a.stats?.p95 ?? NaN)}</td>
                  <td>{ms(a.stats?.p99 ?? NaN)}</td>
                  <td>
                    {count(a.errors)} ({percent(a.requests > 0 ? a.errors / a.requests : 0)})
                  </td>
                  <td class="text classes">{a.stats ? formatErrorsByClass(a.stats.errorsByClass) || NONE : NONE}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function generatorText(g: GeneratorHealth): string {
  return `${g.saturated ? "saturated: " : ""}cpu ${Math.round(g.cpuPct)}%, lag ${Math.round(g.lagMs)} ms`;
}

export function PlanSection({ input }: { input: ReportInput }) {
  const text = input.planYaml ?? JSON.stringify(input.plan, null, 2);
  return (
    <section id="plan">
      <h2>Plan{input.planFile ? <span class="muted"> ({input.planFile})</span> : null}</h2>
      <pre class="plan">{text}</pre>
    </section>
  );
}
