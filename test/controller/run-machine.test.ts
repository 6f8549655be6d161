// The run machine on its own: the commands it gives for events at given times (no timers, no sockets).
import { describe, expect, test } from "bun:test";
import { createRunMachine, runStep, type RunCommand, type RunMachineEvent } from "../../src/controller/run-machine.ts";
import { planTargets } from "../../src/controller/targets.ts";
import { parsePlan } from "../../src/plan/index.ts";

const plan = (policy = "redistribute") =>
  parsePlan(`name: m\non_agent_loss: ${policy}\nscenarios:\n  a:\n    duration: 10s\n    profile: { type: constant, vus: 5 }\n    steps:\n      - { name: s, url: "http://127.0.0.1:9/" }\n`, "m.yaml");

function machine(policy?: string, agents = 2) {
  const p = plan(policy);
  let state = createRunMachine({ runId: "r1", plan: p, targets: planTargets(p.scenarios), agents: Array.from({ length: agents }, (_, i) => ({ id: `a${i}`, address: `h${i}:1` })) });
  return (event: RunMachineEvent<string>, now: number): RunCommand<string>[] => {
    const out = runStep(state, event, now);
    state = out.state;
    return out.commands;
  };
}
const kinds = (cs: RunCommand<string>[]) => cs.map((c) => (c.kind === "send" ? `send ${c.agent} ${c.msg.kind}` : c.kind));
const snap = (agent: number, seq: number, final = false): RunMachineEvent<string> => ({ kind: "snapshot", agent, seq, final, vus: { a: 2 }, snapshot: `s${agent}.${seq}` });

describe("run machine", () => {
  test("assign, start with exact shares, heartbeat each second, close a second when every agent answered", () => {
    const step = machine();
    expect(kinds(step({ kind: "start" }, 0))).toEqual(["send 0 assign", "send 1 assign"]);
    step({ kind: "ready", agent: 0 }, 10);
    const start = step({ kind: "ready", agent: 1 }, 20);
    const adjusts = start.flatMap((c) => (c.kind === "send" && c.msg.kind === "adjust" ? [c.msg.vus.a] : []));
    expect(adjusts.reduce((a, b) => a! + b!, 0)).toBe(5);
    expect(kinds(step({ kind: "tick" }, 1020))).toEqual(["send 0 heartbeat", "send 1 heartbeat"]);
    expect(kinds(step(snap(0, 1), 1030))).toEqual(["merge"]);
    // a duplicate is merged once
    expect(kinds(step(snap(0, 1), 1031))).toEqual([]);
    expect(kinds(step(snap(1, 1), 1040))).toEqual(["merge", "second"]);
  });

  test("an agent silent for 5 s while the schedule runs is lost, and its share moves to the others", () => {
    const step = machine("redistribute", 2);
    step({ kind: "start" }, 0);
    step({ kind: "ready", agent: 0 }, 0);
    step({ kind: "ready", agent: 1 }, 0);
    const seen: { t: number; out: RunCommand<string>[] }[] = [];
    for (let t = 1000; t <= 7000; t += 1000) {
      seen.push({ t, out: step({ kind: "tick" }, t) });
      step(snap(0, t / 1000), t + 5);
      seen.push({ t: t + 800, out: step({ kind: "tick" }, t + 800) });
    }
    const lostAt = seen.find((s) => s.out.some((c) => c.kind === "log" && c.message === "agent lost"));
    expect(lostAt?.t).toBe(5000);
    // the same second, agent 0 alone is told all 5 VUs
    const next = seen.find((s) => s.t === 5000)!.out.find((c) => c.kind === "send" && c.msg.kind === "adjust");
    expect(next && next.kind === "send" && next.msg.kind === "adjust" && next.agent === 0 && next.msg.vus.a).toBe(5);
  });

  test("no answer from an agent before the ready deadline refuses the run, naming it", () => {
    const step = machine();
    step({ kind: "start" }, 0);
    step({ kind: "ready", agent: 0 }, 5);
    const out = step({ kind: "tick" }, 10_000);
    const refuse = out.find((c) => c.kind === "refuse");
    expect(refuse && refuse.kind === "refuse" && refuse.message).toContain("agent a1 (h1:1) did not answer");
  });
});
