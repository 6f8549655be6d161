// The JSON timeline of an arrival-rate run: each second carries its latency from the intended start and its drops, so a stall is placed in time.
import { describe, expect, test } from "bun:test";
import type { RunResult } from "../../src/run/types.ts";
import type { Plan } from "../../src/plan/types.ts";
import { renderJsonReport, reportSchema } from "../../src/report/json/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";
import { openRun } from "./fixtures/open-run.ts";

const reportOf = (run: { result: RunResult; plan: Plan }) => {
  const report = JSON.parse(renderJsonReport(reportInputFromResult(run.result, run.plan)));
  const parsed = reportSchema.safeParse(report);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 5), null, 2));
  return report;
};

describe("JSON timeline of an open-model run", () => {
  const run = openRun({ seconds: 15, stallAt: [8], stallMs: 2000, dropped: 7, closed: true });
  const report = reportOf(run);

  test("the stall second alone has a high p99_intended; its service time stays low", () => {
    const p99 = report.timeline.map((s: any) => s.p99_intended);
    expect(p99[7]).toBeGreaterThan(1900);
    p99.forEach((v: number, i: number) => i !== 7 && expect(v).toBeLessThan(50));
    expect(report.timeline[7].scenarios.paced.p99_intended).toBe(p99[7]);
    expect(report.timeline[7].scenarios.paced.p99).toBeLessThan(50);
    expect(report.timeline[7].p95_intended).toBeGreaterThan(report.timeline[7].scenarios.paced.p95);
    // the run-wide summary blurs it into one number; the timeline says when
    expect(report.summary.global.intended.p99).toBeGreaterThan(1000);
  });

  test("dropped iterations land in their second and add up to the summary's", () => {
    expect(report.timeline.map((s: any) => s.dropped_iterations)).toEqual(report.timeline.map((_: unknown, i: number) => (i === 7 ? 7 : 0)));
    expect(report.timeline.reduce((n: number, s: any) => n + s.scenarios.paced.dropped_iterations, 0)).toBe(report.summary.global.dropped_iterations);
  });

  test("only arrival-rate scopes carry the fields; the closed scenario's second has none", () => {
    const second = report.timeline[0];
    expect(Object.keys(second.scenarios.paced)).toEqual(["vus", "requests", "errors", "rps", "p50", "p95", "p99", "p95_intended", "p99_intended", "dropped_iterations"]);
    expect(Object.keys(second.scenarios.looped)).toEqual(["vus", "requests", "errors", "rps", "p50", "p95", "p99"]);
    expect(second).toMatchObject({ p95_intended: expect.any(Number), p99_intended: expect.any(Number), dropped_iterations: 0 });
  });

  test("each second is still one line", () => {
    const lines = renderJsonReport(reportInputFromResult(run.result, run.plan)).split("\n");
    expect(lines.filter((l) => l.startsWith('    {"t":') && l.includes('"p99_intended":')).length).toBe(15);
  });
});

test("a closed-model run's timeline has no open-model fields", () => {
  const closed = syntheticRun({ seconds: 5, scenarios: 2, steps: 1 });
  const report = reportOf(closed);
  for (const second of report.timeline) {
    for (const scope of [second, ...Object.values(second.scenarios)] as Record<string, unknown>[]) {
      for (const key of ["p95_intended", "p99_intended", "dropped_iterations"]) expect(key in scope).toBe(false);
    }
  }
});
