// A Snapshot as one compact BLOB: the counters as a JSON array, then the raw histogram bytes, deflated when that pays.
import type { ErrorClass } from "../metrics/error-class.ts";
import type { GeneratorByAgent } from "../metrics/generator.ts";
import type { CheckCounts, ScenarioDelta, Snapshot, StepDelta } from "../metrics/snapshot.ts";

// Layout: [format][payload]; format 1: payload as is, format 2: payload deflated (raw DEFLATE).
// Payload: [varint n][n bytes of JSON][histogram bytes, concatenated in JSON order]
// JSON:    [[scenario, iterations, vus, [[step, requests, errors, bytesIn, bytesOut, histogramLength, errorsByClass?], ...]], ...]
//          or, when the snapshot carries generator health: {"scenarios": <that array>, "generator": {agent: {lagMs, cpuPct, saturated}}}
// Histograms stay in encodeHistogram's own format: copied, never re-encoded. The JSON repeats names every
// second, which deflate takes back (measured: 2.9 KB → 1.2 KB a second for 50 steps, ~0.08 ms).
const PLAIN = 1;
const DEFLATED = 2;
/** below this a payload is stored as it is: deflate's header would eat the gain */
const DEFLATE_FROM = 256;
// Level 2, not zlib's default 6: measured on one second of 100 agents × 20 histograms (179 KB), 1.1 ms → 66 KB
// instead of 5.9 ms → 61 KB, paid every second of every run on the controller. (Level 1 gives only 104 KB.)
const DEFLATE_LEVEL = 2;

// Arrival-rate scenarios add to a step row [.., errorsByClass, intendedLength, checks?] (its histogram right after
// the latency one) and to a scenario row a fifth element, droppedIterations; rows without them read as before.
// trailing, when a step decoded bodies or had failures of a kind: bytesDecoded, errorKinds (checks then may be null)
type StepRow = [string, number, number, number, number, number, Partial<Record<ErrorClass, number>>?, number?, (Record<string, CheckCounts> | null)?, number?, (Record<string, number> | null)?];
// a scenario with tagged requests adds a sixth element (droppedIterations then may be null): [[tagSetKey, StepRow[]], ...],
// their histograms after the scenario's steps' ones
type TaggedRow = [string, StepRow[]];
// and steps with one fixed tag set a seventh ({step: tagSetKey}; the sixth then may be [])
type ScenarioRow = [string, number, number, StepRow[], (number | null)?, TaggedRow[]?, Record<string, string>?];

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const payload = encodePayload(snapshot);
  const deflated = payload.length >= DEFLATE_FROM ? Bun.deflateSync(payload, { level: DEFLATE_LEVEL }) : undefined;
  const [format, body] = deflated && deflated.length < payload.length ? [DEFLATED, deflated] : [PLAIN, payload];
  const out = new Uint8Array(1 + body.length);
  out[0] = format;
  out.set(body, 1);
  return out;
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  if (bytes[0] === PLAIN) return decodePayload(bytes.subarray(1));
  if (bytes[0] === DEFLATED) {
    let payload: Uint8Array;
    try {
      payload = Bun.inflateSync(bytes.slice(1));
    } catch {
      throw new Error("truncated snapshot encoding (deflate)");
    }
    return decodePayload(payload);
  }
  throw new Error(`unknown snapshot encoding version ${bytes[0]}`);
}

function encodePayload(snapshot: Snapshot): Uint8Array<ArrayBuffer> {
  const rows: ScenarioRow[] = [];
  const histograms: Uint8Array[] = [];
  let histogramBytes = 0;
  const stepRow = (stepName: string, st: StepDelta, into: Uint8Array[]): StepRow => {
    const { requests: _r, errors: _e, errorsByClass: _c, bytesIn: _bi, bytesOut: _bo, bytesDecoded: _bd, errorKinds: _k, latency: _l, intended: _in, checks: _ch, ...unmappedStep } = st;
    exhaustive(unmappedStep);
    const row: StepRow = [stepName, st.requests, st.errors, st.bytesIn, st.bytesOut, st.latency.length];
    const more = st.bytesDecoded !== undefined || st.errorKinds !== undefined;
    const extra = st.intended !== undefined || st.checks !== undefined || more;
    if (Object.keys(st.errorsByClass).length > 0 || extra) row.push(st.errorsByClass);
    if (extra) row.push(st.intended?.length ?? 0);
    if (st.checks !== undefined || more) row.push(st.checks ?? null);
    if (more) row.push(st.bytesDecoded ?? 0, st.errorKinds ?? null);
    into.push(st.latency);
    if (st.intended !== undefined) into.push(st.intended);
    return row;
  };
  const { scenarios, generator: _generator, ...unmappedSnapshot } = snapshot;
  exhaustive(unmappedSnapshot);
  for (const [name, sc] of Object.entries(scenarios)) {
    const { iterations: _i, vus: _v, steps: _s, droppedIterations: _d, tagged: _t, stepTags: _st, ...unmappedScenario } = sc;
    exhaustive(unmappedScenario);
    const steps = Object.entries(sc.steps).map(([stepName, st]) => stepRow(stepName, st, histograms));
    const tagged = Object.entries(sc.tagged ?? {}).map(([key, bySteps]): TaggedRow => [key, Object.entries(bySteps).map(([stepName, st]) => stepRow(stepName, st, histograms))]);
    const scenarioRow: ScenarioRow = [name, sc.iterations, sc.vus, steps];
    const fixed = sc.stepTags !== undefined;
    if (sc.droppedIterations !== undefined || tagged.length > 0 || fixed) scenarioRow.push(sc.droppedIterations ?? null);
    if (tagged.length > 0 || fixed) scenarioRow.push(tagged);
    if (fixed) scenarioRow.push(sc.stepTags!);
    rows.push(scenarioRow);
  }
  for (const h of histograms) histogramBytes += h.length;
  const json = new TextEncoder().encode(JSON.stringify(snapshot.generator ? { scenarios: rows, generator: snapshot.generator } : rows));
  const head = varint(json.length);
  const out = new Uint8Array(head.length + json.length + histogramBytes);
  out.set(head, 0);
  out.set(json, head.length);
  let pos = head.length + json.length;
  for (const h of histograms) {
    out.set(h, pos);
    pos += h.length;
  }
  return out;
}

function decodePayload(bytes: Uint8Array): Snapshot {
  const reader = { pos: 0 };
  const jsonLength = readVarint(bytes, reader);
  const jsonEnd = reader.pos + jsonLength;
  if (jsonEnd > bytes.length) throw new Error("truncated snapshot encoding");
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(reader.pos, jsonEnd))) as ScenarioRow[] | { scenarios: ScenarioRow[]; generator: GeneratorByAgent };
  const rows = Array.isArray(parsed) ? parsed : parsed.scenarios;
  let pos = jsonEnd;
  const snapshot: Snapshot = { scenarios: {} };
  if (!Array.isArray(parsed)) snapshot.generator = parsed.generator;
  const readSteps = (stepRows: StepRow[]): Record<string, StepDelta> => {
    const steps: Record<string, StepDelta> = {};
    for (const [stepName, requests, errors, bytesIn, bytesOut, length, byClass, intendedLength, checks, bytesDecoded, errorKinds] of stepRows) {
      if (pos + length + (intendedLength ?? 0) > bytes.length) throw new Error("truncated snapshot encoding");
      // a copy, so the decoded snapshot does not pin the whole BLOB
      const latency = bytes.slice(pos, pos + length);
      pos += length;
      const step: StepDelta = { requests, errors, errorsByClass: byClass ?? {}, bytesIn, bytesOut, latency };
      if (intendedLength !== undefined && intendedLength > 0) {
        step.intended = bytes.slice(pos, pos + intendedLength);
        pos += intendedLength;
      }
      if (checks !== undefined && checks !== null) step.checks = checks;
      if (bytesDecoded) step.bytesDecoded = bytesDecoded;
      if (errorKinds !== undefined && errorKinds !== null) step.errorKinds = errorKinds;
      steps[stepName] = step;
    }
    return steps;
  };
  for (const [name, iterations, vus, stepRows, droppedIterations, taggedRows, stepTags] of rows) {
    const steps = readSteps(stepRows);
    const scenario: ScenarioDelta = { iterations, vus, steps };
    if (droppedIterations !== undefined && droppedIterations !== null) scenario.droppedIterations = droppedIterations;
    if (taggedRows !== undefined && taggedRows.length > 0) scenario.tagged = Object.fromEntries(taggedRows.map(([key, stepRows]) => [key, readSteps(stepRows)]));
    if (stepTags !== undefined) scenario.stepTags = stepTags;
    snapshot.scenarios[name] = scenario;
  }
  return snapshot;
}

/**
 * A field added to the snapshot model must get a place in the layout above: tsc fails on `exhaustive` until
 * the destructuring in encodePayload names it (test/run/model-roundtrip.test.ts then proves the round trip).
 */
function exhaustive(unmapped: Record<string, never>): void {
  void unmapped;
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
