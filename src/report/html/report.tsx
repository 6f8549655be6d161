/** @jsxImportSource preact */
// The whole HTML report page, and its body: the same sections the live dashboard draws every second while a run goes.
import type { Comparison } from "../compare.ts";
import type { ReportInput } from "../model.ts";
import type { TimelineSeries } from "../series.ts";
import type { TagSeries } from "../tag-series.ts";
import { Charts } from "./charts.tsx";
import { Header, type LiveFacts } from "./header.tsx";
import { ChecksTable } from "./checks-table.tsx";
import { OpenModelTable } from "./open-table.tsx";
import { STYLES } from "./styles.ts";
import { TagTables } from "./tags.tsx";
import { AgentTable, PlanSection, ScenarioTable, type LiveAgent } from "./tables.tsx";
import { ErrorKindsTable, ScriptErrorsTable, TrafficTable } from "./traffic.tsx";
import { Thresholds } from "./thresholds.tsx";

export interface ReportPageProps {
  input: ReportInput;
  series: TimelineSeries;
  comparison: Comparison | undefined;
  generator: string;
  /** per-tag columns, when steps have tags */
  tags?: TagSeries[];
}

export interface ReportBodyProps {
  input: ReportInput;
  series: TimelineSeries;
  comparison: Comparison | undefined;
  /** while the run goes: elapsed against planned, and each agent's figures of the last second */
  live?: LiveFacts & { agents: LiveAgent[] };
  tags?: TagSeries[];
}

/** Every section of a report; the live page renders it every second, the report once. */
export function ReportBody({ input, series, comparison, live, tags }: ReportBodyProps) {
  return (
    <>
      <Header input={input} comparison={comparison} live={live} />
      <Thresholds input={input} comparison={comparison} />
      {input.timeline.length > 0 || live ? (
        <Charts input={input} series={series} xEnd={live ? live.plannedMs / 1000 : undefined} tags={tags} />
      ) : (
        <p class="muted">No timeline was recorded for this run.</p>
      )}
      <ScenarioTable input={input} comparison={comparison} />
      <OpenModelTable input={input} />
      <ChecksTable input={input} />
      <TagTables input={input} />
      <TrafficTable input={input} />
      <ErrorKindsTable input={input} />
      <ScriptErrorsTable input={input} />
      <AgentTable input={input} live={live?.agents} />
      <PlanSection input={input} />
    </>
  );
}

export function reportTitle(input: ReportInput, live: boolean): string {
  return `indus: ${input.planName} (${input.runId}) ${live ? input.state : input.passed ? "passed" : "failed"}`;
}

export function ReportPage({ input, series, comparison, generator, tags }: ReportPageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={generator} />
        {/* nothing may be fetched: no external fonts, images or scripts */}
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:" />
        <title>{reportTitle(input, false)}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <ReportBody input={input} series={series} comparison={comparison} tags={tags} />
        <footer>{generator} · all times UTC · latencies in milliseconds</footer>
      </body>
    </html>
  );
}
