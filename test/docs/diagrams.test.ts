// docs/*.svg: well-formed SVG that names the real components and the real messages of proto/indus.proto.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";
import { elements, parseXml, texts, type XmlElement } from "./xml.ts";

const DIAGRAMS = ["architecture.svg", "load-profiles.svg", "metrics-pipeline.svg", "sequence-diagram.svg"];
const load = (name: string) => parseXml(readFileSync(join(ROOT, "docs", name), "utf8"));
/** The diagram's words; with withTitle false, only what it draws (not its <title> and <desc>). */
const words = (svg: XmlElement, withTitle = true) => texts(svg, withTitle).join("\n");

const proto = readFileSync(join(ROOT, "proto", "indus.proto"), "utf8");
const PROTO_NAMES = new Set([...proto.matchAll(/\b(?:message|service|rpc)\s+(\w+)/g)].map((m) => m[1]!));
/** The members of a oneof message, as message type names: ControlMsg → Assign, Adjust, Stop, Heartbeat. */
function oneofTypes(message: string): string[] {
  const body = new RegExp(`message ${message} \\{([\\s\\S]*?)\\n\\}`).exec(proto)?.[1] ?? "";
  return [...body.matchAll(/^\s+(\w+)\s+\w+\s*=\s*\d+;/gm)].map((m) => m[1]!);
}
function fieldsOf(message: string): string[] {
  const body = new RegExp(`message ${message} \\{([\\s\\S]*?)\\n\\}`).exec(proto)?.[1] ?? "";
  return [...body.matchAll(/^\s+(?:optional\s+|repeated\s+)?[\w.<>, ]+?\s+(\w+)\s*=\s*\d+;/gm)].map((m) => m[1]!);
}
function rpcs(service: string): string[] {
  const body = new RegExp(`service ${service} \\{([\\s\\S]*?)\\n\\}`).exec(proto)?.[1] ?? "";
  return [...body.matchAll(/rpc\s+(\w+)/g)].map((m) => m[1]!);
}

describe("docs/*.svg", () => {
  test.each(DIAGRAMS)("%s is well-formed SVG with a title and a viewBox", (name) => {
    const svg = load(name);
    expect(svg.name).toBe("svg");
    expect(svg.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(svg.attrs.viewBox).toMatch(/^0 0 \d+ \d+$/);
    expect(svg.children.some((c) => c.name === "title" && c.text.trim() !== "")).toBe(true);
    // every marker and class a shape refers to is defined
    const ids = new Set(elements(svg).map((e) => e.attrs.id).filter(Boolean));
    const refs = elements(svg).flatMap((e) => Object.values(e.attrs).flatMap((v) => [...v.matchAll(/url\(#([\w-]+)\)/g)].map((m) => m[1]!)));
    expect(refs.filter((r) => !ids.has(r))).toEqual([]);
  });

  test("the protocol has the messages the diagrams are about", () => {
    expect(oneofTypes("ControlMsg")).toEqual(["Assign", "Adjust", "Stop", "Heartbeat"]);
    expect(oneofTypes("AgentMsg")).toEqual(["Ready", "SnapshotMsg", "AgentError", "ScriptError"]);
    expect(rpcs("Agent")).toContain("RunScenario");
  });

  test("architecture.svg: the roles, every Controller rpc, and every RunScenario message", () => {
    const text = words(load("architecture.svg"));
    for (const name of ["indus CLI", "indus controller", "indus agent", "target", "Prometheus", "Grafana", "RunScenario", "ProgressUpdate"]) {
      expect(text).toContain(name);
    }
    for (const rpc of rpcs("Controller")) expect(text).toContain(rpc);
    // every message of the stream, both ways (the diagram says Snapshot for SnapshotMsg)
    for (const msg of [...oneofTypes("ControlMsg"), ...oneofTypes("AgentMsg").map((m) => m.replace(/Msg$/, ""))]) expect(text).toContain(msg);
  });

  test("sequence-diagram.svg: a run's messages, in the order the controller sends them", () => {
    const text = words(load("sequence-diagram.svg"), false);
    const order = ["SubmitRun", "Info", "Assign", "Ready", "ProgressUpdate", "Adjust", "Heartbeat", "Snapshot", "Stop"];
    const at = order.map((m) => text.indexOf(m));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const m of ["RunScenario", ...rpcs("Agent"), ...oneofTypes("ControlMsg"), "AgentError"]) expect(text).toContain(m);
  });

  test("metrics-pipeline.svg: from VU to /metrics, with the Snapshot's real fields", () => {
    const text = words(load("metrics-pipeline.svg"));
    for (const name of ["VU", "worker thread", "agent", "merge", "thresholds", "ProgressUpdate", "run store", "reports", "/metrics", "Snapshot"]) {
      expect(text).toContain(name);
    }
    // each "Message { a, b, … }" the diagram spells out names fields the message really has
    for (const [, message, list] of text.matchAll(/(\w+) \{ ([\w, ]+?)(?:,| \}|$)/gm)) {
      const fields = new Set(fieldsOf(message!));
      expect(fields.size).toBeGreaterThan(0);
      for (const field of list!.split(/,\s*/).filter((f) => /^\w+$/.test(f))) expect(`${message}.${field}: ${fields.has(field)}`).toBe(`${message}.${field}: true`);
    }
    for (const field of ["requests", "errors", "latency"]) expect(fieldsOf("StepDelta")).toContain(field);
  });

  test.each(["architecture.svg", "metrics-pipeline.svg", "sequence-diagram.svg"])("%s: every CamelCase name it uses is in proto/indus.proto", (name) => {
    const camel = new Set(words(load(name)).match(/\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/g) ?? []);
    expect([...camel].filter((w) => !PROTO_NAMES.has(w))).toEqual([]);
  });

  test("load-profiles.svg: one panel per VU profile", () => {
    const svg = load("load-profiles.svg");
    const panels = elements(svg).filter((e) => e.name === "g" && e.attrs.id?.startsWith("panel-")).map((e) => e.attrs.id);
    expect(panels).toEqual(["panel-constant", "panel-ramp_up", "panel-ramp_down", "panel-step", "panel-spike"]);
  });
});
