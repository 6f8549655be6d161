// `indus run --agents=dns:NAME:PORT` and `--discover=mdns` for real: the CLI (its controller inside), two agents and
// the target each in a network namespace of their own; dnsmasq answers the name; mDNS never leaves the lab.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { findDnsmasq } from "../discovery/dnsmasq.ts";
import { lineReader } from "../discovery/netns.ts";
import { runIdOf } from "./fixture.ts";
import { liveRows, ProcGroup, runToEnd, summaryRequests, type Proc } from "./harness.ts";
import { createLab, netnsUnavailable, type Lab } from "./netns.ts";
import { constantPlan } from "./plans.ts";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`skipping one-shot fleet namespace tests: cannot create network namespaces here (${unavailable})`);
const dnsmasq = findDnsmasq();
if (!dnsmasq) console.warn("skipping the dns: one-shot fleet tests: dnsmasq is not installed (apt-get install dnsmasq-base)");

const TOKEN = "fleet-lab-token";
const NAME = "agents.indus.test";
let lab: Lab | undefined;
let dir = "";
let dns: Bun.Subprocess<"ignore", "ignore", "pipe"> | undefined;

beforeAll(async () => {
  if (unavailable) return;
  lab = createLab(["cli", "a1", "a2", "tgt"]);
  if (!dnsmasq) return;
  // the CLI's namespace has its own resolver: dnsmasq on its 127.0.0.1:53, answering NAME with both agents
  dir = mkdtempSync(join(tmpdir(), "indus-fleet-dns-"));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "hosts"), `${lab.ip.a1} ${NAME}\n${lab.ip.a2} ${NAME}\n`);
  chmodSync(join(dir, "hosts"), 0o644);
  dns = Bun.spawn(
    [
      ...lab.exec("cli"), dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--port=53", "--listen-address=127.0.0.1",
      "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/indus.test/", `--addn-hosts=${join(dir, "hosts")}`, "--pid-file=", "--log-facility=-",
    ],
    { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  );
  await lineReader(dns.stderr).waitFor((l) => /read .*hosts - 2 names/.test(l), 10_000, "dnsmasq to read its hosts file", true);
  lab.setResolver("cli", "127.0.0.1");
});
afterAll(async () => {
  // processes first (a namespace lives on while a process is in it), then the namespaces
  dns?.kill("SIGTERM");
  await dns?.exited;
  if (dir) rmSync(dir, { recursive: true, force: true });
  lab?.destroy();
});

/** Each test's own processes (agents, target, run), all killed when it ends: no agent outlives its test. */
async function inLab(body: (g: ProcGroup) => Promise<void>): Promise<void> {
  const g = new ProcGroup();
  try {
    await body(g);
  } finally {
    await g.stop();
  }
}

/** GET url from inside a namespace, with this test runner's bun. */
async function fetchIn(g: ProcGroup, role: string, url: string): Promise<string> {
  const r = await runToEnd(g, [], {
    prefix: [...lab!.exec(role), process.execPath, "-e", `process.stdout.write(await (await fetch(${JSON.stringify(url)})).text())`],
    timeoutMs: 10_000,
  });
  if (r.code !== 0) throw new Error(`fetch ${url} in ${role}: ${r.stderr}`);
  return r.stdout;
}

/** A mock target in the tgt namespace; its URL and a way to read how many requests it served. */
async function startTarget(g: ProcGroup, port: number) {
  const { ip, exec } = lab!;
  const p = g.spawn(`target-${port}`, ["mock-server", "--host", ip.tgt!, "--port", String(port), "--latency", "2"], { prefix: exec("tgt") });
  await p.waitFor(/Mock server starting/, 10_000, "out");
  const url = `http://${ip.tgt}:${port}`;
  return { url, served: async () => (JSON.parse(await fetchIn(g, "cli", `${url}/__stats`)) as { requests: number }).requests };
}

/** Agents agent-<tag>-1 and -2 on a1 and a2, port `port`, with the lab's token (and --advertise for mDNS). */
async function startAgents(g: ProcGroup, tag: string, port: number, extra: string[] = []): Promise<Proc[]> {
  const { ip, exec } = lab!;
  const agents = ["a1", "a2"].map((role, i) =>
    g.spawn(`${tag}-${role}`, ["agent", "--id", `${tag}-${i + 1}`, "--grpc-addr", `${ip[role]}:${port}`, "--metrics-addr", "127.0.0.1:0", "--workers", "1", "--token", TOKEN, ...extra], {
      prefix: exec(role),
    }),
  );
  for (const a of agents) await a.waitFor(extra.includes("--advertise") ? /advertising over mDNS/ : /gRPC server listening/, 10_000, "err");
  return agents;
}

/** `indus run PLAN FLAGS` from the cli namespace, its controller in that process, kept running. */
function fleetRun(g: ProcGroup, plan: string, flags: string[]): Proc {
  return g.spawn("run", ["run", plan, ...flags, "--token", TOKEN, "--data-dir", g.dataDir, "--interval", "1s", "--log-level", "info", "--log-format", "json"], {
    prefix: lab!.exec("cli"),
  });
}

async function statusOf(g: ProcGroup, stdout: string): Promise<string> {
  const status = await runToEnd(g, ["status", runIdOf(stdout), "--data-dir", g.dataDir], { timeoutMs: 10_000 });
  expect(status.code).toBe(0);
  return status.stdout;
}

/** Both agents ran the whole run: exit 0, no stack trace, the table's count is the target's, the store has it. */
async function expectSharedRun(g: ProcGroup, run: Proc, tag: string, served: () => Promise<number>): Promise<void> {
  expect(await run.exited).toBe(0);
  expect(run.stderr()).not.toMatch(/\bat .*\.(ts|js):\d+/);
  const out = run.stdout();
  expect(out).toContain("No thresholds defined. Exit code: 0");
  const total = summaryRequests(out, "steady");
  expect(total).toBeGreaterThan(20);
  expect(total).toBe(await served());
  const status = await statusOf(g, out);
  expect(status).toContain("completed");
  expect(status).toMatch(new RegExp(`Agents: ${tag}-1 [1-9]\\d* requests \\(\\w+\\), ${tag}-2 [1-9]\\d* requests \\(\\w+\\)`));
}

/** Kills agent 2 once the run is under way; returns what the run printed and its exit code. */
async function killMidRun(run: Proc, agents: Proc[]): Promise<{ code: number; out: string; logs: Record<string, unknown>[] }> {
  await run.waitFor(/^running\s+1s/, 20_000, "out");
  agents[1]!.kill("SIGKILL");
  return { code: await run.exited, out: run.stdout(), logs: run.logs() };
}

describe.skipIf(unavailable !== undefined || !dnsmasq)("indus run --agents=dns:NAME:PORT (dnsmasq answers the name with both agents)", () => {
  test("both agents found by DNS share the run; counts equal the target's; the run is in the local store; exit 0", () =>
    inLab(async (g) => {
      const target = await startTarget(g, 8080);
      await startAgents(g, "dns", 50052);
      const report = join(g.dir(), "report.json");
      const run = fleetRun(g, constantPlan({ target: target.url, vus: 4, seconds: 3 }, g.dir()), [`--agents=dns:${NAME}:50052`, `--report=${report}`]);
      await expectSharedRun(g, run, "dns", target.served);
      expect(run.stderr()).toContain(`"agents":"${lab!.ip.a1}:50052 (dns),${lab!.ip.a2}:50052 (dns)"`);
      const written = (await Bun.file(report).json()) as { run: { state: string; agents: { id: string; address: string }[] } };
      expect(written.run.state).toBe("completed");
      expect(written.run.agents.map((a) => [a.id, a.address])).toEqual([["dns-1", `${lab!.ip.a1}:50052`], ["dns-2", `${lab!.ip.a2}:50052`]]);
    }), 40_000);

  test("an agent killed mid-run, on_agent_loss: redistribute: the survivor takes the rest; exit 0; the loss is reported and stored", () =>
    inLab(async (g) => {
      const target = await startTarget(g, 8081);
      const agents = await startAgents(g, "dnsloss", 50053);
      const plan = constantPlan({ target: target.url, vus: 4, seconds: 6, policy: "redistribute" }, g.dir());
      const r = await killMidRun(fleetRun(g, plan, [`--agents=dns:${NAME}:50053`]), agents);
      expect(r.code).toBe(0);
      const lost = new RegExp(`Agent lost: dnsloss-2 \\(${lab!.ip.a2!.replaceAll(".", "\\.")}:50053\\) at (\\d+)s`);
      expect(r.out).toMatch(lost);
      expect(r.logs.some((l) => l.msg === "agent lost" && l.agent_id === "dnsloss-2" && l.policy === "redistribute")).toBe(true);
      // from two seconds after the loss (on the run's clock: a loaded machine may kill later than second 1), the survivor runs all 4 VUs
      const lostS = Number(lost.exec(r.out)![1]);
      expect(lostS).toBeGreaterThanOrEqual(1);
      const later = liveRows(r.out).filter((row) => row.state === "running" && row.elapsedS >= lostS + 2);
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((row) => row.vus === 4)).toBe(true);
      // what the killed agent sent after its last report is lost with it: the table counts at most what the target saw
      const total = summaryRequests(r.out, "steady");
      const served = await target.served();
      expect(total).toBeLessThanOrEqual(served);
      expect(total).toBeGreaterThan(served * 0.9);
      const status = await statusOf(g, r.out);
      expect(status).toContain("completed");
      expect(status).toMatch(lost);
    }), 40_000);

  test("a name with no records: exit 2 naming it, nothing runs", () =>
    inLab(async (g) => {
      const target = await startTarget(g, 8082);
      const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
      const r = await runToEnd(g, ["run", plan, "--agents=dns:nobody.indus.test:50052", "--token", TOKEN, "--data-dir", g.dataDir], { prefix: lab!.exec("cli"), timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error: no agents found at dns:nobody.indus.test:50052");
      expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(await target.served()).toBe(0);
    }), 30_000);
});

describe.skipIf(unavailable !== undefined)("indus run --discover=mdns (agents --advertise; multicast only inside the lab)", () => {
  test("both advertised agents are found (not just the first to answer) and share the run; exit 0; in the local store", () =>
    inLab(async (g) => {
      const target = await startTarget(g, 8090);
      await startAgents(g, "mdns", 50062, ["--advertise"]);
      const run = fleetRun(g, constantPlan({ target: target.url, vus: 4, seconds: 3 }, g.dir()), ["--discover=mdns"]);
      await expectSharedRun(g, run, "mdns", target.served);
      expect(run.stderr()).toContain(`"agents":"${lab!.ip.a1}:50062 (mdns),${lab!.ip.a2}:50062 (mdns)"`);
    }), 40_000);

  test("an agent killed mid-run, on_agent_loss: abort: the run ends failed naming it, exit 1, stored with the reason", () =>
    inLab(async (g) => {
      const target = await startTarget(g, 8091);
      const agents = await startAgents(g, "mdnsloss", 50063, ["--advertise"]);
      const plan = constantPlan({ target: target.url, vus: 4, seconds: 8, policy: "abort" }, g.dir());
      const r = await killMidRun(fleetRun(g, plan, ["--discover=mdns"]), agents);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/Run failed: [0-9a-f]{8} \(agent mdnsloss-2 lost\)/);
      expect(await statusOf(g, r.out)).toContain("Reason: agent mdnsloss-2 lost");
    }), 40_000);

  test("no agent advertising: exit 2 naming mdns, nothing runs", () =>
    inLab(async (g) => {
      const target = await startTarget(g, 8092);
      const plan = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
      const r = await runToEnd(g, ["run", plan, "--discover=mdns", "--token", TOKEN, "--data-dir", g.dataDir], { prefix: lab!.exec("cli"), timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error: no agents found at mdns");
      expect(await target.served()).toBe(0);
    }), 30_000);
});
