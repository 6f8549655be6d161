// Baseline comparison: relative changes per row and threshold, which way is worse, and how reports show it.
import { describe, expect, test } from "bun:test";
import { compareRuns, formatChange, type Delta } from "../../src/report/compare.ts";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { renderJsonReport, reportSchema } from "../../src/report/json/index.ts";
import { reportInputFromResult, thresholdName, type ReportInput } from "../../src/report/model.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";

const run = syntheticRun({ seconds: 20, scenarios: 2, steps: 2 });
const baseline = reportInputFromResult(run.result, run.plan);

/** The same run with latencies and rps scaled. */
function scaled(latency: number, rps: number, errorRatio = 1): ReportInput {
  const result = structuredClone(run.result);
  const all = [result.summary.global, ...result.summary.scenarios.flatMap((s) => [s.stats, ...s.steps.map((st) => st.stats)])];
  for (const s of all) {
    for (const k of ["p50", "p90", "p95", "p99", "max", "mean", "min"] as const) s[k] *= latency;
    s.rps *= rps;
    s.error_ratio *= errorRatio;
  }
  result.thresholds = result.thresholds.map((t) => ({ ...t, actual: t.threshold.metric === "rps" ? t.actual * rps : t.actual * latency }));
  result.runId = "c0ffee00";
  return reportInputFromResult(result, run.plan);
}

describe("compareRuns", () => {
  test("relative change per row, global then scenario then its steps", () => {
    const c = compareRuns(scaled(1.12, 0.97), baseline);
    expect(c.rows.map((r) => [r.scenario, r.step])).toEqual([
      [undefined, undefined],
      ["browse", undefined],
      ["browse", "list"],
      ["browse", "get-item"],
      ["checkout", undefined],
      ["checkout", "list"],
      ["checkout", "get-item"],
    ]);
    const g = c.rows[0]!.deltas;
    expect(g.p95.change).toBeCloseTo(0.12, 9);
    expect(g.rps.change).toBeCloseTo(-0.03, 9);
    expect(formatChange(g.p95)).toBe("+12%");
    expect(formatChange(g.rps)).toBe("\u22123.0%");
    expect(g.p95.regression).toBe(true);
    expect(g.rps.regression).toBe(false); // −3% is within the 5% tolerance
    expect(g.requests.change).toBe(0);
    expect(c.baseline.runId).toBe("5eed0001");
  });

  test("worse is up for latency and errors, down for throughput", () => {
    const slower = compareRuns(scaled(1.5, 0.5), baseline).rows[0]!.deltas;
    expect([slower.p99.regression, slower.rps.regression]).toEqual([true, true]);
    const faster = compareRuns(scaled(0.5, 1.5), baseline).rows[0]!.deltas;
    expect([faster.p99.regression, faster.p99.improvement, faster.rps.improvement]).toEqual([false, true, true]);
    const errors = compareRuns(scaled(1, 1, 2), baseline).rows[0]!.deltas;
    expect(errors.error_ratio.regression).toBe(true);
  });

  test("a threshold's change follows its condition, and one that stopped passing is a regression", () => {
    const c = compareRuns(scaled(1.5, 0.5), baseline);
    const byLabel = Object.fromEntries(c.thresholds.map((t) => [t.name, t]));
    expect(byLabel["p95 < 400"]!.delta.regression).toBe(true);
    expect(byLabel["rps > 10"]!.delta.regression).toBe(true);
    const better = compareRuns(scaled(0.8, 1.2), baseline);
    expect(better.thresholds.every((t) => !t.delta.regression)).toBe(true);
    const flipped = structuredClone(baseline);
    flipped.thresholds = flipped.thresholds.map((t) => ({ ...t, passed: true }));
    const lost = compareRuns(baseline, flipped).thresholds.find((t) => t.name === "p99 < 250 [checkout]")!;
    expect([lost.passedBefore, lost.passedNow, lost.delta.regression]).toEqual([true, false, true]);
  });

  test("from zero and without values", () => {
    const d = (current: number, base: number, higherWorse = true): Delta => {
      const a = structuredClone(baseline);
      const b = structuredClone(baseline);
      a.summary.global[higherWorse ? "error_ratio" : "rps"] = current;
      b.summary.global[higherWorse ? "error_ratio" : "rps"] = base;
      return compareRuns(a, b).rows[0]!.deltas[higherWorse ? "error_ratio" : "rps"];
    };
    expect(d(0.01, 0)).toMatchObject({ change: null, regression: true });
    expect(formatChange(d(0.01, 0))).toBe("new");
    expect(d(0, 0)).toMatchObject({ change: null, regression: false });
    expect(formatChange(d(0, 0))).toBe("");
    expect(d(NaN, 5, false)).toMatchObject({ change: null, regression: false });
    expect(formatChange(d(100.4, 100, false))).toBe("+0.4%");
    expect(formatChange(d(100.01, 100, false))).toBe("±0%");
  });

  test("rows only one run has are left out", () => {
    const other = structuredClone(baseline);
    other.summary.scenarios = other.summary.scenarios.slice(0, 1);
    expect(compareRuns(baseline, other).rows).toHaveLength(4);
  });
});

describe("baseline in reports", () => {
  const current = scaled(1.3, 0.8);

  test("the JSON report gains a baseline section that validates", () => {
    const report = JSON.parse(renderJsonReport(current, baseline));
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.baseline.run_id).toBe("5eed0001");
    expect(report.baseline.rows[0]).toMatchObject({ scenario: null, step: null });
    expect(report.baseline.rows[0].metrics.p95.change).toBeCloseTo(0.3, 5);
    expect(report.baseline.rows[0].metrics.p95.regression).toBe(true);
    expect(report.baseline.thresholds.map((t: { label: string }) => t.label)).toEqual(run.result.thresholds.map(thresholdName));
  });

  test("the HTML report shows deltas, regressions marked worse", () => {
    const html = renderHtmlReport(current, baseline);
    expect(html).toContain("Compared with baseline run <code>5eed0001</code>");
    expect(html).toMatch(/<span class="delta worse" title="baseline: [^"]+">\+30%<\/span>/);
    expect(html).toMatch(/<span class="delta worse" title="baseline: [^"]+">\u221220%<\/span>/);
    expect(renderHtmlReport(current)).not.toContain("class=\"delta");
  });
});
