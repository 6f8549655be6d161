// Threshold results as text: each line as the reference README prints it, and the aligned block.
import { describe, expect, test } from "bun:test";
import type { Threshold, ThresholdMetric } from "../../src/plan/types.ts";
import {
  formatActual,
  formatThresholdResult,
  formatThresholdResults,
  thresholdLabel,
  thresholdScope,
  type ThresholdResult,
} from "../../src/threshold/index.ts";

const result = (t: Partial<Threshold> & Pick<Threshold, "metric" | "condition" | "value">, actual: number, passed: boolean): ThresholdResult => {
  const threshold: Threshold = { scenario: undefined, step: undefined, abort_on_fail: false, delay: 0, ...t };
  return { threshold, label: thresholdLabel(threshold), actual, passed };
};

describe("formatThresholdResult", () => {
  test.each([
    [result({ metric: "p95", condition: "<", value: 500 }, 487.85, true), "✓ p95 < 500 actual: 487.85"],
    [result({ metric: "error_ratio", condition: "<", value: 0.01, scenario: "checkout-spike" }, 0.032, false), "✗ error_ratio < 0.01 [checkout-spike] actual: 0.0320"],
    [result({ metric: "p99", condition: "<", value: 3000 }, 2104.3, true), "✓ p99 < 3000 actual: 2104.30"],
    [result({ metric: "rps", condition: ">", value: 50 }, 18.2, false), "✗ rps > 50 actual: 18.2"],
    [result({ metric: "requests", condition: ">=", value: 1000 }, 1234, true), "✓ requests >= 1000 actual: 1234"],
    [result({ metric: "errors", condition: "<=", value: 0 }, 3, false), "✗ errors <= 0 actual: 3"],
    [result({ metric: "p95", condition: "<", value: 300, scenario: "baseline-health", step: "ping" }, 241.1, true), "✓ p95 < 300 [baseline-health/ping] actual: 241.10"],
    [result({ metric: "p95", condition: "<", value: 300, step: "ping" }, 241.1, true), "✓ p95 < 300 [*/ping] actual: 241.10"],
    [result({ metric: "p95", condition: "<", value: 500 }, Number.NaN, false), "✗ p95 < 500 actual: no data"],
  ])("%#: %s", (r, expected) => expect(formatThresholdResult(r as ThresholdResult)).toBe(expected as string));
});

describe("formatActual", () => {
  test.each<[ThresholdMetric, number, string]>([
    ["p50", 0, "0.00"],
    ["mean", 12.345, "12.35"],
    ["min", 0.004, "0.00"],
    ["error_ratio", 0, "0.0000"],
    ["error_ratio", 0.018, "0.0180"],
    ["error_ratio", 1, "1.0000"],
    ["rps", 101.25, "101.3"],
    ["rps", 0, "0.0"],
    ["requests", 0, "0"],
    ["errors", 12, "12"],
    ["max", Number.NaN, "no data"],
    ["rps", Number.NaN, "no data"],
  ])("%s %d → %s", (metric, actual, expected) => expect(formatActual(metric, actual)).toBe(expected));
});

describe("thresholdScope", () => {
  test.each([
    [undefined, undefined, ""],
    ["checkout-spike", undefined, "[checkout-spike]"],
    ["checkout-spike", "pay", "[checkout-spike/pay]"],
    [undefined, "pay", "[*/pay]"],
  ])("scenario %p, step %p → %p", (scenario, step, expected) => expect(thresholdScope({ scenario, step })).toBe(expected));
});

describe("formatThresholdResults", () => {
  // The reference README's lb-test run, with one failure.
  const results = [
    result({ metric: "p95", condition: "<", value: 1000 }, 610.3, true),
    result({ metric: "error_ratio", condition: "<", value: 0.02 }, 0.004, true),
    result({ metric: "p95", condition: "<", value: 300, scenario: "baseline-health" }, 341.1, false),
    result({ metric: "error_ratio", condition: "<", value: 0.05, scenario: "spike" }, 0.018, true),
    result({ metric: "rps", condition: ">", value: 50 }, 18.2, false),
  ];

  test("headed and aligned in columns", () => {
    expect(formatThresholdResults(results)).toBe(
      [
        "THRESHOLD RESULTS:",
        "✓ p95         < 1000                   actual: 610.30",
        "✓ error_ratio < 0.02                   actual: 0.0040",
        "✗ p95         < 300  [baseline-health] actual: 341.10",
        "✓ error_ratio < 0.05 [spike]           actual: 0.0180",
        "✗ rps         > 50                     actual: 18.2",
      ].join("\n"),
    );
  });

  test("without scopes there is no empty scope column", () => {
    expect(formatThresholdResults([results[0]!, results[4]!])).toBe(
      ["THRESHOLD RESULTS:", "✓ p95 < 1000 actual: 610.30", "✗ rps > 50   actual: 18.2"].join("\n"),
    );
  });

  test("no thresholds", () => {
    expect(formatThresholdResults([])).toBe("THRESHOLD RESULTS:\n(no thresholds)");
  });
});
