// The refusal of a run when agents cannot take part: each named up to AGENT_PROBLEMS_LISTED, the rest counted by kind.
import { describe, expect, test } from "bun:test";
import { AGENT_PROBLEMS_LISTED, agentProblems, agentsUnready, type AgentProblem } from "../../src/controller/unready.ts";
import { PROTOCOL_VERSION } from "../../src/transport/messages.ts";

const unreachable = (i: number): AgentProblem => ({ address: `10.0.${i >> 8}.${i & 255}:50052`, error: `agent 10.0.${i >> 8}.${i & 255}:50052: UNAVAILABLE: connect ECONNREFUSED` });
const busy = (i: number): AgentProblem => ({ address: `10.1.0.${i}:50052`, id: `agent-${i}`, busyWith: "r-7" });
const refused = (i: number): AgentProblem => ({ address: `10.2.0.${i}:50052`, error: "UNAUTHENTICATED: unauthenticated: wrong token" });

describe("agentProblems: what keeps an agent from a run, from its Info", () => {
  const info = (state: "idle" | "busy", protocol: number) => ({ id: "a1", state, runId: state === "busy" ? "r-9" : undefined, vus: 0, protocol });
  test.each([
    ["idle, this protocol: takes part", info("idle", PROTOCOL_VERSION), undefined, []],
    ["busy", info("busy", PROTOCOL_VERSION), undefined, [{ address: "h:1", id: "a1", busyWith: "r-9" }]],
    ["built before agents said their protocol (0)", info("idle", 0), undefined, [{ address: "h:1", id: "a1", protocol: 0 }]],
    ["a newer protocol", info("idle", PROTOCOL_VERSION + 1), undefined, [{ address: "h:1", id: "a1", protocol: PROTOCOL_VERSION + 1 }]],
    ["another protocol and busy: the protocol is what to fix first", info("busy", 1), undefined, [{ address: "h:1", id: "a1", protocol: 1 }]],
    ["no answer", undefined, "UNAVAILABLE: connect ECONNREFUSED", [{ address: "h:1", error: "UNAVAILABLE: connect ECONNREFUSED" }]],
  ] as const)("%s", (_name, i, error, expected) => {
    expect(agentProblems("h:1", i, error)).toEqual([...expected]);
  });
});

describe("agentsUnready", () => {
  test("a few problems: one line each, in order, with the hint", () => {
    const e = agentsUnready([unreachable(1), busy(2), refused(3)]);
    expect(e.code).toBe("agents_unready");
    expect(e.message.split("\n")).toEqual([
      "agent 10.0.0.1:50052 is unreachable: agent 10.0.0.1:50052: UNAVAILABLE: connect ECONNREFUSED",
      "agent agent-2 (10.1.0.2:50052) is busy with run r-7",
      "agent 10.2.0.3:50052 refused the token: UNAUTHENTICATED: unauthenticated: wrong token",
    ]);
    expect(e.hint).toBe("give the agents' token (--token or INDUS_TOKEN); start the agents, wait for their run to end, or remove them from --agents");
  });

  test("an agent of another version: named with both versions and what to do", () => {
    const e = agentsUnready([{ address: "10.3.0.1:50052", id: "old-1", protocol: 0 }, { address: "10.3.0.2:50052", id: "new-1", protocol: PROTOCOL_VERSION + 1 }]);
    expect(e.message.split("\n")).toEqual([
      `agent old-1 (10.3.0.1:50052) speaks an older version of the protocol, this controller version ${PROTOCOL_VERSION}: run the same indus release on both (\`indus --version\`)`,
      `agent new-1 (10.3.0.2:50052) speaks protocol version ${PROTOCOL_VERSION + 1}, this controller version ${PROTOCOL_VERSION}: run the same indus release on both (\`indus --version\`)`,
    ]);
  });

  test("no token refused: no token hint", () => {
    expect(agentsUnready([unreachable(1)]).hint).toBe("start the agents, wait for their run to end, or remove them from --agents");
  });

  test(`8,000 problems: the first ${AGENT_PROBLEMS_LISTED} named, the rest counted by kind, a short message`, () => {
    const problems = [
      ...Array.from({ length: 7990 }, (_, i) => unreachable(i)),
      ...Array.from({ length: 7 }, (_, i) => busy(i)),
      ...Array.from({ length: 3 }, (_, i) => refused(i)),
      { address: "10.3.0.1:50052", id: "old-1", protocol: 0 },
    ];
    const lines = agentsUnready(problems).message.split("\n");
    expect(lines.length).toBe(AGENT_PROBLEMS_LISTED + 1);
    expect(lines[0]).toStartWith("agent 10.0.0.0:50052 is unreachable");
    expect(lines.at(-1)).toBe("… and 7,981 more agents: 7,970 unreachable, 7 busy, 3 refused the token, 1 another version (`indus agents` lists every one)");
  });

  test(`exactly ${AGENT_PROBLEMS_LISTED}: all named, nothing counted`, () => {
    const lines = agentsUnready(Array.from({ length: AGENT_PROBLEMS_LISTED }, (_, i) => unreachable(i))).message.split("\n");
    expect(lines.length).toBe(AGENT_PROBLEMS_LISTED);
    expect(lines.some((l) => l.startsWith("…"))).toBe(false);
  });
});
