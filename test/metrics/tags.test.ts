// Per-tag-set metrics: recorded once per tag set (a fixed set shares the step's delta), merged exactly, scoped by
// tags (a subset) or by one tag set, bounded whatever an agent sends, and carried by the wire and the store.
import { describe, expect, test } from "bun:test";
import { SnapshotAccumulator, MAX_TAG_SETS_PER_SCENARIO } from "../../src/metrics/accumulator.ts";
import type { RecordedRequest } from "../../src/metrics/error-class.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import { Recorder } from "../../src/metrics/recorder.ts";
import type { Snapshot, StepDelta } from "../../src/metrics/snapshot.ts";
import { decodeSnapshot, encodeSnapshot } from "../../src/store/snapshot-codec.ts";
import * as pb from "../../src/transport/gen/indus.ts";
import { snapshotFromProto, snapshotToProto } from "../../src/transport/grpc/codec.ts";

const ok = (ms: number): RecordedRequest => ({ durationUs: ms * 1000, bytesIn: 10, bytesOut: 5, error: null }) as RecordedRequest;

function step(latenciesMs: number[], errors = 0): StepDelta {
  const h = createHistogram();
  for (const ms of latenciesMs) h.recordValue(ms * 1000);
  return { requests: latenciesMs.length, errors, errorsByClass: errors ? { timeout: errors } : {}, bytesIn: 0, bytesOut: 0, latency: encodeHistogram(h) };
}

describe("recorder", () => {
  test("a step with one fixed tag set shares its delta; a step tagged per data row records each row set apart", () => {
    const recorder = new Recorder([
      {
        name: "s",
        steps: [
          { name: "plain" },
          { name: "fixed", tagKeys: ["endpoint=users"] },
          { name: "rows", tagKeys: ["kind=a", "kind=b", ""] },
        ],
      },
    ]);
    const [plain, fixed, rows] = recorder.scenario("s").steps;
    plain!.record(ok(1));
    fixed!.record(ok(2));
    fixed!.record(ok(3));
    for (const [set, ms] of [[0, 4], [1, 5], [1, 6], [2, 7]] as const) {
      rows!.record(ok(ms));
      rows!.tagged?.of(set)?.record(ok(ms));
    }
    // set 2 has no tags: nothing is made for it
    expect(rows!.tagged?.bySet[2]).toBeUndefined();
    const delta = recorder.takeDelta().scenarios.s!;
    expect(delta.steps.rows!.requests).toBe(4);
    expect(Object.keys(delta.tagged!).sort()).toEqual(["kind=a", "kind=b"]);
    // the fixed set is named, not sent twice
    expect(delta.stepTags).toEqual({ fixed: "endpoint=users" });
    expect(delta.tagged!["kind=a"]!.rows!.requests).toBe(1);
    expect(delta.tagged!["kind=b"]!.rows!.requests).toBe(2);
    // the next second starts afresh, and a quiet tag set sends nothing
    rows!.tagged?.of(0)?.record(ok(1));
    const next = recorder.takeDelta().scenarios.s!;
    expect(Object.keys(next.tagged!)).toEqual(["kind=a"]);
  });
});

test("steps a script names as it runs carry their scenario's tags", () => {
  const recorder = new Recorder([{ name: "s", steps: [], scriptTags: "team=web" }, { name: "t", steps: [] }]);
  recorder.scenario("s").step("login").record(ok(1));
  recorder.scenario("t").step("login").record(ok(1));
  const delta = recorder.takeDelta();
  expect(delta.scenarios.s!.stepTags).toEqual({ login: "team=web" });
  expect(delta.scenarios.t!.stepTags).toBeUndefined();
});

describe("accumulator", () => {
  const second = (): Snapshot => ({
    scenarios: {
      a: { iterations: 1, vus: 1, steps: { get: step([10, 20]) }, tagged: { "endpoint=users&team=web": { get: step([10, 20]) } } },
      b: {
        iterations: 1,
        vus: 1,
        steps: { get: step([30, 40, 50], 1) },
        tagged: { "endpoint=orders&team=web": { get: step([30, 40]) }, "endpoint=orders&team=ops": { get: step([50], 1) } },
      },
    },
  });

  test("merges tag sets exactly across agents and scopes them by a subset of tags or by one set", () => {
    const acc = new SnapshotAccumulator();
    acc.add(second());
    acc.add(second());
    expect(acc.tagSetKeys().sort()).toEqual(["endpoint=orders&team=ops", "endpoint=orders&team=web", "endpoint=users&team=web"]);
    expect(acc.stats({ tags: { team: "web" } }, 1)!.requests).toBe(8);
    expect(acc.stats({ tags: { endpoint: "orders" } }, 1)!.requests).toBe(6);
    expect(acc.stats({ tags: { endpoint: "orders" } }, 1)!.errors).toBe(2);
    expect(acc.stats({ tags: { endpoint: "orders" } }, 1)!.max).toBeCloseTo(50, 0);
    expect(acc.stats({ scenario: "a", tags: { endpoint: "orders" } }, 1)).toBeUndefined();
    expect(acc.stats({ tagSet: "endpoint=orders&team=ops" }, 1)!.requests).toBe(2);
    // the per-step view is untouched: tags are a second view of the same requests
    expect(acc.stats({}, 1)!.requests).toBe(10);
    // a second folded into the cumulative view keeps them, and so does its snapshot
    const cumulative = new SnapshotAccumulator();
    cumulative.addAccumulator(acc);
    expect(cumulative.stats({ tags: { team: "web" } }, 1)!.requests).toBe(8);
    const again = new SnapshotAccumulator();
    again.add(acc.toSnapshot());
    expect(again.stats({ tags: { endpoint: "users" } }, 1)!.requests).toBe(4);
  });

  test("a step with a fixed tag set is merged once: its tag set's view is the step itself, through seconds and snapshots", () => {
    const fixed: Snapshot = { scenarios: { a: { iterations: 1, vus: 1, steps: { get: step([10, 20]), put: step([30]) }, stepTags: { get: "endpoint=users" } } } };
    const second = new SnapshotAccumulator();
    second.add(fixed);
    second.add(fixed);
    expect(second.stats({ tags: { endpoint: "users" } }, 1)!.requests).toBe(4);
    const cumulative = new SnapshotAccumulator();
    cumulative.addAccumulator(second);
    cumulative.addAccumulator(second);
    expect(cumulative.stats({ tags: { endpoint: "users" } }, 1)!.requests).toBe(8);
    expect(cumulative.stats({}, 1)!.requests).toBe(12);
    const out = cumulative.toSnapshot().scenarios.a!;
    expect(out.stepTags).toEqual({ get: "endpoint=users" });
    expect(out.tagged).toBeUndefined();
    const again = new SnapshotAccumulator();
    again.add(cumulative.toSnapshot());
    expect(again.stats({ tagSet: "endpoint=users" }, 1)!.requests).toBe(8);
  });

  test("a whole-only total (an agent's own) never adds tagged requests twice", () => {
    const own = new SnapshotAccumulator({ wholeOnly: true });
    own.add(second());
    expect(own.stats({}, 1)!.requests).toBe(5);
    expect(own.tagSetKeys()).toEqual([]);
  });

  test("10,000 distinct tag sets from a confused agent stay bounded: the excess counts under every value other", () => {
    const acc = new SnapshotAccumulator();
    const tagged: Record<string, Record<string, StepDelta>> = {};
    const one = step([1]);
    for (let i = 0; i < 10_000; i++) tagged[`user=u${i}`] = { get: one };
    acc.add({ scenarios: { a: { iterations: 0, vus: 0, steps: { get: step(Array(10_000).fill(1)) }, tagged } } });
    const keys = acc.tagSetKeys();
    expect(keys.length).toBe(MAX_TAG_SETS_PER_SCENARIO + 1);
    expect(keys).toContain("user=other");
    expect(acc.stats({ tags: { user: "other" } }, 1)!.requests).toBe(10_000 - MAX_TAG_SETS_PER_SCENARIO);
    expect(acc.stats({ tags: {} }, 1)!.requests).toBe(10_000);
  });
});

describe("encodings", () => {
  const snapshot: Snapshot = {
    scenarios: {
      a: { iterations: 3, vus: 2, steps: { get: step([1, 2]), put: step([3]) }, tagged: { "k=v%26w": { get: step([1, 2]) }, "k=x": { put: step([3]) } } },
      c: { iterations: 3, vus: 2, steps: { get: step([1, 2]) }, stepTags: { get: "k=v" } },
      b: { iterations: 1, vus: 1, steps: { get: step([4]) } },
    },
  };
  test("the store's codec and the wire carry tagged deltas", () => {
    expect(decodeSnapshot(encodeSnapshot(snapshot))).toEqual(snapshot);
    expect(snapshotFromProto(pb.Snapshot.decode(pb.Snapshot.encode(snapshotToProto(snapshot)).finish()))).toEqual(snapshot);
    const open: Snapshot = { scenarios: { o: { ...snapshot.scenarios.a!, droppedIterations: 0 } } };
    expect(decodeSnapshot(encodeSnapshot(open))).toEqual(open);
  });
});
