// Markdown report: the public face of src/report/markdown — a run's verdict, thresholds and scenarios for a CI job
// summary ($GITHUB_STEP_SUMMARY, written by action.yml) or a pull-request comment.
import type { Stats } from "../../metrics/stats.ts";
import type { ThresholdMetric } from "../../plan/types.ts";
import { thresholdName, type ReportInput } from "../model.ts";

type ThresholdOutcome = ReportInput["thresholds"][number];

const LATENCY: readonly ThresholdMetric[] = ["p50", "p90", "p95", "p99", "min", "max", "mean"];

/**
 * ```md
 * ## ✅ indus: basic-api-test passed
 * Run `r-…` completed in 30.0 s · 4,212 requests · 140.4 req/s · 0.00% errors · 2 agents
 *
 * ### Thresholds
 * | | threshold | actual |
 * |---|---|---|
 * | ✅ | p95 < 500 [get-users] | 212.4 ms |
 *
 * ### Scenarios
 * | scenario | requests | req/s | errors | p50 | p95 | p99 |
 * ```
 */
export function renderMarkdownReport(input: ReportInput): string {
  const g = input.summary.global;
  const verdict = input.passed ? "passed" : input.state === "completed" || input.state === "failed" ? "failed" : input.state;
  const lines = [
    `## ${input.passed ? "✅" : "❌"} indus: ${cell(input.planName)} ${verdict}`,
    "",
    [
      `Run \`${input.runId}\` ${input.state}${input.reason ? ` (${cell(input.reason)})` : ""} in ${(input.durationMs / 1000).toFixed(1)} s`,
      `${count(g.requests)} requests`,
      `${g.rps.toFixed(1)} req/s`,
      `${percent(g.error_ratio)} errors`,
      `${input.agents.length} agent${input.agents.length === 1 ? "" : "s"}`,
    ].join(" · "),
  ];
  const lost = input.agents.filter((a) => a.state === "lost");
  if (lost.length > 0) lines.push("", `⚠️ Agents lost: ${lost.map((a) => `${cell(a.id)} (${cell(a.address)})`).join(", ")}`);

  lines.push("", "### Thresholds", "");
  if (input.thresholds.length === 0) lines.push("No thresholds defined: the verdict is the run's state alone.");
  else lines.push("| | threshold | actual |", "|---|---|---|", ...input.thresholds.map(thresholdRow));

  lines.push("", "### Scenarios", "", "| scenario | requests | req/s | errors | p50 | p95 | p99 |", "|---|---:|---:|---:|---:|---:|---:|");
  for (const s of input.summary.scenarios) lines.push(statsRow(cell(s.name), s.stats));
  if (input.summary.scenarios.length !== 1) lines.push(statsRow("**all**", g));

  const scriptErrors = input.scriptErrors ?? [];
  if (scriptErrors.length > 0) {
    lines.push("", "### Script errors", "", "| scenario / step | error | where | agent |", "|---|---|---|---|");
    for (const e of scriptErrors) lines.push(`| ${cell(`${e.scenario} / ${e.step}`)} | ${cell(e.message)} | ${cell(e.frame ?? "")} | ${cell(e.agent)} |`);
  }
  return lines.join("\n") + "\n";
}

function thresholdRow(r: ThresholdOutcome): string {
  const unit = LATENCY.includes(r.threshold.metric) ? " ms" : "";
  const actual = Number.isFinite(r.actual) ? `${+r.actual.toFixed(r.threshold.metric === "error_ratio" ? 4 : 2)}${unit}` : "no samples";
  const when = !r.passed && r.firstFailedAtMs !== undefined ? ` (first failed at ${+(r.firstFailedAtMs / 1000).toFixed(1)} s)` : "";
  return `| ${r.passed ? "✅" : "❌"} | ${cell(thresholdName(r))} | ${actual}${when} |`;
}

function statsRow(name: string, s: Stats): string {
  return `| ${name} | ${count(s.requests)} | ${s.rps.toFixed(1)} | ${count(s.errors)} (${percent(s.error_ratio)}) | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} |`;
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "–");
/** Plan names, reasons and threshold labels go into table cells: a pipe or a newline would break the table. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
