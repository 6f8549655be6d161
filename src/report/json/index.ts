// JSON report: the public face of src/report/json — a versioned, documented object (schema/report.schema.json).
import { compareRuns } from "../compare.ts";
import type { ReportInput } from "../model.ts";
import { buildJsonReport } from "./build.ts";

export { buildJsonReport, num } from "./build.ts";
export { reportSchema, reportJsonSchema, REPORT_SCHEMA_VERSION, type JsonReport } from "./schema.ts";

const TIMELINE_MARK = "\u0000timeline\u0000";

/**
 * The report as indented JSON, each timeline second on one line (an hour stays readable and a third
 * of the size); with a baseline run it carries a `baseline` section of deltas.
 */
export function renderJsonReport(input: ReportInput, baseline?: ReportInput): string {
  const report = buildJsonReport(input, baseline ? compareRuns(input, baseline) : undefined);
  const text = JSON.stringify(report, (key, value) => (key === "timeline" && Array.isArray(value) ? TIMELINE_MARK : value), 2);
  const seconds = report.timeline.map((s) => "    " + JSON.stringify(s)).join(",\n");
  // a function, so that "$" in names is never read as a replacement pattern
  return text.replace(JSON.stringify(TIMELINE_MARK), () => (seconds === "" ? "[]" : `[\n${seconds}\n  ]`)) + "\n";
}
