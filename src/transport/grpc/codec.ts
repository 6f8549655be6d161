// Pure conversions between the controller–agent messages (messages.ts) and their generated proto form.
import { ERROR_CLASSES, type ErrorClass } from "../../metrics/error-class.ts";
import type { GeneratorByAgent } from "../../metrics/generator.ts";
import type { ScenarioDelta, Snapshot, StepDelta } from "../../metrics/snapshot.ts";
import type { Plan } from "../../plan/types.ts";
import type * as pb from "../gen/indus.ts";
import { PROTOCOL_VERSION, type AgentMsg, type ControlMsg } from "../messages.ts";
import type { ScriptErrorReport } from "../../engine/script/runtime.ts";

/** A message that arrived but cannot be understood: the conversation cannot go on. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodecError";
  }
}

export interface AgentInfoData {
  id: string;
  state: "idle" | "busy";
  runId: string | undefined;
  vus: number;
  /** the protocol version it speaks (PROTOCOL_VERSION); 0 from an agent built before agents said it */
  protocol: number;
}

const errorClasses: ReadonlySet<string> = new Set(ERROR_CLASSES);

export function controlToProto(msg: ControlMsg): pb.ControlMsg {
  switch (msg.kind) {
    case "assign":
      return {
        msg: {
          $case: "assign",
          assign: { runId: msg.runId, planJson: JSON.stringify(msg.plan), agentIndex: msg.agentIndex, agentCount: msg.agentCount },
        },
      };
    case "adjust":
      return { msg: { $case: "adjust", adjust: { vus: { ...msg.vus }, rates: { ...msg.rates } } } };
    case "stop":
      // the schedule's end goes as a graceful stop marked as the end: an older agent reads it as graceful
      return { msg: { $case: "stop", stop: { mode: msg.mode === "abort" ? "abort" : "graceful", reason: msg.reason, scheduleEnd: msg.mode === "end" } } };
    case "heartbeat":
      return { msg: { $case: "heartbeat", heartbeat: { seq: msg.seq } } };
  }
}

export function controlFromProto(m: pb.ControlMsg): ControlMsg {
  const msg = m.msg;
  switch (msg?.$case) {
    case "assign": {
      const a = msg.assign;
      return { kind: "assign", runId: a.runId, plan: parsePlan(a.planJson), agentIndex: a.agentIndex, agentCount: a.agentCount };
    }
    case "adjust":
      const rates = Object.entries(msg.adjust.rates);
      return rates.length === 0 ? { kind: "adjust", vus: { ...msg.adjust.vus } } : { kind: "adjust", vus: { ...msg.adjust.vus }, rates: Object.fromEntries(rates) };
    case "stop":
      // an unknown mode from a newer controller still stops: at once, the safe way
      return { kind: "stop", mode: msg.stop.mode !== "graceful" ? "abort" : msg.stop.scheduleEnd ? "end" : "graceful", reason: msg.stop.reason };
    case "heartbeat":
      return { kind: "heartbeat", seq: msg.heartbeat.seq };
    case undefined:
      throw new CodecError("control message without content (a newer controller?)");
  }
}

export function agentMsgToProto(msg: AgentMsg): pb.AgentMsg {
  switch (msg.kind) {
    case "ready":
      return { msg: { $case: "ready", ready: { agentId: msg.agentId, workers: msg.workers } } };
    case "snapshot":
      return { msg: { $case: "snapshot", snapshot: { seq: msg.seq, snapshot: snapshotToProto(msg.snapshot), final: msg.final } } };
    case "error":
      return { msg: { $case: "error", error: { code: msg.code, message: msg.message } } };
    case "scriptError":
      return { msg: { $case: "scriptError", scriptError: scriptErrorToProto(msg.report, "") } };
  }
}

export function agentMsgFromProto(m: pb.AgentMsg): AgentMsg {
  const msg = m.msg;
  switch (msg?.$case) {
    case "ready":
      return { kind: "ready", agentId: msg.ready.agentId, workers: msg.ready.workers };
    case "snapshot": {
      const s = msg.snapshot;
      return { kind: "snapshot", seq: s.seq, snapshot: snapshotFromProto(s.snapshot), final: s.final };
    }
    case "error":
      return { kind: "error", code: msg.error.code, message: msg.error.message };
    case "scriptError":
      return { kind: "scriptError", report: scriptErrorReportFromProto(msg.scriptError) };
    case undefined:
      throw new CodecError("agent message without content (a newer agent?)");
  }
}

/** A script error on the wire: from an agent (agent "", the controller knows who sent it) or in a progress update. */
export function scriptErrorToProto(report: ScriptErrorReport, agent: string): pb.ScriptError {
  const { scenario, step, message, frame, ...unmapped } = report;
  // a field added to ScriptErrorReport must travel too
  const none: Record<string, never> = unmapped;
  void none;
  return { scenario, step, message, frame, agent };
}

export function scriptErrorReportFromProto(m: pb.ScriptError): ScriptErrorReport {
  return { scenario: m.scenario, step: m.step, message: m.message, ...(m.frame !== undefined ? { frame: m.frame } : {}) };
}

export function snapshotToProto(s: Snapshot): pb.Snapshot {
  const { scenarios: byName, generator, ...unmappedSnapshot } = s;
  const scenarios: Record<string, pb.ScenarioDelta> = {};
  for (const [name, sc] of Object.entries(byName)) {
    const { iterations, vus, steps: stepsByName, droppedIterations, tagged: taggedByKey, stepTags, ...unmappedScenario } = sc;
    const steps: Record<string, pb.StepDelta> = {};
    for (const [stepName, st] of Object.entries(stepsByName)) steps[stepName] = stepToProto(st);
    const tagged: Record<string, pb.TaggedSteps> = {};
    for (const [key, bySteps] of Object.entries(taggedByKey ?? {})) {
      const one: Record<string, pb.StepDelta> = (tagged[key] = { steps: {} }).steps;
      for (const [stepName, st] of Object.entries(bySteps)) one[stepName] = stepToProto(st);
    }
    scenarios[name] = { iterations, vus, steps, droppedIterations, tagged, stepTags: { ...stepTags } };
    exhaustive(unmappedScenario);
  }
  exhaustive(unmappedSnapshot);
  return { scenarios, generator: generatorToProto(generator) };
}

/**
 * A field added to the snapshot model must get a proto field here: tsc fails on `exhaustive` until the
 * destructuring above names it (test/run/model-roundtrip.test.ts then proves it survives the trip).
 */
function exhaustive(unmapped: Record<string, never>): void {
  void unmapped;
}

export function snapshotFromProto(s: pb.Snapshot | undefined): Snapshot {
  const scenarios: Record<string, ScenarioDelta> = {};
  for (const [name, sc] of Object.entries(s?.scenarios ?? {})) {
    const steps: Record<string, StepDelta> = {};
    for (const [stepName, st] of Object.entries(sc.steps)) steps[stepName] = stepFromProto(st);
    scenarios[name] = { iterations: sc.iterations, vus: sc.vus, steps };
    if (sc.droppedIterations !== undefined) scenarios[name]!.droppedIterations = sc.droppedIterations;
    if (Object.keys(sc.stepTags ?? {}).length > 0) scenarios[name]!.stepTags = { ...sc.stepTags };
    const tagged = Object.entries(sc.tagged ?? {});
    if (tagged.length > 0) {
      scenarios[name]!.tagged = Object.fromEntries(
        tagged.map(([key, t]) => [key, Object.fromEntries(Object.entries(t.steps).map(([stepName, st]) => [stepName, stepFromProto(st)]))]),
      );
    }
  }
  const generator = generatorFromProto(s?.generator);
  return generator ? { scenarios, generator } : { scenarios };
}

/** Generator health per agent; an empty map means "not measured". */
export function generatorToProto(g: GeneratorByAgent | undefined): Record<string, pb.GeneratorHealth> {
  const out: Record<string, pb.GeneratorHealth> = {};
  for (const [agent, h] of Object.entries(g ?? {})) out[agent] = { lagMs: h.lagMs, cpuPct: h.cpuPct, saturated: h.saturated };
  return out;
}

export function generatorFromProto(g: Record<string, pb.GeneratorHealth> | undefined): GeneratorByAgent | undefined {
  const entries = Object.entries(g ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([agent, h]) => [agent, { lagMs: h.lagMs, cpuPct: h.cpuPct, saturated: h.saturated }]));
}

function stepToProto(st: StepDelta): pb.StepDelta {
  const { requests, errors, errorsByClass: byClass, bytesIn, bytesOut, bytesDecoded, errorKinds, latency, intended, checks, ...unmapped } = st;
  exhaustive(unmapped);
  const errorsByClass: Record<string, number> = {};
  for (const [cls, n] of Object.entries(byClass)) if (n !== undefined) errorsByClass[cls] = n;
  return {
    requests,
    errors,
    errorsByClass,
    bytesIn,
    bytesOut,
    // a view, not a copy: the writer copies the bytes into the frame anyway
    latency: Buffer.from(latency.buffer, latency.byteOffset, latency.byteLength),
    intended: intended ? Buffer.from(intended.buffer, intended.byteOffset, intended.byteLength) : Buffer.alloc(0),
    checks: { ...checks },
    bytesDecoded: bytesDecoded ?? 0,
    errorKinds: { ...errorKinds },
  };
}

function stepFromProto(st: pb.StepDelta): StepDelta {
  const errorsByClass: Partial<Record<ErrorClass, number>> = {};
  // classes this build does not know are still counted in `errors`
  for (const [cls, n] of Object.entries(st.errorsByClass)) if (errorClasses.has(cls)) errorsByClass[cls as ErrorClass] = n;
  const step: StepDelta = {
    requests: st.requests,
    errors: st.errors,
    errorsByClass,
    bytesIn: st.bytesIn,
    bytesOut: st.bytesOut,
    latency: new Uint8Array(st.latency.buffer, st.latency.byteOffset, st.latency.byteLength),
  };
  if (st.bytesDecoded > 0) step.bytesDecoded = st.bytesDecoded;
  if (Object.keys(st.errorKinds).length > 0) step.errorKinds = { ...st.errorKinds };
  if (st.intended.length > 0) step.intended = new Uint8Array(st.intended.buffer, st.intended.byteOffset, st.intended.byteLength);
  const checks = Object.entries(st.checks);
  if (checks.length > 0) step.checks = Object.fromEntries(checks.map(([name, c]) => [name, { passes: c.passes, fails: c.fails }]));
  return step;
}

/** What this agent says of itself, with the protocol version it speaks. */
export function agentInfoToProto(info: Omit<AgentInfoData, "protocol">): pb.AgentInfo {
  return { id: info.id, state: info.state, runId: info.runId ?? "", vus: info.vus, protocol: PROTOCOL_VERSION };
}

export function agentInfoFromProto(info: pb.AgentInfo): AgentInfoData {
  if (info.state !== "idle" && info.state !== "busy") throw new CodecError(`agent ${info.id} reports unknown state "${info.state}"`);
  return { id: info.id, state: info.state, runId: info.runId === "" ? undefined : info.runId, vus: info.vus, protocol: info.protocol };
}

function parsePlan(json: string): Plan {
  try {
    const plan = JSON.parse(json) as Plan;
    if (typeof plan !== "object" || plan === null || !Array.isArray(plan.scenarios)) throw new Error("not a plan");
    return plan;
  } catch (e) {
    throw new CodecError(`assign carries an unreadable plan: ${(e as Error).message}`);
  }
}
