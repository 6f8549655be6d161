// The one HDR histogram setting for the whole code base, and a compact binary encoding for the wire.
import { build, JsHistogram, type Histogram } from "hdr-histogram-js";

/** Latencies are recorded in microseconds, 1 µs to 1 h (auto-resizing beyond), 3 significant digits. */
export const HDR_SETTINGS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
  bitBucketSize: 64,
  autoResize: true,
  useWebAssembly: false,
} as const;

export type { Histogram };

export function createHistogram(): JsHistogram {
  return build(HDR_SETTINGS) as JsHistogram;
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
  for (let i = 0; i < limit; i++) {
    const c = js.getCountAtIndex(i);
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
  const reader = { pos: 1 };
  let index = -1;
  // Counts go straight into their buckets; total, min and max are updated once per histogram.
  // This is the controller's hottest loop (100 agents × 20 histograms a second).
  let total = 0;
  let lowest = -1;
  let highest = -1;
  while (reader.pos < bytes.length) {
    index += readVarint(bytes, reader) + 1;
    const count = readVarint(bytes, reader);
    if (index >= js.countsArrayLength || (also && index >= also.countsArrayLength)) {
      js.recordValueWithCount(js.valueFromIndex(index), count); // grows the histogram
      also?.recordValueWithCount(js.valueFromIndex(index), count);
      continue;
    }
    js.addToCountAtIndex(index, count);
    also?.addToCountAtIndex(index, count);
    total += count;
    if (lowest < 0 && index > 0) lowest = index;
    highest = index;
  }
  if (total > 0) {
    for (const h of also ? [js, also] : [js]) {
      h.addToTotalCount(total);
      if (lowest >= 0) h.updateMinAndMax(js.valueFromIndex(lowest));
      h.updateMinAndMax(js.valueFromIndex(highest));
    }
  }
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
