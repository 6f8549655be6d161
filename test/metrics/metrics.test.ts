import { describe, expect, test } from "bun:test";
import { addEncoded, createHistogram, decodeHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import { Recorder } from "../../src/metrics/recorder.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import type { RequestResult } from "../../src/engine/types.ts";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("hdr encoding", () => {
  test("round-trips exactly, including huge counts and empty histograms", () => {
    const h = createHistogram();
    const r = rng(1);
    for (let i = 0; i < 10_000; i++) h.recordValue(1 + Math.floor(r() * 5_000_000));
    h.recordValueWithCount(1234, 2 ** 40);
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(h.totalCount);
    for (const p of [0, 1, 50, 90, 95, 99, 99.9, 100]) expect(back.getValueAtPercentile(p)).toBe(h.getValueAtPercentile(p));
    expect(decodeHistogram(encodeHistogram(createHistogram())).totalCount).toBe(0);
  });

  test("merging encodings equals recording every sample into one histogram", () => {
    const all = createHistogram();
    const merged = createHistogram();
    for (let part = 0; part < 5; part++) {
      const h = createHistogram();
      const r = rng(part + 7);
      for (let i = 0; i < 2000; i++) {
        const v = 1 + Math.floor(r() * r() * 2_000_000 * (part + 1));
        h.recordValue(v);
        all.recordValue(v);
      }
      addEncoded(merged, encodeHistogram(h));
    }
    for (const p of [50, 90, 95, 99]) expect(merged.getValueAtPercentile(p)).toBe(all.getValueAtPercentile(p));
    expect(merged.highestEquivalentValue(merged.maxValue)).toBe(all.highestEquivalentValue(all.maxValue));
    expect(merged.lowestEquivalentValue(merged.minNonZeroValue)).toBe(all.lowestEquivalentValue(all.minNonZeroValue));
  });
});

describe("recorder and accumulator", () => {
  const layout = [
    { name: "a", steps: [{ name: "s1" }, { name: "s2" }] },
    { name: "b", steps: [{ name: "s1" }] },
  ];
  const ok = (us: number): RequestResult => ({ status: 200, durationUs: us, bytesIn: 100, bytesOut: 50, error: null, connected: false });
  const fail = (us: number): RequestResult => ({ status: 503, durationUs: us, bytesIn: 10, bytesOut: 50, error: "http_5xx", connected: false });

  test("deltas reset, accumulate exactly, and give stats per scope", () => {
    const rec = new Recorder(layout);
    const a1 = rec.scenario("a").steps[0]!;
    const a2 = rec.scenario("a").steps[1]!;
    const b1 = rec.scenario("b").steps[0]!;
    for (let i = 1; i <= 100; i++) a1.record(ok(i * 1000));
    a2.record(fail(5000));
    rec.scenario("a").iterations = 3;
    rec.scenario("a").vus = 4;
    const d1 = rec.takeDelta();
    b1.record(ok(2000));
    const d2 = rec.takeDelta();
    expect(d2.scenarios.a!.steps.s1!.requests).toBe(0);

    const acc = new SnapshotAccumulator();
    acc.add(d1);
    acc.add(d2);
    const g = acc.stats({}, 2)!;
    expect(g.requests).toBe(102);
    expect(g.errors).toBe(1);
    expect(g.errorsByClass).toEqual({ http_5xx: 1 });
    expect(g.rps).toBe(51);
    expect(acc.stats({ scenario: "a", step: "s1" }, 1)!.p50).toBeCloseTo(50, 0);
    expect(acc.stats({ scenario: "a", step: "s1" }, 1)!.max).toBeCloseTo(100, 0);
    expect(acc.stats({ scenario: "b" }, 1)!.requests).toBe(1);
    expect(acc.stats({ scenario: "a" }, 1)!.iterations).toBe(3);
    expect(acc.stats({ step: "s2" }, 1)!.error_ratio).toBe(1);
    expect(acc.stats({ scenario: "zzz" }, 1)).toBeUndefined();
    expect(acc.vus("a")).toBe(4); // a gauge: the latest delta carries the current VUs
  });
});
