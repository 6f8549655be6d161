// Thresholds: every metric and condition, scopes, no data, abort with delay, formatting.
import { describe, expect, test } from "bun:test";
import type { Stats } from "../../src/metrics/stats.ts";
import type { Threshold } from "../../src/plan/types.ts";
import { abortRequested, evaluateThreshold, evaluateThresholds, formatThresholdResult, formatThresholdResults } from "../../src/threshold/index.ts";

const stats: Stats = {
  requests: 1000, errors: 12, errorsByClass: { http_5xx: 12 }, iterations: 900, bytesIn: 0, bytesOut: 0,
  rps: 101.2, error_ratio: 0.012, min: 1.5, max: 2104.3, mean: 300.1, p50: 250, p90: 800, p95: 994.45, p99: 2104.3,
};
const th = (t: Partial<Threshold> & Pick<Threshold, "metric" | "condition" | "value">): Threshold => ({
  scenario: undefined, step: undefined, abort_on_fail: false, delay: 0, ...t,
});

describe("evaluateThreshold", () => {
  test.each([
    ["p95", "<", 1000, true],
    ["p95", "<", 994.45, false],
    ["p95", "<=", 994.45, true],
    ["p99", "<", 3000, true],
    ["p50", ">", 250, false],
    ["p90", ">=", 800, true],
    ["min", ">", 1, true],
    ["max", "<", 2000, false],
    ["mean", "<", 500, true],
    ["rps", ">", 100, true],
    ["rps", ">", 150, false],
    ["error_ratio", "<", 0.05, true],
    ["error_ratio", "<", 0.01, false],
    ["requests", ">=", 1000, true],
    ["errors", "<", 10, false],
  ] as const)("%s %s %d → %p", (metric, condition, value, passed) => {
    expect(evaluateThreshold(th({ metric, condition, value }), stats).passed).toBe(passed);
  });

  test("no data fails latency thresholds and counts error_ratio as 0", () => {
    expect(evaluateThreshold(th({ metric: "p95", condition: "<", value: 500 }), undefined)).toMatchObject({ passed: false });
    expect(Number.isNaN(evaluateThreshold(th({ metric: "p95", condition: "<", value: 500 }), undefined).actual)).toBe(true);
    expect(evaluateThreshold(th({ metric: "p95", condition: "<", value: 500 }), { ...stats, p95: NaN }).passed).toBe(false);
    expect(evaluateThreshold(th({ metric: "error_ratio", condition: "<", value: 0.01 }), undefined).passed).toBe(true);
  });

  test("scopes are passed to the lookup", () => {
    const seen: unknown[] = [];
    evaluateThresholds(
      [th({ metric: "p95", condition: "<", value: 1, scenario: "a" }), th({ metric: "p95", condition: "<", value: 1, scenario: "a", step: "s" }), th({ metric: "rps", condition: ">", value: 1 })],
      (scope) => (seen.push(scope), stats),
    );
    expect(seen).toEqual([{ scenario: "a" }, { scenario: "a", step: "s" }, {}]);
  });

  test("abort_on_fail waits for its delay", () => {
    const results = evaluateThresholds([th({ metric: "error_ratio", condition: "<", value: 0.01, abort_on_fail: true, delay: 10_000 })], () => stats);
    expect(abortRequested(results, 9_999)).toBeUndefined();
    expect(abortRequested(results, 10_000)?.label).toBe("error_ratio < 0.01");
    const passing = evaluateThresholds([th({ metric: "error_ratio", condition: "<", value: 0.5, abort_on_fail: true })], () => stats);
    expect(abortRequested(passing, 60_000)).toBeUndefined();
  });
});

describe("formatting", () => {
  test("as the reference README shows", () => {
    expect(formatThresholdResult(evaluateThreshold(th({ metric: "p95", condition: "<", value: 1000 }), stats))).toBe("✓ p95 < 1000 actual: 994.45");
    expect(formatThresholdResult(evaluateThreshold(th({ metric: "error_ratio", condition: "<", value: 0.01, scenario: "checkout-spike" }), stats))).toBe(
      "✗ error_ratio < 0.01 [checkout-spike] actual: 0.0120",
    );
    expect(formatThresholdResult(evaluateThreshold(th({ metric: "rps", condition: ">", value: 100 }), stats))).toBe("✓ rps > 100 actual: 101.2");
    expect(formatThresholdResult(evaluateThreshold(th({ metric: "p95", condition: "<", value: 1 }), undefined))).toBe("✗ p95 < 1 actual: no data");
  });

  test("the block is headed and aligned", () => {
    const block = formatThresholdResults(
      evaluateThresholds([th({ metric: "p95", condition: "<", value: 500 }), th({ metric: "error_ratio", condition: "<", value: 0.05, scenario: "x" })], () => stats),
    );
    const lines = block.split("\n");
    expect(lines[0]).toBe("THRESHOLD RESULTS:");
    expect(lines[1]!.indexOf("actual:")).toBe(lines[2]!.indexOf("actual:"));
  });
});
