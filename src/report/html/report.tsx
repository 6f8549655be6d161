/** @jsxImportSource preact */
// The whole HTML report page: one self-contained document, no scripts, no fetched resources.
import type { Comparison } from "../compare.ts";
import type { ReportInput } from "../model.ts";
import type { TimelineSeries } from "../series.ts";
import { Charts } from "./charts.tsx";
import { Header } from "./header.tsx";
import { ChecksTable, OpenModelTable } from "./journey.tsx";
import { STYLES } from "./styles.ts";
import { AgentTable, PlanSection, ScenarioTable } from "./tables.tsx";
import { Thresholds } from "./thresholds.tsx";

export interface ReportPageProps {
  input: ReportInput;
  series: TimelineSeries;
  comparison: Comparison | undefined;
  generator: string;
}

export function ReportPage({ input, series, comparison, generator }: ReportPageProps) {
  const title = `indus: ${input.planName} (${input.runId}) ${input.passed ? "passed" : "failed"}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={generator} />
        {/* nothing may be fetched: no external fonts, images or scripts */}
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <Header input={input} comparison={comparison} />
        <Thresholds input={input} comparison={comparison} />
        {input.timeline.length > 0 ? <Charts input={input} series={series} /> : <p class="muted">No timeline was recorded for this run.</p>}
        <ScenarioTable input={input} comparison={comparison} />
        <OpenModelTable input={input} />
        <ChecksTable input={input} />
        <AgentTable input={input} />
        <PlanSection input={input} />
        <footer>{generator} · all times UTC · latencies in milliseconds</footer>
      </body>
    </html>
  );
}
