// HTML report: the public face of src/report/html — one self-contained file with inline SVG charts.
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { compareRuns } from "../compare.ts";
import type { ReportInput } from "../model.ts";
import { timelineSeries } from "../series.ts";
import { tagSeries } from "../tag-series.ts";
import { ReportPage } from "./report.tsx";

export interface HtmlReportOptions {
  /** who made it, for the footer and <meta name="generator"> (e.g. "indus 0.1.0") */
  generator?: string;
}

export function renderHtmlReport(input: ReportInput, baseline?: ReportInput, options: HtmlReportOptions = {}): string {
  const comparison = baseline ? compareRuns(input, baseline) : undefined;
  const series = timelineSeries(input.plan, input.timeline);
  const page = h(ReportPage, { input, series, comparison, generator: options.generator ?? "indus", tags: tagSeries(input.plan, input.timeline) });
  return "<!doctype html>\n" + renderToString(page) + "\n";
}
