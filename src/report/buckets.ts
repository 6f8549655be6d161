// Percentiles straight from encoded histograms: sparse (index, count) lists, merged and walked once.
// Reports need three percentiles per scope per second over hours; a dense HDR histogram would walk
// ~10k buckets per percentile, a sparse list only the buckets that were hit. Results equal statsOf's.
import type { JsHistogram } from "hdr-histogram-js";
import { countAtPercentile, createHistogram } from "../metrics/hdr.ts";

export interface Buckets {
  indexes: number[];
  counts: number[];
  total: number;
}

export const EMPTY_BUCKETS: Buckets = Object.freeze({ indexes: [], counts: [], total: 0 }) as Buckets;

/** Reads encodeHistogram()'s format (version byte, then varint gap/count pairs) without building a histogram. */
export function bucketsOf(bytes: Uint8Array): Buckets {
  const indexes: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let index = -1;
  let pos = 1;
  const read = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error("truncated histogram encoding");
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  };
  while (pos < bytes.length) {
    index += read() + 1;
    const count = read();
    indexes.push(index);
    counts.push(count);
    total += count;
  }
  return { indexes, counts, total };
}

export function mergeBuckets(a: Buckets, b: Buckets): Buckets {
  if (a.total === 0) return b;
  if (b.total === 0) return a;
  const indexes: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.indexes.length || j < b.indexes.length) {
    const ai = a.indexes[i] ?? Infinity;
    const bj = b.indexes[j] ?? Infinity;
    if (ai === bj) {
      indexes.push(ai);
      counts.push(a.counts[i++]! + b.counts[j++]!);
    } else if (ai < bj) {
      indexes.push(ai);
      counts.push(a.counts[i++]!);
    } else {
      indexes.push(bj);
      counts.push(b.counts[j++]!);
    }
  }
  return { indexes, counts, total: a.total + b.total };
}

/** Maps bucket indexes to values with the one HDR setting; make one per report. */
export function createPercentiles(): (b: Buckets, percentiles: readonly number[]) => number[] {
  const probe = createHistogram() as JsHistogram;
  /** Values in µs at each percentile (ascending), exactly as JsHistogram.getValueAtPercentile; NaN when empty. */
  return (b, percentiles) => {
    if (b.total === 0) return percentiles.map(() => NaN);
    const out: number[] = [];
    let k = 0;
    let seen = 0;
    for (const p of percentiles) {
      const wanted = countAtPercentile(p, b.total);
      while (k < b.counts.length && seen + b.counts[k]! < wanted) seen += b.counts[k++]!;
      const index = b.indexes[Math.min(k, b.indexes.length - 1)]!;
      const value = probe.valueFromIndex(index);
      out.push(p === 0 ? probe.lowestEquivalentValue(value) : probe.highestEquivalentValue(value));
    }
    return out;
  };
}

