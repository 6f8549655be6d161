// Threshold evaluation: every metric under every condition, no-data rules, scopes, abort with delay.
import { describe, expect, test } from "bun:test";
import type { Stats } from "../../src/metrics/stats.ts";
import { THRESHOLD_CONDITIONS, THRESHOLD_METRICS, type Threshold, type ThresholdMetric } from "../../src/plan/types.ts";
import { abortRequested, evaluateThreshold, evaluateThresholds, type ThresholdResult } from "../../src/threshold/index.ts";

const STATS: Stats = {
  requests: 2000,
  errors: 64,
  errorsByClass: { http_5xx: 60, timeout: 4 },
  iterations: 1000,
  bytesIn: 1_000_000,
  bytesOut: 200_000,
  rps: 66.7,
  error_ratio: 0.032,
  min: 1.25,
  max: 3021.5,
  mean: 212.4,
  p50: 180.5,
  p90: 410.2,
  p95: 487.85,
  p99: 1200.75,
  generator_saturation: 0.05,
  p50_intended: 181.5,
  p90_intended: 420.2,
  p95_intended: 2490.5,
  p99_intended: 3100.25,
  mean_intended: 400.5,
  max_intended: 5021.5,
  checks: 0.975,
  checks_passed: 1950,
  checks_failed: 50,
  dropped_iterations: 12,
};

/** Stats of a scope where nothing was measured: counters 0, latencies NaN. */
const EMPTY: Stats = {
  ...STATS,
  requests: 0,
  errors: 0,
  errorsByClass: {},
  iterations: 0,
  rps: 0,
  error_ratio: 0,
  min: Number.NaN,
  max: Number.NaN,
  mean: Number.NaN,
  p50: Number.NaN,
  p90: Number.NaN,
  p95: Number.NaN,
  p99: Number.NaN,
};

const threshold = (t: Partial<Threshold> & Pick<Threshold, "metric" | "condition" | "value">): Threshold => ({
  scenario: undefined,
  step: undefined,
  abort_on_fail: false,
  delay: 0,
  ...t,
});

describe("every metric under every condition: below, at and above the value", () => {
  const cases = THRESHOLD_METRICS.flatMap((metric) => {
    const actual = STATS[metric]!;
    const below = actual * 0.5;
    const above = actual * 2 + 1;
    return [
      // value above actual, equal, below
      [metric, "<", above, true],
      [metric, "<", actual, false],
      [metric, "<", below, false],
      [metric, "<=", above, true],
      [metric, "<=", actual, true],
      [metric, "<=", below, false],
      [metric, ">", above, false],
      [metric, ">", actual, false],
      [metric, ">", below, true],
      [metric, ">=", above, false],
      [metric, ">=", actual, true],
      [metric, ">=", below, true],
    ] as [ThresholdMetric, Threshold["condition"], number, boolean][];
  });
  test.each(cases)("%s %s %d → passed %p", (metric, condition, value, passed) => {
    const result = evaluateThreshold(threshold({ metric, condition, value }), STATS);
    expect(result.passed).toBe(passed);
    expect(result.actual).toBe(STATS[metric]!);
  });

  test("the table covers all metrics and conditions", () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(THRESHOLD_METRICS));
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(THRESHOLD_CONDITIONS));
  });
});

describe("units are the plan's: ms, ratio, per second, counts", () => {
  test.each([
    ["p95 in ms", threshold({ metric: "p95", condition: "<", value: 500 }), 487.85, true],
    ["p99 in ms", threshold({ metric: "p99", condition: "<", value: 1000 }), 1200.75, false],
    ["error_ratio as a ratio", threshold({ metric: "error_ratio", condition: "<", value: 0.05 }), 0.032, true],
    ["rps per second", threshold({ metric: "rps", condition: ">", value: 50 }), 66.7, true],
    ["requests as a count", threshold({ metric: "requests", condition: ">=", value: 2000 }), 2000, true],
    ["errors as a count", threshold({ metric: "errors", condition: "<=", value: 10 }), 64, false],
  ] as const)("%s", (_, t, actual, passed) => {
    expect(evaluateThreshold(t, STATS)).toEqual({ threshold: t, label: `${t.metric} ${t.condition} ${t.value}`, actual, passed });
  });
});

describe("no data never passes silently", () => {
  const LATENCY = ["p50", "p90", "p95", "p99", "min", "max", "mean"] as const;

  test.each(LATENCY)("%s with no stats fails, actual NaN, whatever the condition", (metric) => {
    for (const condition of THRESHOLD_CONDITIONS) {
      const r = evaluateThreshold(threshold({ metric, condition, value: 1e9 }), undefined);
      expect(r.passed).toBe(false);
      expect(r.actual).toBeNaN();
    }
  });

  test.each(LATENCY)("%s with no samples (NaN) fails", (metric) => {
    expect(evaluateThreshold(threshold({ metric, condition: "<", value: 1e9 }), EMPTY).passed).toBe(false);
    expect(evaluateThreshold(threshold({ metric, condition: ">", value: -1 }), EMPTY).passed).toBe(false);
  });

  test("rps with no stats fails; with stats of an idle scope it is 0", () => {
    const t = threshold({ metric: "rps", condition: "<", value: 1000 });
    expect(evaluateThreshold(t, undefined)).toMatchObject({ passed: false, actual: Number.NaN });
    expect(evaluateThreshold(t, EMPTY)).toMatchObject({ passed: true, actual: 0 });
  });

  test.each([
    ["error_ratio", "<", 0.01, true],
    ["error_ratio", ">", 0, false],
    ["errors", "<=", 0, true],
    ["errors", ">", 0, false],
    ["requests", ">", 100, false],
    ["requests", "<", 1, true],
  ] as const)("%s %s %d with no stats is compared as 0 → passed %p", (metric, condition, value, passed) => {
    expect(evaluateThreshold(threshold({ metric, condition, value }), undefined)).toMatchObject({ actual: 0, passed });
  });
});

describe("evaluateThresholds", () => {
  test("looks up each threshold's scope, in plan order", () => {
    const byScope = new Map<string, Stats>([
      ["", STATS],
      ["checkout-spike/", { ...STATS, p95: 1920.3 }],
      ["checkout-spike/pay", { ...STATS, p95: 2500 }],
      ["/pay", { ...STATS, p95: 2400 }],
    ]);
    const seen: object[] = [];
    const results = evaluateThresholds(
      [
        threshold({ metric: "p95", condition: "<", value: 2000 }),
        threshold({ metric: "p95", condition: "<", value: 2000, scenario: "checkout-spike" }),
        threshold({ metric: "p95", condition: "<", value: 2000, scenario: "checkout-spike", step: "pay" }),
        threshold({ metric: "p95", condition: "<", value: 2000, step: "pay" }),
        threshold({ metric: "p95", condition: "<", value: 2000, scenario: "missing" }),
      ],
      (scope) => {
        seen.push(scope);
        return byScope.get(`${scope.scenario ?? ""}/${scope.step ?? ""}`.replace(/^\/$/, ""));
      },
    );
    expect(seen).toEqual([{}, { scenario: "checkout-spike" }, { scenario: "checkout-spike", step: "pay" }, { step: "pay" }, { scenario: "missing" }]);
    expect(results.map((r) => r.actual)).toEqual([487.85, 1920.3, 2500, 2400, Number.NaN]);
    expect(results.map((r) => r.passed)).toEqual([true, true, false, false, false]);
  });

  test("no thresholds, no results", () => {
    expect(evaluateThresholds([], () => STATS)).toEqual([]);
  });
});

describe("abortRequested", () => {
  const results = (...ts: Threshold[]): ThresholdResult[] => evaluateThresholds(ts, () => STATS);
  const failingAbort = threshold({ metric: "error_ratio", condition: "<", value: 0.01, abort_on_fail: true, delay: 30_000 });

  test("waits until the delay has elapsed, then asks", () => {
    const r = results(failingAbort);
    expect(abortRequested(r, 0)).toBeUndefined();
    expect(abortRequested(r, 29_999)).toBeUndefined();
    expect(abortRequested(r, 30_000)).toBe(r[0]);
    expect(abortRequested(r, 90_000)).toBe(r[0]);
  });

  test("no delay acts at once", () => {
    const r = results({ ...failingAbort, delay: 0 });
    expect(abortRequested(r, 0)).toBe(r[0]);
  });

  test("a failing threshold without abort_on_fail never aborts", () => {
    expect(abortRequested(results({ ...failingAbort, abort_on_fail: false }), 1e9)).toBeUndefined();
  });

  test("a passing threshold with abort_on_fail never aborts", () => {
    expect(abortRequested(results({ ...failingAbort, value: 0.5 }), 1e9)).toBeUndefined();
  });

  test("the first eligible failure, in plan order", () => {
    const later = threshold({ metric: "p99", condition: "<", value: 100, abort_on_fail: true, delay: 0 });
    const r = results(failingAbort, later);
    expect(abortRequested(r, 10_000)).toBe(r[1]); // the first one's delay is not over yet
    expect(abortRequested(r, 30_000)).toBe(r[0]);
  });

  test("no data with abort_on_fail aborts once the delay is over", () => {
    const t = threshold({ metric: "p95", condition: "<", value: 500, abort_on_fail: true, delay: 5000 });
    const r = evaluateThresholds([t], () => undefined);
    expect(abortRequested(r, 4999)).toBeUndefined();
    expect(abortRequested(r, 5000)?.label).toBe("p95 < 500");
  });
});
