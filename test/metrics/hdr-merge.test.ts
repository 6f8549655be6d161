// addHistogram and the direct-array decode must give exactly what the library's own add and record give.
import { describe, expect, test } from "bun:test";
import type { JsHistogram } from "hdr-histogram-js";
import { addEncoded, addEncodedTo, addHistogram, createHistogram, encodeHistogram, histogramMean, histogramPercentiles } from "../../src/metrics/hdr.ts";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A histogram with `n` samples spread over [lo, hi), plus `zeros` samples of 0 and the extra values given. */
function filled(seed: number, n: number, lo: number, hi: number, zeros = 0, extra: number[] = []): JsHistogram {
  const h = createHistogram();
  const r = rng(seed);
  for (let i = 0; i < n; i++) h.recordValue(Math.floor(lo + r() * r() * (hi - lo)));
  if (zeros) h.recordValueWithCount(0, zeros);
  for (const v of extra) h.recordValue(v);
  return h;
}

/** Everything a report or a threshold reads of a histogram, and its raw counts. */
function fingerprint(h: JsHistogram) {
  const counts: [number, number][] = [];
  const top = h.countsArrayIndex(h.maxValue);
  for (let i = 0; i <= Math.min(top, h.countsArrayLength - 1); i++) if (h.getCountAtIndex(i) > 0) counts.push([i, h.getCountAtIndex(i)]);
  return {
    total: h.totalCount,
    max: h.maxValue,
    min: h.minNonZeroValue,
    mean: h.mean,
    length: h.countsArrayLength,
    percentiles: [0, 1, 50, 90, 95, 99, 99.9, 100].map((p) => h.getValueAtPercentile(p)),
    counts,
  };
}

const HOUR_US = 3_600_000_000;
const cases: { name: string; target: () => JsHistogram; source: () => JsHistogram }[] = [
  { name: "empty into empty", target: () => createHistogram(), source: () => createHistogram() },
  { name: "empty source", target: () => filled(1, 500, 1, 50_000), source: () => createHistogram() },
  { name: "into empty", target: () => createHistogram(), source: () => filled(2, 500, 1, 50_000) },
  { name: "overlapping ranges", target: () => filled(3, 2000, 100, 80_000), source: () => filled(4, 2000, 1_000, 3_000_000) },
  { name: "source below target", target: () => filled(5, 300, 500_000, 900_000), source: () => filled(6, 300, 1, 200) },
  { name: "zeros only", target: () => filled(7, 10, 5, 50), source: () => filled(0, 0, 0, 0, 17) },
  { name: "zeros and values", target: () => createHistogram(), source: () => filled(8, 100, 1, 9_000, 3) },
  { name: "huge counts", target: () => filled(9, 10, 1, 100, 0, [77]), source: () => (() => { const h = createHistogram(); h.recordValueWithCount(1234, 2 ** 40); return h; })() },
  { name: "source grew beyond an hour", target: () => filled(10, 100, 1, 1_000), source: () => filled(11, 100, 1, 1_000, 0, [HOUR_US * 3]) },
  { name: "target grew beyond an hour", target: () => filled(12, 100, 1, 1_000, 0, [HOUR_US * 5]), source: () => filled(13, 100, 1, 1_000) },
];

describe("addHistogram", () => {
  for (const c of cases) {
    test(`equals the library's add: ${c.name}`, () => {
      const expected = c.target();
      expected.add(c.source());
      const actual = c.target();
      addHistogram(actual, c.source());
      expect(fingerprint(actual)).toEqual(fingerprint(expected));
    });
  }
});

/** The encoding as it was first written: every bucket from 0 to the highest value's, empty ones skipped. */
function encodeEveryBucket(h: JsHistogram): Uint8Array {
  if (h.totalCount === 0) return Uint8Array.of(1);
  const bytes = [1];
  const varint = (v: number) => {
    for (; v >= 0x80; v = Math.floor(v / 0x80)) bytes.push((v % 0x80) | 0x80);
    bytes.push(v);
  };
  let last = -1;
  for (let i = 0; i <= h.countsArrayIndex(h.maxValue); i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    varint(i - last - 1);
    varint(c);
    last = i;
  }
  return Uint8Array.from(bytes);
}

describe("encodeHistogram", () => {
  // it starts at the lowest value's bucket: the bytes must be those of a walk over every bucket, however the
  // histogram was filled (recorded, added, decoded, reset and refilled)
  for (const c of cases) {
    test(`the same bytes as visiting every bucket: ${c.name}`, () => {
      for (const h of [c.target(), c.source()]) expect(encodeHistogram(h)).toEqual(encodeEveryBucket(h));
      const added = c.target();
      addHistogram(added, c.source());
      expect(encodeHistogram(added)).toEqual(encodeEveryBucket(added));
      const reset = c.source();
      reset.reset();
      addEncoded(reset, encodeHistogram(c.target()));
      expect(encodeHistogram(reset)).toEqual(encodeEveryBucket(reset));
    });
  }

  test("seeded histograms of every spread", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const lo = Math.floor(r() * 1_000_000);
      const h = filled(seed, 1 + Math.floor(r() * 3000), lo, lo + 1 + Math.floor(r() * 50_000_000), r() < 0.2 ? 3 : 0);
      expect(encodeHistogram(h)).toEqual(encodeEveryBucket(h));
    }
  });
});

describe("addEncodedTo", () => {
  for (const c of cases) {
    test(`decoding into two targets equals recording every value: ${c.name}`, () => {
      const source = c.source();
      const expected = c.target();
      const top = source.countsArrayIndex(source.maxValue);
      for (let i = 0; i <= Math.min(top, source.countsArrayLength - 1); i++) {
        const n = source.getCountAtIndex(i);
        if (n > 0) expected.recordValueWithCount(source.valueFromIndex(i), n);
      }
      const one = c.target();
      const two = c.target();
      addEncodedTo(one, two, encodeHistogram(source));
      expect(fingerprint(one)).toEqual(fingerprint(expected));
      expect(fingerprint(two)).toEqual(fingerprint(expected));
    });
  }

  test("a truncated encoding is an error", () => {
    const bytes = encodeHistogram(filled(14, 200, 1, 1_000_000));
    expect(() => addEncoded(createHistogram(), bytes.subarray(0, bytes.length - 1))).toThrow("truncated histogram encoding");
    expect(() => addEncoded(createHistogram(), Uint8Array.of(1, 0x85))).toThrow("truncated histogram encoding");
  });
});

describe("histogramMean", () => {
  // the same number, bit for bit, as the library's mean getter, whichever way the histogram was filled
  for (const c of cases) {
    test(`equals the library's mean: ${c.name}`, () => {
      for (const h of [c.target(), c.source()]) expect(histogramMean(h)).toBe(h.mean);
      const added = c.target();
      addHistogram(added, c.source());
      expect(histogramMean(added)).toBe(added.mean);
      const decoded = c.target();
      addEncoded(decoded, encodeHistogram(c.source()));
      expect(histogramMean(decoded)).toBe(decoded.mean);
      const reset = c.source();
      reset.reset();
      addEncoded(reset, encodeHistogram(c.target()));
      expect(histogramMean(reset)).toBe(reset.mean);
    });
  }

  test("seeded histograms of every spread", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const lo = Math.floor(r() * 1_000_000);
      const h = filled(seed, 1 + Math.floor(r() * 3000), lo, lo + 1 + Math.floor(r() * 50_000_000), r() < 0.2 ? 3 : 0);
      expect(histogramMean(h)).toBe(h.mean);
    }
  });
});

describe("histogramPercentiles", () => {
  const PS = [0, 0.001, 1, 25, 50, 90, 95, 99, 99.9, 99.999, 100];
  const library = (h: JsHistogram, ps: readonly number[]) => ps.map((p) => h.getValueAtPercentile(p));

  // the same values as the library's getValueAtPercentile, however the histogram was filled
  for (const c of cases) {
    test(`equals the library's getValueAtPercentile: ${c.name}`, () => {
      for (const h of [c.target(), c.source()]) expect(histogramPercentiles(h, PS)).toEqual(library(h, PS));
      const added = c.target();
      addHistogram(added, c.source());
      expect(histogramPercentiles(added, PS)).toEqual(library(added, PS));
      const reset = c.source();
      reset.reset();
      addEncoded(reset, encodeHistogram(c.target()));
      expect(histogramPercentiles(reset, PS)).toEqual(library(reset, PS));
    });
  }

  test("seeded histograms of every spread, percentiles in any order", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const lo = Math.floor(r() * 1_000_000);
      const h = filled(seed, 1 + Math.floor(r() * 3000), lo, lo + 1 + Math.floor(r() * 50_000_000), r() < 0.2 ? 3 : 0);
      const ps = Array.from({ length: 6 }, () => Math.round(r() * 100_000) / 1000);
      expect(histogramPercentiles(h, ps)).toEqual(library(h, ps));
      ps.sort((a, b) => a - b);
      expect(histogramPercentiles(h, ps)).toEqual(library(h, ps));
    }
  });

  test("one value, zeros only, and an empty histogram", () => {
    const one = createHistogram();
    one.recordValue(50_000);
    expect(histogramPercentiles(one, PS)).toEqual(library(one, PS));
    const zeros = filled(0, 0, 0, 0, 9);
    expect(histogramPercentiles(zeros, PS)).toEqual(library(zeros, PS));
    const empty = createHistogram();
    expect(histogramPercentiles(empty, PS)).toEqual(library(empty, PS));
  });
});

// createHistogram builds the package's Float64Histogram directly (its index loads the WebAssembly build and more at
// every start); it must be the histogram the package's own builder makes from the same settings.
describe("createHistogram", () => {
  test("the same histogram as hdr-histogram-js's build() with 64-bit buckets and no WebAssembly", async () => {
    const { build } = await import("hdr-histogram-js");
    const ours = createHistogram();
    const theirs = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64, autoResize: true, useWebAssembly: false }) as JsHistogram;
    expect(ours.constructor).toBe(theirs.constructor);
    for (const key of ["bucketCount", "subBucketCount", "countsArrayLength", "unitMagnitude", "autoResize", "highestTrackableValue"] as const) {
      expect(`${key} ${String(ours[key])}`).toBe(`${key} ${String(theirs[key])}`);
    }
    for (const v of [1, 7, 999, 1_000, 123_456, 3_599_999_999, 7_200_000_000]) {
      ours.recordValue(v);
      theirs.recordValue(v);
    }
    expect(ours.countsArrayLength).toBe(theirs.countsArrayLength); // both resized past 1 h
    expect([50, 99, 100].map((p) => ours.getValueAtPercentile(p))).toEqual([50, 99, 100].map((p) => theirs.getValueAtPercentile(p)));
  });
});
