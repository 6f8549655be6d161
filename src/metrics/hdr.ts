// The one HDR histogram setting for the whole code base, and a compact binary encoding for the wire.
import type { Histogram, JsHistogram } from "hdr-histogram-js";
// The histogram class from the package's factory module, not its index: the index also loads its WebAssembly build
// (pako, a base64 wasm image), its log reader and writer and an Intl.NumberFormat, at every start of every process,
// none of which indus uses. A named import: the compiled binary and Bun's runtime agree on those for a CommonJS module,
// not on a default import.
import { constructorFromBucketSize } from "hdr-histogram-js/dist/JsHistogramFactory";

/** Latencies are recorded in microseconds, 1 µs to 1 h (auto-resizing beyond), 3 significant digits, 64-bit counts. */
export const HDR_SETTINGS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
  autoResize: true,
} as const;

export type { Histogram };

export function createHistogram(): JsHistogram {
  // as the package's build() makes it: 64-bit counts, no WebAssembly
  const Float64Histogram = constructorFromBucketSize(64);
  const h = new Float64Histogram(HDR_SETTINGS.lowestDiscernibleValue, HDR_SETTINGS.highestTrackableValue, HDR_SETTINGS.numberOfSignificantValueDigits);
  h.autoResize = HDR_SETTINGS.autoResize;
  return h;
}

// Encoding: a version byte, then (index gap, count) pairs as unsigned LEB128 varints over the
// non-empty buckets only. Both ends use HDR_SETTINGS, so bucket indexes mean the same everywhere;
// decoding merges counts bucket by bucket (no compression: it costs more than it saves per second).
const ENCODING_VERSION = 1;

export function encodeHistogram(h: Histogram): Uint8Array {
  const js = h as JsHistogram;
  if (js.totalCount === 0) return Uint8Array.of(ENCODING_VERSION);
  const limit = js.countsArrayIndex(js.maxValue) + 1;
  const out = new VarintWriter(64);
  out.byte(ENCODING_VERSION);
  let last = -1;
  // straight from the counts array when it is the usual one (the controller encodes every merged second)
  const counts = countsOf(js);
  const c0 = counts ? counts[0]! : js.getCountAtIndex(0);
  if (c0 !== 0) {
    out.varint(0);
    out.varint(c0);
    last = 0;
  }
  // index 0 holds recorded zeros; the rest starts at the lowest non-zero value's bucket: a 50 ms latency sits at
  // bucket ~6,600, and every bucket below it is empty (the same bytes as visiting them all, a fraction of the work)
  for (let i = firstValueIndex(js); i < limit; i++) {
    const c = counts ? counts[i]! : js.getCountAtIndex(i);
    if (c === 0) continue;
    out.varint(i - last - 1);
    out.varint(c);
    last = i;
  }
  return out.finish();
}

/** Adds an encoded histogram's counts into target. */
export function addEncoded(target: Histogram, bytes: Uint8Array): void {
  addEncodedTo(target, undefined, bytes);
}

/** Adds an encoded histogram's counts into one or two targets, decoding it once. */
export function addEncodedTo(target: Histogram, second: Histogram | undefined, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  if (bytes[0] !== ENCODING_VERSION) throw new Error(`unknown histogram encoding version ${bytes[0]}`);
  addDecoded(target as JsHistogram, second as JsHistogram | undefined, bytes);
}

function addDecoded(js: JsHistogram, also: JsHistogram | undefined, bytes: Uint8Array): void {
  // This is the controller's hottest loop (100 agents × 20 histograms a second): counts go straight into the
  // counts arrays, varints are read inline, and total, min and max are updated once per histogram.
  const counts = countsOf(js);
  const alsoCounts = also && countsOf(also);
  if (!counts || (also && !alsoCounts)) return addDecodedSlow(js, also, bytes);
  const length = Math.min(counts.length, alsoCounts?.length ?? Infinity);
  const end = bytes.length;
  let pos = 1;
  let index = -1;
  let total = 0;
  let lowest = -1;
  let highest = -1;
  while (pos < end) {
    // two unsigned LEB128 varints: the index gap, then the count (arithmetic, not bit ops: counts can exceed 2^32)
    let b = bytes[pos++]!;
    let gap = b & 0x7f;
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      if (pos >= end) throw new Error("truncated histogram encoding");
      b = bytes[pos++]!;
      gap += (b & 0x7f) * scale;
    }
    if (pos >= end) throw new Error("truncated histogram encoding");
    b = bytes[pos++]!;
    let count = b & 0x7f;
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      if (pos >= end) throw new Error("truncated histogram encoding");
      b = bytes[pos++]!;
      count += (b & 0x7f) * scale;
    }
    index += gap + 1;
    if (index >= length) {
      // beyond the arrays' range: let the histograms grow, then go on with their new arrays
      js.recordValueWithCount(js.valueFromIndex(index), count);
      also?.recordValueWithCount(js.valueFromIndex(index), count);
      return addDecodedFrom(js, also, bytes, pos, index, total, lowest, highest);
    }
    counts[index] = counts[index]! + count;
    if (alsoCounts) alsoCounts[index] = alsoCounts[index]! + count;
    total += count;
    if (lowest < 0 && index > 0) lowest = index;
    highest = index;
  }
  finishAdd(js, also, total, lowest, highest);
}

/**
 * The first bucket after index 0 that can hold a count: index 0 holds recorded zeros, and no bucket between it and
 * the lowest non-zero value's does. Every walk over a histogram's buckets starts here (a 50 ms latency sits at
 * bucket ~6,600; HDR_SETTINGS have ~24k).
 */
function firstValueIndex(js: JsHistogram): number {
  return Math.max(1, js.countsArrayIndex(js.minNonZeroValue));
}

/** The histograms' counts array, when it is the plain Float64Array of HDR_SETTINGS' 64-bit buckets. */
function countsOf(h: JsHistogram): Float64Array | undefined {
  const counts = (h as unknown as { _counts?: unknown })._counts;
  return counts instanceof Float64Array && counts.length === h.countsArrayLength ? counts : undefined;
}

function finishAdd(js: JsHistogram, also: JsHistogram | undefined, total: number, lowest: number, highest: number): void {
  if (total === 0) return;
  for (const h of also ? [js, also] : [js]) {
    h.addToTotalCount(total);
    if (lowest >= 0) h.updateMinAndMax(js.valueFromIndex(lowest));
    h.updateMinAndMax(js.valueFromIndex(highest));
  }
}

/** The rest of an encoding after a histogram had to grow (values beyond an hour): through the library's methods. */
function addDecodedFrom(js: JsHistogram, also: JsHistogram | undefined, bytes: Uint8Array, pos: number, index: number, total: number, lowest: number, highest: number): void {
  finishAdd(js, also, total, lowest, highest);
  const reader = { pos };
  while (reader.pos < bytes.length) {
    index += readVarint(bytes, reader) + 1;
    const count = readVarint(bytes, reader);
    js.recordValueWithCount(js.valueFromIndex(index), count);
    also?.recordValueWithCount(js.valueFromIndex(index), count);
  }
}

/** Any other histogram (e.g. not built with HDR_SETTINGS): through the library's methods. */
function addDecodedSlow(js: JsHistogram, also: JsHistogram | undefined, bytes: Uint8Array): void {
  addDecodedFrom(js, also, bytes, 1, -1, 0, -1, -1);
}

/**
 * Adds source's counts into target, exactly as `target.add(source)` does, but visiting only the buckets
 * between source's lowest and highest value instead of the whole counts array (~24k buckets for HDR_SETTINGS).
 */
export function addHistogram(target: Histogram, source: Histogram): void {
  const to = target as JsHistogram;
  const from = source as JsHistogram;
  if (from.totalCount === 0) return;
  const fromCounts = countsOf(from);
  // a histogram that grew (values beyond an hour) or another layout: the library's own add
  if (!fromCounts || to.countsArrayLength !== from.countsArrayLength || to.subBucketCount !== from.subBucketCount || to.unitMagnitude !== from.unitMagnitude) {
    return to.add(from);
  }
  const toCounts = countsOf(to);
  if (!toCounts) return to.add(from);
  const top = Math.min(from.countsArrayIndex(from.maxValue), fromCounts.length - 1);
  let total = fromCounts[0]!;
  toCounts[0] = toCounts[0]! + total;
  // index 0 holds zeros; the rest starts at the lowest non-zero value's bucket
  for (let i = firstValueIndex(from); i <= top; i++) {
    const c = fromCounts[i]!;
    if (c !== 0) {
      toCounts[i] = toCounts[i]! + c;
      total += c;
    }
  }
  to.setTotalCount(to.totalCount + total);
  // the library's own (TypeScript-private) setters, as its add() calls them
  const internals = to as unknown as { updatedMaxValue(v: number): void; updateMinNonZeroValue(v: number): void };
  internals.updatedMaxValue(Math.max(to.maxValue, from.maxValue));
  internals.updateMinNonZeroValue(Math.min(to.minNonZeroValue, from.minNonZeroValue));
  to.startTimeStampMsec = Math.min(to.startTimeStampMsec, from.startTimeStampMsec);
  to.endTimeStampMsec = Math.max(to.endTimeStampMsec, from.endTimeStampMsec);
}

/**
 * The histogram's mean, exactly as the library's `mean` getter computes it (each non-empty bucket's median
 * equivalent value times its count, summed in bucket order), but visiting only the buckets between the lowest
 * and highest recorded value: the getter walks all ~24k buckets with an iterator object (~140 µs a call), and
 * the controller asks for it every second.
 */
export function histogramMean(h: Histogram): number {
  const js = h as JsHistogram;
  if (js.totalCount === 0) return 0;
  const counts = countsOf(js);
  if (!counts) return js.mean;
  const top = Math.min(js.countsArrayIndex(js.maxValue), counts.length - 1);
  let total = 0;
  // index 0 holds recorded zeros; the rest starts at the lowest non-zero value's bucket
  const c0 = counts[0]!;
  if (c0 !== 0) total += js.medianEquivalentValue(js.highestEquivalentValue(0)) * c0;
  for (let i = firstValueIndex(js); i <= top; i++) {
    const c = counts[i]!;
    if (c !== 0) total += js.medianEquivalentValue(js.highestEquivalentValue(js.valueFromIndex(i))) * c;
  }
  return total / js.totalCount;
}

/**
 * Values at each percentile, exactly as the library's `getValueAtPercentile` gives them, in one walk from the lowest
 * recorded value's bucket: the getter calls `getCountAtIndex` for every bucket from 0 (~6,600 below a 50 ms latency)
 * for each percentile, and every second the controller asks four per scope, with the JIT often not yet warm.
 * Percentiles in ascending order cost one walk; any order gives the same values.
 */
export function histogramPercentiles(h: Histogram, percentiles: readonly number[]): number[] {
  const js = h as JsHistogram;
  const counts = countsOf(js);
  if (!counts || js.totalCount === 0) return percentiles.map((p) => js.getValueAtPercentile(p));
  const top = Math.min(js.countsArrayIndex(js.maxValue), counts.length - 1);
  // index 0 holds recorded zeros; the next non-empty bucket is at the lowest non-zero value's, or later
  const first = firstValueIndex(js);
  const out: number[] = [];
  let i = 0;
  let seen = counts[0]!; // the counts of buckets 0..i
  let wantedBefore = 0;
  for (const p of percentiles) {
    const wanted = countAtPercentile(p, js.totalCount);
    if (wanted < wantedBefore) {
      i = 0;
      seen = counts[0]!;
    }
    wantedBefore = wanted;
    while (seen < wanted && i < top) {
      i = i === 0 ? first : i + 1;
      seen += counts[i]!;
    }
    if (seen < wanted) {
      out.push(js.getValueAtPercentile(p)); // counts that do not add up to the total: the library's answer
      continue;
    }
    const value = js.valueFromIndex(i);
    out.push(p === 0 ? js.lowestEquivalentValue(value) : js.highestEquivalentValue(value));
  }
  return out;
}

/** How many of `total` values lie at or below percentile p, rounded up as hdr-histogram-js rounds it (at least 1). */
export function countAtPercentile(p: number, total: number): number {
  const fp = (Math.min(p, 100) / 100) * total;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

// as hdr-histogram-js computes it, so that counts land on the same bucket
function ulp(x: number): number {
  return x > 0 ? Math.pow(2, Math.floor(Math.log2(x)) - 52) : 0;
}

export function decodeHistogram(bytes: Uint8Array): JsHistogram {
  const h = createHistogram();
  addEncoded(h, bytes);
  return h;
}

export function isEmptyEncoding(bytes: Uint8Array): boolean {
  return bytes.length <= 1;
}

class VarintWriter {
  private buf: Uint8Array;
  private len = 0;
  constructor(initial: number) {
    this.buf = new Uint8Array(initial);
  }
  byte(b: number): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[this.len++] = b;
  }
  varint(v: number): void {
    // counts can exceed 2^32: use arithmetic, not bit ops
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}

function readVarint(bytes: Uint8Array, reader: { pos: number }): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[reader.pos++];
    if (b === undefined) throw new Error("truncated histogram encoding");
    result += (b & 0x7f) * scale;
    if (b < 0x80) return result;
    scale *= 0x80;
  }
}
