// The timeline BLOB: a snapshot comes back byte for byte, histograms included, and stays compact.
import { describe, expect, test } from "bun:test";
import { decodeHistogram, encodeHistogram, createHistogram } from "../../src/metrics/hdr.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";
import { decodeSnapshot, encodeSnapshot } from "../../src/store/index.ts";
import { syntheticRun } from "./fixtures/synthetic-run.ts";

describe("snapshot encoding", () => {
  test("round-trips real snapshots exactly", () => {
    const { result } = syntheticRun({ seconds: 30, scenarios: 3, steps: 2 });
    for (const entry of result.timeline) expect(decodeSnapshot(encodeSnapshot(entry.snapshot))).toEqual(entry.snapshot);
  });

  test("round-trips edge cases: empty snapshot, empty histograms, odd names, big counts", () => {
    const h = createHistogram();
    h.recordValueWithCount(1, 2 ** 40);
    h.recordValue(3_600_000_000);
    const cases: Snapshot[] = [
      { scenarios: {} },
      { scenarios: { a: { iterations: 0, vus: 0, steps: {} } } },
      {
        scenarios: {
          'wéird "name" <&>': {
            iterations: 2 ** 40,
            vus: 7,
            steps: {
              "": { requests: 2 ** 40 + 1, errors: 3, errorsByClass: { timeout: 2, http_5xx: 1 }, bytesIn: 1e12, bytesOut: 0, latency: encodeHistogram(h) },
              "empty": { requests: 0, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0, latency: encodeHistogram(createHistogram()) },
            },
          },
        },
      },
    ];
    for (const s of cases) expect(decodeSnapshot(encodeSnapshot(s))).toEqual(s);
    const back = decodeSnapshot(encodeSnapshot(cases[2]!));
    const latency = back.scenarios['wéird "name" <&>']!.steps[""]!.latency;
    expect(decodeHistogram(latency).totalCount).toBe(2 ** 40 + 1);
  });

  test("a small snapshot is stored as it is: the histogram bytes plus a small header", () => {
    const { result } = syntheticRun({ seconds: 5, scenarios: 1, steps: 1, perVu: 0.5 });
    const snapshot = result.timeline[2]!.snapshot;
    const histogramBytes = Object.values(snapshot.scenarios).reduce((n, sc) => n + Object.values(sc.steps).reduce((m, st) => m + st.latency.length, 0), 0);
    const bytes = encodeSnapshot(snapshot);
    expect(bytes[0]).toBe(1);
    expect(bytes.length).toBeLessThan(histogramBytes + 120);
  });

  test("a big one is deflated, and smaller for it", () => {
    const { result } = syntheticRun({ seconds: 3, scenarios: 10, steps: 5 });
    const snapshot = result.timeline[1]!.snapshot;
    const bytes = encodeSnapshot(snapshot);
    expect(bytes[0]).toBe(2);
    const histogramBytes = Object.values(snapshot.scenarios).reduce((n, sc) => n + Object.values(sc.steps).reduce((m, st) => m + st.latency.length, 0), 0);
    expect(bytes.length).toBeLessThan(histogramBytes + 500);
    expect(decodeSnapshot(bytes)).toEqual(snapshot);
  });

  test("refuses unknown versions and truncated input, plain or deflated", () => {
    const plain = encodeSnapshot(syntheticRun({ seconds: 2, scenarios: 1, steps: 1, perVu: 0.5 }).result.timeline[0]!.snapshot);
    expect(plain[0]).toBe(1);
    expect(() => decodeSnapshot(Uint8Array.of(9, ...plain.subarray(1)))).toThrow(/version 9/);
    expect(() => decodeSnapshot(plain.subarray(0, plain.length - 3))).toThrow(/truncated/);
    const deflated = encodeSnapshot(syntheticRun({ seconds: 2, scenarios: 5, steps: 5 }).result.timeline[0]!.snapshot);
    expect(deflated[0]).toBe(2);
    expect(() => decodeSnapshot(deflated.subarray(0, deflated.length - 5))).toThrow(/truncated/);
  });
});
