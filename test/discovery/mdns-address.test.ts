// Which address a browsed mDNS service is dialled at, and what its TXT record says (no network).
import { describe, expect, test } from "bun:test";
import { agentFromService, createStaticDiscovery, pickAddress } from "../../src/discovery/index.ts";

describe("pickAddress", () => {
  test.each([
    [["fe80::1", "10.251.0.1"], undefined, "10.251.0.1"],
    [["192.168.1.5", "10.0.0.5"], "10.0.0.5", "10.0.0.5"],
    [["192.168.1.5", "10.0.0.5"], "172.16.0.1", "192.168.1.5"],
    [["fe80::1"], "10.251.0.1", "10.251.0.1"],
    [["fe80::1", "2001:db8::7"], "fe80::1", "2001:db8::7"],
    [["fe80::1"], "fe80::1", undefined],
    [[], undefined, undefined],
  ] as [string[], string | undefined, string | undefined][])("%p from %p → %p", (addresses, from, expected) => {
    expect(pickAddress(addresses, from)).toBe(expected);
  });
});

describe("agentFromService", () => {
  const base = { name: "agent-7", port: 50052, referer: { address: "10.0.0.7", family: "IPv4" as const, port: 5353, size: 100 } };

  test("id, version and workers come from TXT", () => {
    expect(agentFromService({ ...base, addresses: ["fe80::9", "10.0.0.7"], txt: { id: "agent.7", version: "0.1.0", workers: "8" } })).toEqual({
      id: "agent.7",
      address: "10.0.0.7:50052",
      source: "mdns",
      version: "0.1.0",
      workers: 8,
    });
  });

  test("without TXT the instance name is the id; a routable IPv6 address gets brackets", () => {
    expect(agentFromService({ ...base, referer: undefined, addresses: ["2001:db8::7"], txt: undefined })).toEqual({
      id: "agent-7",
      address: "[2001:db8::7]:50052",
      source: "mdns",
    });
  });

  test("nothing dialable: undefined", () => {
    expect(agentFromService({ ...base, referer: undefined, addresses: ["fe80::9"], txt: {} })).toBeUndefined();
  });
});

describe("createStaticDiscovery", () => {
  test("reports exactly the addresses given, once started", async () => {
    const d = createStaticDiscovery(["a:1", "b:2"]);
    expect(d.agents()).toEqual([]);
    const seen: number[] = [];
    d.onChange((agents) => seen.push(agents.length));
    await d.start();
    expect(d.agents()).toEqual([
      { id: "a:1", address: "a:1", source: "static" },
      { id: "b:2", address: "b:2", source: "static" },
    ]);
    expect(seen).toEqual([2]);
    await d.stop();
  });
});
