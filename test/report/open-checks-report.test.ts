// Reports of an arrival-rate run with checks: both latencies, dropped iterations, every check's pass rate, in text, JSON and HTML.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RunResult } from "../../src/run/types.ts";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { parsePlan, type Plan } from "../../src/plan/index.ts";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { renderJsonReport, reportSchema } from "../../src/report/json/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { formatSummary } from "../../src/report/text/index.ts";
import { formatThresholdResults } from "../../src/threshold/index.ts";
import { runFleet } from "../integration/open-model.helpers.ts";

let target: MockServer;
let result: RunResult;
let plan: Plan;

beforeAll(async () => {
  target = createMockServer({ port: 0, quiet: true });
  const yaml = `name: report
scenarios:
  paced:
    duration: 2s
    profile: { type: constant_rate, rate: 20, pre_allocated_vus: 2, max_vus: 4 }
    steps:
      - { name: health, url: ${target.url}/healthz, check: { status: 200, body: nope } }
  looped:
    duration: 2s
    think_time: 100ms
    profile: { type: constant, vus: 1 }
    steps:
      - { name: users, url: ${target.url}/api/users }
thresholds:
  - { metric: p95_intended, condition: "<", value: 1000, scenario: paced }
  - { metric: checks, condition: ">=", value: 0.5, window: 1s }
`;
  plan = parsePlan(yaml, "report.yaml");
  result = await runFleet(yaml);
}, 20_000);
afterAll(async () => {
  await target.stop();
});

describe("reports of an open-model run with checks", () => {
  test("text: intended start and drops under the arrival-rate rows only, then each check with its pass rate", () => {
    const text = formatSummary(result.summary, { durationMs: result.durationMs });
    const lines = text.split("\n");
    const paced = lines.findIndex((l) => l.startsWith("paced"));
    expect(lines[paced + 1]).toBe("  errors by class: check 40");
    expect(lines[paced + 2]).toMatch(/^ {2}from intended start: p50 [\d.]+ {2}p95 [\d.]+ {2}p99 [\d.]+ \(ms\) · dropped iterations 0$/);
    // the scenario, its step and the total; not the closed-model scenario
    expect(lines.filter((l) => l.includes("from intended start")).length).toBe(3);
    expect(lines[lines.findIndex((l) => l.startsWith("looped")) + 1]).not.toContain("intended");
    expect(text).toContain("CHECKS:\npaced / health\n  ✓ status 200            100.00%  (40/40)\n  ✗ body contains \"nope\"    0.00%  (0/40)");
    expect(formatThresholdResults(result.thresholds)).toContain("checks       >= 0.5 over 1s");
  });

  test("JSON: validates against the schema, with intended latency, drops and checks where they exist", () => {
    const report = JSON.parse(renderJsonReport(reportInputFromResult(result, plan)));
    const parsed = reportSchema.safeParse(report);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 5), null, 2));
    const [paced, looped] = report.summary.scenarios;
    expect(paced.intended.p95).toBeGreaterThan(0);
    expect(paced.dropped_iterations).toBe(0);
    expect(paced.checks).toEqual({ passes: 40, fails: 40, pass_ratio: 0.5 });
    expect(paced.steps[0].checks_by_name).toEqual([
      { name: "status 200", passes: 40, fails: 0, pass_ratio: 1 },
      { name: 'body contains "nope"', passes: 0, fails: 40, pass_ratio: 0 },
    ]);
    expect(looped.intended).toBeUndefined();
    expect(looped.dropped_iterations).toBeUndefined();
    // second by second too, for the arrival-rate scenario only
    expect(report.timeline.some((s: any) => s.scenarios.paced.p99_intended > 0 && s.p99_intended > 0)).toBe(true);
    expect(report.timeline.reduce((n: number, s: any) => n + s.scenarios.paced.dropped_iterations, 0)).toBe(paced.dropped_iterations);
    expect(report.timeline.every((s: any) => !("p99_intended" in s.scenarios.looped) && !("dropped_iterations" in s.scenarios.looped))).toBe(true);
    expect(report.thresholds[1]).toMatchObject({ label: "checks >= 0.5 over 1s", window_s: 1 });
  });

  test("HTML: a table of both latencies, their chart over time, and a table of checks", () => {
    const html = renderHtmlReport(reportInputFromResult(result, plan));
    expect(html).toContain('<section id="open-model">');
    expect(html).toContain("p99 intended (ms)");
    expect(html).toContain('<figure class="chart" id="chart-open-latency">');
    expect(html).toContain('<figure class="chart" id="chart-dropped">');
    expect(html).toContain('<section id="checks">');
    expect(html).toContain("<code>body contains &quot;nope&quot;</code>");
  });
});
