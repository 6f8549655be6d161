// Codec: every controller–agent message survives TS → proto → bytes → proto → TS unchanged.
import { describe, expect, test } from "bun:test";
import * as pb from "../../src/transport/gen/indus.ts";
import {
  agentInfoFromProto,
  agentInfoToProto,
  agentMsgFromProto,
  agentMsgToProto,
  CodecError,
  controlFromProto,
  controlToProto,
} from "../../src/transport/grpc/codec.ts";
import { PROTOCOL_VERSION, type AgentMsg, type ControlMsg } from "../../src/transport/messages.ts";
import type { Plan } from "../../src/plan/types.ts";
import { snapshotFor } from "./fake-agent.ts";

const plan: Plan = {
  name: "basic-api-test",
  engine: "socket",
  on_agent_loss: "redistribute",
  scenarios: [
    {
      name: "get-users",
      duration: 30_000,
      think_time: 200,
      profile: { type: "spike", base_vus: 5, spike_vus: 100, spike_at: 30_000, spike_duration: 15_000 },
      steps: [
        {
          name: "list-users",
          method: "POST",
          url: "http://127.0.0.1:8080/api/users?q=é",
          timeout: 5000,
          headers: { "Content-Type": "application/json" },
          body: '{"item": "widget"}',
          tags: { endpoint: "users" },
        },
      ],
    },
  ],
  thresholds: [
    { metric: "p95", condition: "<", value: 500, scenario: "get-users", step: undefined, abort_on_fail: true, delay: 10_000 },
  ],
};

const viaWire = {
  control: (m: ControlMsg) => controlFromProto(pb.ControlMsg.decode(pb.ControlMsg.encode(controlToProto(m)).finish())),
  agent: (m: AgentMsg) => agentMsgFromProto(pb.AgentMsg.decode(pb.AgentMsg.encode(agentMsgToProto(m)).finish())),
};

const controlCases: [string, ControlMsg][] = [
  ["assign with a full plan", { kind: "assign", runId: "059a8d29", plan, agentIndex: 1, agentCount: 3 }],
  ["adjust", { kind: "adjust", vus: { "get-users": 7, other: 0 } }],
  ["adjust with nothing", { kind: "adjust", vus: {} }],
  [
    "adjust with an arrival-rate share",
    { kind: "adjust", vus: { closed: 3 }, rates: { open: { offset: 1, stride: 3, from: 2 ** 35, preAllocatedVus: 4, maxVus: 40 } } },
  ],
  ["the schedule's end", { kind: "stop", mode: "end", reason: "schedule complete" }],
  ["graceful stop before the end", { kind: "stop", mode: "graceful", reason: "interrupted" }],
  ["abort", { kind: "stop", mode: "abort", reason: "user abort" }],
  ["heartbeat", { kind: "heartbeat", seq: 3601 }],
  ["heartbeat beyond 32 bits", { kind: "heartbeat", seq: 2 ** 40 + 1 }],
];

const agentCases: [string, AgentMsg][] = [
  ["ready", { kind: "ready", agentId: "agent-1", workers: 8 }],
  ["script error with its frame", { kind: "scriptError", report: { scenario: "s", step: "login", message: 'TypeError: "x" <is> undefined', frame: "flows/login.ts:12:7" } }],
  ["script error without a frame", { kind: "scriptError", report: { scenario: "s", step: "default", message: "boom\nsecond line" } }],
  ["empty snapshot", { kind: "snapshot", seq: 0, snapshot: { scenarios: {} }, final: true }],
  ["snapshot with a histogram", { kind: "snapshot", seq: 12, snapshot: snapshotFor(12), final: false }],
  [
    "snapshot with an empty histogram and idle scenario",
    {
      kind: "snapshot",
      seq: 1,
      final: false,
      snapshot: {
        scenarios: {
          idle: { iterations: 0, vus: 0, steps: {} },
          busy: {
            iterations: 5,
            vus: 2,
            steps: {
              a: { requests: 0, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0, latency: new Uint8Array(0) },
              b: {
                requests: 2 ** 33,
                errors: 4,
                errorsByClass: { timeout: 1, connect_refused: 3 },
                bytesIn: 9e12,
                bytesOut: 1,
                latency: new Uint8Array(4096).map((_, i) => i % 251),
              },
            },
          },
        },
      },
    },
  ],
  [
    "snapshot with generator health per agent",
    {
      kind: "snapshot",
      seq: 4,
      final: false,
      snapshot: {
        scenarios: {},
        generator: { "agent-1": { lagMs: 120.5, cpuPct: 97.2, saturated: true }, "agent-2": { lagMs: 1.5, cpuPct: 40, saturated: false } },
      },
    },
  ],
  [
    "snapshot of an arrival-rate scenario: latency from the intended start, checks, dropped iterations",
    {
      kind: "snapshot",
      seq: 9,
      final: false,
      snapshot: {
        scenarios: {
          open: {
            iterations: 20,
            vus: 4,
            droppedIterations: 3,
            steps: {
              login: {
                requests: 20,
                errors: 1,
                errorsByClass: { check: 1 },
                bytesIn: 10,
                bytesOut: 20,
                latency: new Uint8Array([1, 2, 3]),
                intended: new Uint8Array([1, 5, 6]),
                checks: { "status 200": { passes: 19, fails: 1 }, "json token exists": { passes: 20, fails: 0 } },
              },
            },
          },
          idle: { iterations: 0, vus: 0, steps: {}, droppedIterations: 0 },
        },
      },
    },
  ],
  ["error", { kind: "error", code: "agent_busy", message: "agent agent-1 is busy with run abc" }],
];

describe("codec round trips through the wire format", () => {
  for (const [name, msg] of controlCases) test(`control: ${name}`, () => expect(viaWire.control(msg)).toEqual(msg));
  for (const [name, msg] of agentCases) test(`agent: ${name}`, () => expect(viaWire.agent(msg)).toEqual(msg));

  test("histogram bytes come back as a Uint8Array with the same content", () => {
    const msg = viaWire.agent({ kind: "snapshot", seq: 2, snapshot: snapshotFor(2), final: false });
    if (msg.kind !== "snapshot") throw new Error("expected a snapshot");
    const latency = msg.snapshot.scenarios["get-users"]?.steps["list-users"]?.latency;
    expect(latency).toBeInstanceOf(Uint8Array);
    expect([...latency!]).toEqual([2, 1, 2, 3]);
  });

  test("a histogram that is a view into a larger buffer sends only its own bytes", () => {
    const big = new Uint8Array([9, 9, 7, 8, 9, 9]);
    const snap = snapshotFor(1);
    snap.scenarios["get-users"]!.steps["list-users"]!.latency = big.subarray(2, 4);
    const msg = viaWire.agent({ kind: "snapshot", seq: 1, snapshot: snap, final: false });
    if (msg.kind !== "snapshot") throw new Error("expected a snapshot");
    expect([...msg.snapshot.scenarios["get-users"]!.steps["list-users"]!.latency]).toEqual([7, 8]);
  });
});

describe("codec on odd input", () => {
  test("an unknown stop mode stops at once", () => {
    expect(controlFromProto({ msg: { $case: "stop", stop: { mode: "later", reason: "x", scheduleEnd: true } } })).toEqual({
      kind: "stop",
      mode: "abort",
      reason: "x",
    });
  });

  test("the schedule's end goes as a graceful stop marked as the end: an agent that does not know the mark stops gracefully", () => {
    expect(controlToProto({ kind: "stop", mode: "end", reason: "schedule complete" })).toEqual({
      msg: { $case: "stop", stop: { mode: "graceful", reason: "schedule complete", scheduleEnd: true } },
    });
    expect(controlFromProto({ msg: { $case: "stop", stop: { mode: "graceful", reason: "y", scheduleEnd: false } } })).toMatchObject({ mode: "graceful" });
  });

  test("empty messages are refused", () => {
    expect(() => controlFromProto({})).toThrow(CodecError);
    expect(() => agentMsgFromProto(pb.AgentMsg.decode(new Uint8Array(0)))).toThrow(CodecError);
  });

  test("an unreadable plan is refused with a message saying so", () => {
    const m = { msg: { $case: "assign" as const, assign: { runId: "r", planJson: "{nope", agentIndex: 0, agentCount: 1 } } };
    expect(() => controlFromProto(m)).toThrow(/unreadable plan/);
  });

  test("error classes this build does not know are left out of the breakdown, not the total", () => {
    const step = { requests: 3, errors: 3, errorsByClass: { timeout: 1, quantum_flux: 2 }, bytesIn: 0, bytesOut: 0, latency: Buffer.alloc(0), intended: Buffer.alloc(0), checks: {}, bytesDecoded: 0, errorKinds: {} };
    const msg = agentMsgFromProto({
      msg: { $case: "snapshot", snapshot: { seq: 1, final: false, snapshot: { scenarios: { s: { iterations: 1, vus: 1, steps: { x: step }, tagged: {}, stepTags: {} } }, generator: {} } } },
    });
    if (msg.kind !== "snapshot") throw new Error("expected a snapshot");
    expect(msg.snapshot.scenarios.s!.steps.x).toMatchObject({ errors: 3, errorsByClass: { timeout: 1 } });
  });

  test("a snapshot message without its snapshot reads as an empty one", () => {
    expect(agentMsgFromProto({ msg: { $case: "snapshot", snapshot: { seq: 0, final: true } } })).toEqual({
      kind: "snapshot",
      seq: 0,
      snapshot: { scenarios: {} },
      final: true,
    });
  });

  test("agent info round trip, idle and busy, with the protocol version this build speaks", () => {
    for (const info of [
      { id: "a", state: "idle" as const, runId: undefined, vus: 0 },
      { id: "b", state: "busy" as const, runId: "r1", vus: 40 },
    ]) {
      expect(agentInfoFromProto(pb.AgentInfo.decode(pb.AgentInfo.encode(agentInfoToProto(info)).finish()))).toEqual({ ...info, protocol: PROTOCOL_VERSION });
    }
    expect(() => agentInfoFromProto({ id: "c", state: "dancing", runId: "", vus: 0, protocol: PROTOCOL_VERSION })).toThrow(CodecError);
  });

  test("an agent built before agents said their protocol version reads as version 0", () => {
    // the Info of such an agent has no field 5: what it encoded is what this decodes
    const old = pb.AgentInfo.encode({ id: "old", state: "idle", runId: "", vus: 0, protocol: 0 }).finish();
    expect(agentInfoFromProto(pb.AgentInfo.decode(old)).protocol).toBe(0);
  });
});
