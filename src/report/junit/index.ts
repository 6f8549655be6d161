// JUnit report: the public face of src/report/junit — one testcase per threshold, for CI test tabs.
import type { ThresholdOutcome } from "../../run/types.ts";
import type { ThresholdMetric } from "../../plan/types.ts";
import { thresholdName, type ReportInput } from "../model.ts";
import { attrs, escapeText } from "./xml.ts";

const LATENCY: readonly ThresholdMetric[] = ["p50", "p90", "p95", "p99", "min", "max", "mean"];

/**
 * ```xml
 * <testsuites name="indus" tests="2" failures="1" errors="0" time="30.000">
 *   <testsuite name="indus: basic-api-test" tests="2" failures="1" ...>
 *     <testcase classname="indus.thresholds" name="p95 &lt; 500 [get-users]" time="0">
 *       <failure message="actual 612.3 ms, expected &lt; 500" type="threshold"/>
 * ```
 * A run that ended early (aborted, agents lost, process died) gets a failing "run completed" testcase too,
 * so CI never shows all green for it; a run without thresholds gets that testcase alone.
 */
export function renderJunitReport(input: ReportInput): string {
  const cases = input.thresholds.map(thresholdCase);
  if (input.thresholds.length === 0 || endedEarly(input)) cases.push(completedCase(input));
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const time = (input.durationMs / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: "indus", tests: cases.length, failures, errors: 0, time })}>`,
    `  <testsuite${attrs({ name: `indus: ${input.planName}`, tests: cases.length, failures, errors: 0, skipped: 0, time, timestamp: input.startedAt.toISOString().replace(/\.\d{3}Z$/, "Z"), hostname: "indus" })}>`,
    "    <properties>",
    `      <property${attrs({ name: "run_id", value: input.runId })}/>`,
    `      <property${attrs({ name: "state", value: input.state })}/>`,
    ...(input.reason ? [`      <property${attrs({ name: "reason", value: input.reason })}/>`] : []),
    `      <property${attrs({ name: "agents", value: input.agents.length })}/>`,
    "    </properties>",
  ];
  for (const c of cases) {
    const head = `    <testcase${attrs({ classname: c.classname, name: c.name, time: "0" })}`;
    if (c.failure === undefined) lines.push(`${head}/>`);
    else lines.push(`${head}>`, `      <failure${attrs({ message: c.failure, type: c.type })}>${escapeText(c.detail)}</failure>`, "    </testcase>");
  }
  lines.push(`    <system-out>${escapeText(systemOut(input))}</system-out>`, "  </testsuite>", "</testsuites>");
  return lines.join("\n") + "\n";
}

interface Case {
  classname: string;
  name: string;
  failure: string | undefined;
  /** the failure element's text: the message and anything else worth knowing */
  detail: string;
  type: string;
}

function thresholdCase(r: ThresholdOutcome): Case {
  const t = r.threshold;
  const unit = LATENCY.includes(t.metric) ? " ms" : "";
  let failure: string | undefined;
  let detail = "";
  if (!r.passed) {
    const actual = Number.isFinite(r.actual) ? `actual ${formatValue(r.actual, t.metric)}${unit}` : "actual: no samples";
    failure = `${actual}, expected ${t.condition} ${t.value}`;
    detail = r.firstFailedAtMs === undefined ? failure : `${failure}\nfirst failed at ${+(r.firstFailedAtMs / 1000).toFixed(1)}s`;
  }
  return { classname: "indus.thresholds", name: thresholdName(r), failure, detail, type: "threshold" };
}

/** "failed" with no reason is a threshold verdict, already one failing testcase per threshold. */
function endedEarly(input: ReportInput): boolean {
  return input.reason !== undefined || (input.state !== "completed" && input.state !== "failed");
}

function completedCase(input: ReportInput): Case {
  const failure = input.state === "completed" ? undefined : `run ${input.state}${input.reason ? `: ${input.reason}` : ""}`;
  return { classname: "indus.run", name: "run completed", failure, detail: failure ?? "", type: "run" };
}

function systemOut(input: ReportInput): string {
  const g = input.summary.global;
  const p = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}ms` : "-");
  return [
    `run ${input.runId} ${input.state}${input.reason ? ` (${input.reason})` : ""} after ${(input.durationMs / 1000).toFixed(1)}s`,
    `requests ${g.requests}, rps ${g.rps.toFixed(2)}, p50 ${p(g.p50)}, p95 ${p(g.p95)}, p99 ${p(g.p99)}, errors ${g.errors} (${(g.error_ratio * 100).toFixed(2)}%)`,
  ].join("\n");
}

function formatValue(n: number, metric: ThresholdMetric): string {
  const digits = metric === "error_ratio" ? 4 : 2;
  return String(+n.toFixed(digits));
}
