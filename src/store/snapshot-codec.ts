// A Snapshot as one compact BLOB: a version byte, the counters as a JSON array, then the raw histogram bytes.
import type { ErrorClass } from "../engine/types.ts";
import type { Snapshot, StepDelta } from "../metrics/snapshot.ts";

// Layout: [1][varint n][n bytes of JSON][histogram bytes, concatenated in JSON order]
// JSON:   [[scenario, iterations, vus, [[step, requests, errors, bytesIn, bytesOut, histogramLength, errorsByClass?], ...]], ...]
// Histograms stay in encodeHistogram's own format: they are copied, never re-encoded.
const VERSION = 1;

type StepRow = [string, number, number, number, number, number, Partial<Record<ErrorClass, number>>?];
type ScenarioRow = [string, number, number, StepRow[]];

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const rows: ScenarioRow[] = [];
  const histograms: Uint8Array[] = [];
  let histogramBytes = 0;
  for (const [name, sc] of Object.entries(snapshot.scenarios)) {
    const steps: StepRow[] = [];
    for (const [stepName, st] of Object.entries(sc.steps)) {
      const row: StepRow = [stepName, st.requests, st.errors, st.bytesIn, st.bytesOut, st.latency.length];
      if (Object.keys(st.errorsByClass).length > 0) row.push(st.errorsByClass);
      steps.push(row);
      histograms.push(st.latency);
      histogramBytes += st.latency.length;
    }
    rows.push([name, sc.iterations, sc.vus, steps]);
  }
  const json = new TextEncoder().encode(JSON.stringify(rows));
  const head = varint(json.length);
  const out = new Uint8Array(1 + head.length + json.length + histogramBytes);
  out[0] = VERSION;
  out.set(head, 1);
  out.set(json, 1 + head.length);
  let pos = 1 + head.length + json.length;
  for (const h of histograms) {
    out.set(h, pos);
    pos += h.length;
  }
  return out;
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  if (bytes[0] !== VERSION) throw new Error(`unknown snapshot encoding version ${bytes[0]}`);
  const reader = { pos: 1 };
  const jsonLength = readVarint(bytes, reader);
  const jsonEnd = reader.pos + jsonLength;
  if (jsonEnd > bytes.length) throw new Error("truncated snapshot encoding");
  const rows = JSON.parse(new TextDecoder().decode(bytes.subarray(reader.pos, jsonEnd))) as ScenarioRow[];
  let pos = jsonEnd;
  const snapshot: Snapshot = { scenarios: {} };
  for (const [name, iterations, vus, stepRows] of rows) {
    const steps: Record<string, StepDelta> = {};
    for (const [stepName, requests, errors, bytesIn, bytesOut, length, byClass] of stepRows) {
      if (pos + length > bytes.length) throw new Error("truncated snapshot encoding");
      // a copy, so the decoded snapshot does not pin the whole BLOB
      const latency = bytes.slice(pos, pos + length);
      pos += length;
      steps[stepName] = { requests, errors, errorsByClass: byClass ?? {}, bytesIn, bytesOut, latency };
    }
    snapshot.scenarios[name] = { iterations, vus, steps };
  }
  return snapshot;
}

function varint(v: number): Uint8Array {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function readVarint(bytes: Uint8Array, reader: { pos: number }): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[reader.pos++];
    if (b === undefined) throw new Error("truncated snapshot encoding");
    result += (b & 0x7f) * scale;
    if (b < 0x80) return result;
    scale *= 0x80;
  }
}
