// DNS discovery against a real resolver: dnsmasq on 127.0.0.1 serving several records for one name.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createDiscovery, createDnsDiscovery, type DiscoveredAgent, type Discovery } from "../../src/discovery/index.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { findDnsmasq, startDnsmasq, type Dnsmasq } from "./dnsmasq.ts";

const binary = findDnsmasq();
if (!binary) console.warn("skipping DNS discovery tests: dnsmasq is not installed (apt-get install dnsmasq-base)");

const NAME = "agents.indus.test";
const FLEET = ["127.0.0.3 agents.indus.test", "127.0.0.2 agents.indus.test", "127.0.0.4 agents.indus.test", "fd00::5 agents.indus.test"];

const dns = (ip: string, port = 50052): DiscoveredAgent => {
  const address = ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
  return { id: address, address, source: "dns" };
};

/** Resolves with the next list a discovery reports. */
const nextChange = (d: Discovery, ms = 5000) =>
  new Promise<DiscoveredAgent[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change within ${ms} ms; still ${JSON.stringify(d.agents())}`)), ms);
    const off = d.onChange((agents) => {
      clearTimeout(timer);
      off();
      resolve(agents);
    });
  });

describe.skipIf(!binary)("DNS discovery (dnsmasq on 127.0.0.1)", () => {
  let server: Dnsmasq;
  const logs: string[] = [];
  const logger = createLogger({ format: "json", level: "debug", write: (l) => logs.push(l) });

  beforeAll(async () => {
    server = await startDnsmasq(binary!, FLEET);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test("every A and AAAA record of the name is an agent at record:port, in a stable order", async () => {
    const d = createDnsDiscovery({ name: NAME, port: 50052, servers: [server.server], intervalMs: 60_000 });
    await d.start();
    expect(d.agents()).toEqual([dns("127.0.0.2"), dns("127.0.0.3"), dns("127.0.0.4"), dns("fd00::5")]);
    await d.stop();
  });

  test("re-resolution picks up a scale-up, a scale-down, and a name that no longer exists", async () => {
    const d = createDnsDiscovery({ name: NAME, port: 7000, servers: [server.server], intervalMs: 100, logger });
    await d.start();
    expect(d.agents()).toHaveLength(4);

    let change = nextChange(d);
    await server.setHosts([...FLEET, "127.0.0.9 agents.indus.test"]);
    expect((await change).map((a) => a.address)).toEqual(["127.0.0.2:7000", "127.0.0.3:7000", "127.0.0.4:7000", "127.0.0.9:7000", "[fd00::5]:7000"]);

    change = nextChange(d);
    await server.setHosts(["127.0.0.9 agents.indus.test"]);
    expect(await change).toEqual([dns("127.0.0.9", 7000)]);

    change = nextChange(d);
    await server.setHosts(["127.0.0.9 other.indus.test"]);
    expect(await change).toEqual([]); // NXDOMAIN is an answer: no agents
    await d.stop();
    await server.setHosts(FLEET);
  });

  test("createDiscovery merges static and DNS sources, one agent per address", async () => {
    const d = createDiscovery(
      [{ kind: "static", address: "127.0.0.3:50052" }, { kind: "static", address: "localhost:50099" }, { kind: "dns", name: NAME, port: 50052 }],
      { dnsServers: [server.server], intervalMs: 60_000 },
    );
    await d.start();
    expect(d.agents()).toEqual([
      { id: "127.0.0.3:50052", address: "127.0.0.3:50052", source: "static" },
      { id: "localhost:50099", address: "localhost:50099", source: "static" },
      dns("127.0.0.2"),
      dns("127.0.0.4"),
      dns("fd00::5"),
    ]);
    await d.stop();
  });

  test("when the resolver stops answering, the last answer is kept and the failure is logged", async () => {
    const d = createDnsDiscovery({ name: NAME, port: 50052, servers: [server.server], intervalMs: 100, timeoutMs: 200, logger });
    await d.start();
    const before = d.agents();
    expect(before).toHaveLength(4);
    logs.length = 0;
    await server.stop();
    const deadline = Date.now() + 5000;
    while (!logs.some((l) => l.includes("agent DNS lookup failed")) && Date.now() < deadline) await Bun.sleep(50);
    expect(logs.some((l) => l.includes("agent DNS lookup failed"))).toBe(true);
    expect(d.agents()).toEqual(before);
    await d.stop();
  });
});
