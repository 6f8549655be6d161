// Decoded bytes and error kinds: recorded per step, added when merged, kept by the store's and the wire's codecs.
import { expect, test } from "bun:test";
import type { RequestResult } from "../../src/engine/types.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { Recorder } from "../../src/metrics/recorder.ts";
import type { Snapshot } from "../../src/metrics/snapshot.ts";
import { decodeSnapshot, encodeSnapshot } from "../../src/store/snapshot-codec.ts";
import { agentMsgFromProto, agentMsgToProto } from "../../src/transport/grpc/codec.ts";

const result = (over: Partial<RequestResult>): RequestResult => ({ status: 200, durationUs: 1000, bytesIn: 100, bytesOut: 50, error: null, connected: false, ...over });

function recorded(): Snapshot {
  const recorder = new Recorder([{ name: "s", open: false, steps: [{ name: "a", checkNames: [] }] }]);
  const step = recorder.scenario("s").steps[0]!;
  step.record(result({ bytesDecoded: 900 }));
  step.record(result({ status: 0, error: "tls", errorDetail: "certificate expired" }));
  step.record(result({ status: 0, error: "tls", errorDetail: "certificate expired" }));
  step.record(result({ status: 0, error: "tls", errorDetail: "name mismatch" }));
  return recorder.takeDelta();
}

test("a step's delta carries decoded bytes and failures by kind", () => {
  const st = recorded().scenarios.s!.steps.a!;
  expect(st.bytesDecoded).toBe(900);
  expect(st.errorKinds).toEqual({ "tls: certificate expired": 2, "tls: name mismatch": 1 });
});

test("the store's codec and the wire keep them", () => {
  const snapshot = recorded();
  expect(decodeSnapshot(encodeSnapshot(snapshot)).scenarios.s!.steps.a).toMatchObject({ bytesDecoded: 900, errorKinds: { "tls: name mismatch": 1 } });
  const msg = agentMsgFromProto(agentMsgToProto({ kind: "snapshot", seq: 1, snapshot, final: false }));
  if (msg.kind !== "snapshot") throw new Error("expected a snapshot");
  expect(msg.snapshot.scenarios.s!.steps.a).toMatchObject({ bytesDecoded: 900, errorKinds: { "tls: certificate expired": 2 } });
});

test("merged across agents, they add up", () => {
  const acc = new SnapshotAccumulator();
  acc.add(recorded());
  acc.add(recorded());
  const scope = acc.scope({ scenario: "s", step: "a" } as never)!;
  expect(scope.counters.bytesDecoded).toBe(1800);
  expect(scope.counters.errorKinds).toEqual({ "tls: certificate expired": 4, "tls: name mismatch": 2 });
});
