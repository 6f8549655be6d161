// --agents and --discover parsing: a table of what users type and what it means.
import { describe, expect, test } from "bun:test";
import { IndusError } from "../../src/core/errors.ts";
import { parseAgentsFlag, parseDiscoverFlag, type AgentSource } from "../../src/discovery/index.ts";

const ok: [string, AgentSource[]][] = [
  ["localhost:50052", [{ kind: "static", address: "localhost:50052" }]],
  ["localhost:50052,localhost:50053", [{ kind: "static", address: "localhost:50052" }, { kind: "static", address: "localhost:50053" }]],
  [" 10.0.0.7:50052 , agent-2.example.com:6000 ", [{ kind: "static", address: "10.0.0.7:50052" }, { kind: "static", address: "agent-2.example.com:6000" }]],
  ["[::1]:50052", [{ kind: "static", address: "[::1]:50052" }]],
  ["[fd00::5]:1", [{ kind: "static", address: "[fd00::5]:1" }]],
  ["a:1,a:1,b:2", [{ kind: "static", address: "a:1" }, { kind: "static", address: "b:2" }]],
  ["localhost:50052,", [{ kind: "static", address: "localhost:50052" }]],
  ["dns:indus-agents.load.svc.cluster.local:50052", [{ kind: "dns", name: "indus-agents.load.svc.cluster.local", port: 50052 }]],
  ["dns:Agents.Example.com.:65535", [{ kind: "dns", name: "agents.example.com.", port: 65535 }]],
  ["dns:agents:50052,10.0.0.1:50052", [{ kind: "dns", name: "agents", port: 50052 }, { kind: "static", address: "10.0.0.1:50052" }]],
  ["mdns", [{ kind: "mdns" }]],
  ["mdns,localhost:50052", [{ kind: "mdns" }, { kind: "static", address: "localhost:50052" }]],
];

const bad: [string, RegExp][] = [
  ["", /no agents given/],
  [" , ", /no agents given/],
  ["localhost", /"localhost" needs a port: localhost:50052/],
  ["localhost:", /port "" is not a number/],
  ["localhost:0", /port 0 is out of range/],
  ["localhost:70000", /port 70000 is out of range/],
  ["localhost:http", /port "http" is not a number/],
  [":50052", /"" is not a host name/],
  ["bad host:50052", /"bad host" is not a host name/],
  ["::1:50052", /put an IPv6 address in brackets/],
  ["fd00::5", /put an IPv6 address in brackets: \[fd00::5\]:50052/],
  ["[nope]:50052", /"nope" is not an IPv6 address/],
  ["dns:agents", /needs a port: dns:agents:50052/],
  ["dns::50052", /"" is not a DNS name/],
  ["dns:agents:x", /port "x" is not a number/],
  ["http://agent:50052", /give host:port without a scheme \(agent:50052\)/],
  ["a:b:50052", /"a:b" is not a host name/],
  ["--quiet", /"--quiet" is a flag, not an agent/],
];

describe("parseAgentsFlag", () => {
  test.each(ok)("%p", (value, expected) => {
    expect(parseAgentsFlag(value)).toEqual(expected);
  });

  test.each(bad)("%p is refused", (value, message) => {
    let err: unknown;
    try {
      parseAgentsFlag(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IndusError);
    expect((err as IndusError).exitCode).toBe(2);
    expect((err as IndusError).message).toMatch(message);
    expect((err as IndusError).hint).toContain("dns:NAME:PORT");
  });

  test("every bad entry is reported at once", () => {
    expect(() => parseAgentsFlag("a,b:1,c:0,[x]:1")).toThrow(/--agents: 3 bad entries:\n {2}"a" needs a port.*\n {2}"c:0": port 0.*\n {2}"\[x\]:1"/);
  });
});

describe("parseDiscoverFlag", () => {
  test("mdns is the one method", () => {
    expect(parseDiscoverFlag("mdns")).toEqual([{ kind: "mdns" }]);
    expect(parseDiscoverFlag(" MDNS ")).toEqual([{ kind: "mdns" }]);
  });
  test("anything else is a bad flag", () => {
    expect(() => parseDiscoverFlag("consul")).toThrow(/unknown method "consul"/);
    expect(() => parseDiscoverFlag(" ")).toThrow(/--discover: no method given/);
  });
});
