// The per-second timeline: sparse-bucket percentiles equal what merging real HDR histograms gives, scope by scope.
import { describe, expect, test } from "bun:test";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { timelineSeries } from "../../src/report/series.ts";
import { bucketsOf, createPercentiles, mergeBuckets } from "../../src/report/buckets.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";

describe("timeline series", () => {
  const run = syntheticRun({ seconds: 30, scenarios: 3, steps: 3 });
  const series = timelineSeries(run.plan, run.result.timeline);

  test("each second's p50/p95/p99 equal statsOf over the merged histograms, globally and per scenario", () => {
    run.result.timeline.forEach((entry, i) => {
      const acc = new SnapshotAccumulator();
      acc.add(entry.snapshot);
      const g = acc.stats({}, 1)!;
      expect([series.global.p50[i], series.global.p95[i], series.global.p99[i]]).toEqual([g.p50, g.p95, g.p99]);
      expect(series.global.requests[i]).toBe(g.requests);
      expect(series.global.errors[i]).toBe(g.errors);
      for (const { name, series: s } of series.scenarios) {
        const st = acc.stats({ scenario: name }, 1)!;
        expect([s.p50[i], s.p95[i], s.p99[i]]).toEqual([st.p50, st.p95, st.p99]);
        expect(s.vus[i]).toBe(entry.vus[name]!);
      }
    });
    expect(series.t).toEqual(run.result.timeline.map((e) => e.t));
  });

  test("errors by class add up to errors", () => {
    const byClass = Object.values(series.global.errorsByClass);
    expect(byClass.length).toBeGreaterThan(0);
    series.t.forEach((_, i) => expect(byClass.reduce((n, c) => n + c[i]!, 0)).toBe(series.global.errors[i]!));
  });

  test("percentiles match HDR on edge cases: one sample, huge counts, values past the auto-resize point", () => {
    const percentiles = createPercentiles();
    const cases = [[1], [5, 5, 5], [1, 1_000_000, 3_600_000_000], [999, 1000, 1001, 1002, 2047, 2048, 2049]];
    for (const values of cases) {
      const h = createHistogram();
      for (const v of values) h.recordValueWithCount(v, 1_000_003);
      const ps = [0, 1, 50, 90, 95, 99, 99.9, 100];
      expect(percentiles(bucketsOf(encodeHistogram(h)), ps)).toEqual(ps.map((p) => h.getValueAtPercentile(p)));
    }
    expect(percentiles(bucketsOf(encodeHistogram(createHistogram())), [50])).toEqual([NaN]);
  });

  test("merging sparse buckets is merging histograms", () => {
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 1; i < 5000; i += 7) a.recordValue(i * 13);
    for (let i = 1; i < 5000; i += 3) b.recordValue(i * 11);
    const merged = mergeBuckets(bucketsOf(encodeHistogram(a)), bucketsOf(encodeHistogram(b)));
    a.add(b);
    expect(merged).toEqual(bucketsOf(encodeHistogram(a)));
  });

  test("a gap in the timeline spreads its requests over the missing seconds", () => {
    const gappy = run.result.timeline.filter((e) => e.t !== 10);
    const s = timelineSeries(run.plan, gappy);
    const i = s.t.indexOf(11);
    expect(s.global.rps[i]).toBe(s.global.requests[i]! / 2);
  });
});
