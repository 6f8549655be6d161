// Multi-host: controller, agents, target and CLI each in their own network namespace, talking over veth and a bridge.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { agentRows, runIdOf } from "./fixture.ts";
import { ProcGroup, runToEnd } from "./harness.ts";
import { createLab, netnsUnavailable, type Lab } from "./netns.ts";
import { constantPlan } from "./plans.ts";

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`skipping multi-host tests: cannot create network namespaces here (${unavailable}); they need root or CAP_NET_ADMIN + CAP_SYS_ADMIN`);

const TOKEN = "lab-token";
let lab: Lab | undefined;
const group = new ProcGroup();

beforeAll(() => {
  if (!unavailable) lab = createLab(["ctl", "a1", "a2", "tgt", "cli"]);
});
afterAll(async () => {
  // processes first (a namespace lives on while a process is in it), then the namespaces, whatever happened
  await group.stop();
  lab?.destroy();
});

/** GET url from inside a namespace, with this test runner's bun (no curl needed). */
async function fetchIn(role: string, url: string): Promise<string> {
  const r = await runToEnd(group, [], {
    prefix: [...lab!.exec(role), process.execPath, "-e", `process.stdout.write(await (await fetch(${JSON.stringify(url)})).text())`],
    timeoutMs: 10_000,
  });
  if (r.code !== 0) throw new Error(`fetch ${url} in ${role}: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(unavailable !== undefined)("controller, agents and target on separate hosts (network namespaces)", () => {
  test("an agent on a non-loopback address without token or TLS refuses to start", async () => {
    const r = await runToEnd(group, ["agent", "--id", "naked", "--grpc-addr", `${lab!.ip.a1}:50099`, "--metrics-addr", "127.0.0.1:0"], {
      prefix: lab!.exec("a1"),
      timeoutMs: 10_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to listen on ${lab!.ip.a1}:50099 without --token or TLS`);
  });

  test("a run over the veths passes, both agents carry half the VUs, and the target counted every request", async () => {
    const { ip, exec } = lab!;
    const target = group.spawn("target", ["mock-server", "--host", ip.tgt!, "--port", "8080", "--latency", "2"], { prefix: exec("tgt") });
    await target.waitFor(/Mock server starting/, 10_000, "out");
    const agents = ["a1", "a2"].map((role, i) => {
      const p = group.spawn(role, ["agent", "--id", `agent-${i + 1}`, "--grpc-addr", `${ip[role]}:50052`, "--metrics-addr", "127.0.0.1:0", "--workers", "1", "--token", TOKEN], {
        prefix: exec(role),
      });
      return p;
    });
    for (const a of agents) await a.waitFor(/gRPC server listening/, 10_000, "err");
    const controller = group.spawn(
      "controller",
      ["controller", "--grpc-addr", `${ip.ctl}:50051`, "--metrics-addr", "127.0.0.1:0", "--data-dir", group.dir(), "--token", TOKEN, `--agents=${ip.a1}:50052,${ip.a2}:50052`],
      { prefix: exec("ctl") },
    );
    await controller.waitFor(/controller gRPC server/, 10_000, "err");

    const cli = (args: string[]) => [...args, `--controller=${ip.ctl}:50051`, "--token", TOKEN];
    const plan = constantPlan({ target: `http://${ip.tgt}:8080`, vus: 4, seconds: 4, extra: 'thresholds:\n  - { metric: error_ratio, condition: "<", value: 0.01 }\n' }, group.dir());
    const run = group.spawn("run", cli(["run", plan, "--interval", "1s"]), { prefix: exec("cli") });
    await run.waitFor(/^running\s+1s/, 15_000, "out");

    const fleet = await runToEnd(group, cli(["agents"]), { prefix: exec("cli"), timeoutMs: 10_000 });
    expect(fleet.code).toBe(0);
    expect(agentRows(fleet.stdout)).toEqual([
      { id: "agent-1", address: `${ip.a1}:50052`, state: "active", vus: 2 },
      { id: "agent-2", address: `${ip.a2}:50052`, state: "active", vus: 2 },
    ]);

    expect(await run.exited).toBe(0);
    const out = run.stdout();
    expect(out).toContain("All thresholds passed. Exit code: 0");
    const total = Number(/^steady\s+(\d+)/m.exec(out)![1]);
    expect(total).toBeGreaterThan(100);
    const served = (JSON.parse(await fetchIn("cli", `http://${ip.tgt}:8080/__stats`)) as { requests: number }).requests;
    expect(Math.abs(total - served) / served).toBeLessThanOrEqual(0.005);

    const status = await runToEnd(group, cli(["status", runIdOf(out)]), { prefix: exec("cli"), timeoutMs: 10_000 });
    expect(status.stdout).toContain("completed");
    // the CLI and the agents reached the controller from their own addresses, not loopback
    await controller.waitFor(new RegExp(`"msg":"run submitted".*"peer":"${ip.cli!.replaceAll(".", "\\.")}:\\d+"`), 2000, "err");
  }, 40_000);

  test("agents found over mDNS: --advertise on the agents, --discover=mdns on the controller (multicast only inside the lab)", async () => {
    const { ip, exec } = lab!;
    const target = group.spawn("target-m", ["mock-server", "--host", ip.tgt!, "--port", "8081", "--latency", "2"], { prefix: exec("tgt") });
    await target.waitFor(/Mock server starting/, 10_000, "out");
    const agents = ["a1", "a2"].map((role, i) =>
      group.spawn(`${role}-m`, ["agent", "--id", `mdns-${i + 1}`, "--grpc-addr", `${ip[role]}:50062`, "--metrics-addr", "127.0.0.1:0", "--workers", "1", "--token", TOKEN, "--advertise"], {
        prefix: exec(role),
      }),
    );
    for (const a of agents) await a.waitFor(/advertising over mDNS/, 10_000, "err");
    const controller = group.spawn(
      "controller-m",
      ["controller", "--grpc-addr", `${ip.ctl}:50071`, "--metrics-addr", "127.0.0.1:0", "--data-dir", group.dir(), "--token", TOKEN, "--discover=mdns"],
      { prefix: exec("ctl") },
    );
    await controller.waitFor(/controller gRPC server/, 10_000, "err");
    const cli = (args: string[]) => [...args, `--controller=${ip.ctl}:50071`, "--token", TOKEN];

    // discovery takes a moment: poll `indus agents` until both show up, found by mdns
    let rows: string = "";
    for (let i = 0; i < 40; i++) {
      const fleet = await runToEnd(group, cli(["agents"]), { prefix: exec("cli"), timeoutMs: 10_000 });
      rows = fleet.stdout;
      if ((rows.match(/\bmdns\s*$/gm) ?? []).length === 2) break;
      await Bun.sleep(250);
    }
    expect(rows).toMatch(new RegExp(`mdns-1\\s+${ip.a1!.replaceAll(".", "\\.")}:50062\\s+idle\\s+0\\s+mdns`));
    expect(rows).toMatch(new RegExp(`mdns-2\\s+${ip.a2!.replaceAll(".", "\\.")}:50062\\s+idle\\s+0\\s+mdns`));

    const plan = constantPlan({ target: `http://${ip.tgt}:8081`, vus: 2, seconds: 2 }, group.dir());
    const run = await runToEnd(group, cli(["run", plan, "--quiet"]), { prefix: exec("cli"), timeoutMs: 20_000 });
    expect(run.code).toBe(0);
  }, 40_000);
});
