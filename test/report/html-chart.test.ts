// Chart helpers: thinning keeps extremes and gaps, ticks land on round values.
import { describe, expect, test } from "bun:test";
import { bucketMax, minMax, stackedBands } from "../../src/report/html/downsample.ts";
import { niceTicks, timeTicks } from "../../src/report/html/ticks.ts";
import { linePath } from "../../src/report/html/chart.tsx";

describe("minMax thinning", () => {
  const x = Array.from({ length: 3600 }, (_, i) => i + 1);
  const y = x.map((t) => 100 + Math.sin(t / 50) * 10);
  y[1234] = 9999;
  y[2345] = -50;

  test("short series pass through", () => {
    expect(minMax([1, 2, 3], [4, NaN, 6])).toEqual({ x: [1, 2, 3], y: [4, NaN, 6] });
  });

  test("a long series shrinks to the limit and keeps its spike and dip, in time order", () => {
    const p = minMax(x, y, 600);
    expect(p.x.length).toBeLessThanOrEqual(600);
    expect(p.y).toContain(9999);
    expect(p.y).toContain(-50);
    expect([...p.x].sort((a, b) => a - b)).toEqual(p.x);
  });

  test("a bucket without values stays a gap", () => {
    const gappy = y.map((v, i) => (i >= 1000 && i < 1100 ? NaN : v));
    expect(minMax(x, gappy, 600).y.some(Number.isNaN)).toBe(true);
  });

  test("bucketMax keeps stacked columns aligned", () => {
    const a = x.map((t) => (t === 700 ? 50 : 1));
    const b = x.map(() => 2);
    const out = bucketMax(x, [a, b], 600);
    expect(out.x.length).toBe(600);
    expect(out.columns.map((c) => c.length)).toEqual([600, 600]);
    expect(Math.max(...out.columns[0]!)).toBe(50);
  });
});

describe("stackedBands", () => {
  test.each([
    { name: "two layers, short series: each upper is the sum so far", x: [1, 2, 3], a: [1, 0, 2], b: [3, 1, 0], maxPoints: 600, lowerB: [1, 0, 2], upperB: [4, 1, 2], thinned: false },
    { name: "thinned: each point keeps its bucket's maximum, layers stay aligned", x: [1, 2, 3, 4], a: [1, 5, 0, 2], b: [0, 1, 3, 0], maxPoints: 2, lowerB: [5, 2], upperB: [6, 5], thinned: true },
  ])("$name", ({ x, a, b, maxPoints, lowerB, upperB, thinned }) => {
    const got = stackedBands(x, [{ name: "a", color: "#000", column: a }, { name: "b", color: "#111", column: b }], maxPoints);
    expect(got.thinned).toBe(thinned);
    expect(got.bands.map((band) => band.name)).toEqual(["a", "b"]);
    expect(got.bands[0]!.lower.every((v) => v === 0)).toBe(true);
    expect(got.bands[1]!.lower).toEqual([...lowerB]);
    expect(got.bands[1]!.upper).toEqual([...upperB]);
    expect(got.bands[1]!.x).toEqual(got.bands[0]!.x);
  });
});

describe("ticks", () => {
  test("round steps from zero covering the maximum", () => {
    expect(niceTicks(487)).toEqual({ ticks: [0, 100, 200, 300, 400, 500], top: 500 });
    expect(niceTicks(0.042).ticks).toEqual([0, 0.01, 0.02, 0.03, 0.04, 0.05]);
    expect(niceTicks(0)).toEqual({ ticks: [0, 1], top: 1 });
    expect(niceTicks(NaN).top).toBe(1);
  });

  test("time ticks at steps a reader counts in", () => {
    expect(timeTicks(30)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(timeTicks(3600)).toEqual([0, 600, 1200, 1800, 2400, 3000, 3600]);
    expect(timeTicks(0)).toEqual([0]);
  });
});

describe("linePath", () => {
  test("breaks the line at gaps", () => {
    expect(linePath({ x: [0, 1, 2, 3], y: [1, NaN, 2, 3] }, (t) => t * 10, (v) => v)).toBe("M0,1M20,2L30,3");
  });
});
