// mDNS for real: an advertiser in one network namespace, a browser in another, joined by a veth pair.
// Nothing here multicasts outside those namespaces; without permission to create them the tests skip.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { DiscoveredAgent } from "../../src/discovery/index.ts";
import { createNetnsPair, lineReader, type NetnsPair } from "./netns.ts";

const ADVERTISE = join(import.meta.dir, "fixtures/advertise.ts");
const BROWSE = join(import.meta.dir, "fixtures/browse.ts");

const pair = createNetnsPair();
const skip = typeof pair === "string";
if (skip) console.warn(`skipping mDNS namespace tests: ${pair}`);
const net = pair as NetnsPair;
const procs: Bun.Subprocess[] = [];

function start(ns: string, script: string, args: string[]) {
  const proc = net.spawn(ns, [process.execPath, script, ...args]);
  procs.push(proc);
  return { proc, out: lineReader(proc.stdout) };
}

const listOf = (line: string): DiscoveredAgent[] | undefined => {
  try {
    const v = JSON.parse(line);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
};
const has = (id: string) => (line: string) => listOf(line)?.some((a) => a.id === id) === true;
const empty = (line: string) => listOf(line)?.length === 0;

beforeAll(() => {
  if (!skip) expect(net.a).toStartWith("indus-ns-a-");
});

afterAll(async () => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  await Promise.all(procs.map((p) => p.exited));
  if (!skip) net.remove();
});

describe.skipIf(skip)("mDNS between two network namespaces", () => {
  test("an agent that announces itself is found with its TXT, then leaves at once when it says goodbye", async () => {
    const browser = start(net.b, BROWSE, ["300", "5000"]);
    await browser.out.waitFor((l) => l === "browsing", 10_000, "the browser to start", true);
    const ad = start(net.a, ADVERTISE, ["agent-ns-1", "50052", "3", "9.9.9"]);

    const line = await browser.out.waitFor(has("agent-ns-1"), 10_000, "agent-ns-1 to be found", true);
    const agent = listOf(line)!.find((a) => a.id === "agent-ns-1")!;
    // IPv4 over the fe80:: address it also announces (BUN-NOTES trap 9)
    expect(agent).toEqual({ id: "agent-ns-1", address: `${net.addressA}:50052`, source: "mdns", version: "9.9.9", workers: 3 });

    const gone = browser.out.waitFor(empty, 10_000, "agent-ns-1 to disappear");
    const t0 = performance.now();
    ad.proc.kill("SIGTERM");
    await ad.out.waitFor((l) => l === "stopped", 5000, "the advertiser to stop", true);
    await gone;
    // the goodbye packet, not the 5 s staleness timeout, removed it
    expect(performance.now() - t0).toBeLessThan(4000);
    browser.proc.kill("SIGTERM");
    expect(await browser.proc.exited).toBe(0);
  });

  test("an agent already up is found by a browser that starts later, and leaves when it dies without a goodbye", async () => {
    const ad = start(net.a, ADVERTISE, ["agent-ns-2", "50053", "1", "1.2.3"]);
    await ad.out.waitFor((l) => l === "advertising", 10_000, "the advertiser to start", true);
    await Bun.sleep(1500); // past probing and the first announcement
    const browser = start(net.b, BROWSE, ["300", "1500"]);

    const line = await browser.out.waitFor(has("agent-ns-2"), 10_000, "agent-ns-2 to be found", true);
    expect(listOf(line)).toEqual([{ id: "agent-ns-2", address: `${net.addressA}:50053`, source: "mdns", version: "1.2.3", workers: 1 }]);

    const gone = browser.out.waitFor(empty, 10_000, "agent-ns-2 to be dropped as stale");
    ad.proc.kill("SIGKILL");
    await gone;
    browser.proc.kill("SIGTERM");
    expect(await browser.proc.exited).toBe(0);
  });
});
