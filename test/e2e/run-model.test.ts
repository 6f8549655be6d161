// One run, one model, end to end with real processes (compiled bin/indus): what a local run reports, a run through
// a controller and agent reports, and `indus report` after a controller restart reports, all carry the threshold
// window and the per-check counts; an agent with --allow-targets runs a templated URL; agent and controller
// survive unexpected exceptions, failing the run with a reason.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { grpcPort, ProcGroup, runToEnd, type Proc } from "../distributed/harness.ts";
import { runIndus, writePlan } from "../helpers.ts";

let target: MockServer;
let targetHost: string;
const group = new ProcGroup();
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 1, quiet: true });
  targetHost = new URL(target.url).host;
});
afterAll(async () => {
  await group.stop();
  await target.stop();
});

// the step's URL is templated (issue 15's third loss), the threshold has a window, the step has checks
const PLAN = `name: one-model
scenarios:
  browse:
    duration: 2s
    think_time: 20ms
    profile: { type: constant, vus: 2 }
    steps:
      - name: users
        url: "{{env.TARGET}}/api/users"
        check:
          status: 200
          max_duration: 2s
thresholds:
  - { metric: p95, condition: "<", value: 2000, window: 2s }
  - { metric: checks, condition: ">", value: 0.5 }
`;

async function startAgent(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ proc: Proc; addr: string }> {
  const proc = group.spawn(name, ["agent", "--id", name, "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "off", "--workers", "1", ...args], { env });
  return { proc, addr: `127.0.0.1:${await grpcPort(proc)}` };
}

async function startController(agents: string[], dataDir: string, env: Record<string, string> = {}): Promise<{ proc: Proc; addr: string }> {
  const proc = group.spawn("controller", ["controller", "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "off", "--data-dir", dataDir, `--agents=${agents.join(",")}`], { env });
  return { proc, addr: `127.0.0.1:${await grpcPort(proc)}` };
}

/** Each stderr line of a long-running process is one JSON log line: no stack trace, no source dump. */
function expectOnlyJsonLines(proc: Proc) {
  for (const line of proc.err) expect(() => JSON.parse(line)).not.toThrow();
  expect(proc.stderr()).not.toMatch(/^\s+at /m);
}

const idOf = (stdout: string) => /Run started: ([0-9a-f]{8})/.exec(stdout)![1]!;

describe("one run model, end to end (compiled binary)", () => {
  test("local, remote and restarted-controller reports carry window_s and checks_by_name; each is byte-identical to its stored report", async () => {
    const dir = group.dir();
    const plan = writePlan(PLAN, dir);
    const env = { TARGET: target.url };

    // local: --report, then `indus report` from the local store
    const localData = group.dir();
    const localJson = join(dir, "local.json");
    const local = await runToEnd(group, ["run", plan, "--quiet", "--data-dir", localData, "--report", localJson], { env });
    expect(local.code).toBe(0);
    const localStored = await runIndus(["report", idOf(local.stdout), "--format=json", "--data-dir", localData]);
    expect(localStored.code).toBe(0);
    expect(localStored.stdout).toBe(readFileSync(localJson, "utf8"));

    // remote: an agent that only allows the target, the URL templated from env
    const agent = await startAgent("agent-1", [`--allow-targets=${targetHost}`]);
    const data = group.dir();
    let controller = await startController([agent.addr], data);
    const remoteJson = join(dir, "remote.json");
    const remote = await runToEnd(group, ["run", plan, "--quiet", `--controller=${controller.addr}`, "--report", remoteJson], { env });
    expect(remote.stderr).toBe("");
    expect(remote.code).toBe(0);
    // the controller restarts; the stored run reads back as the same report, byte for byte
    controller.proc.kill("SIGTERM");
    expect(await controller.proc.exited).toBe(0);
    controller = await startController([agent.addr], data);
    const stored = await runIndus(["report", idOf(remote.stdout), "--format=json", `--controller=${controller.addr}`]);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toBe(readFileSync(remoteJson, "utf8"));

    // the losses of issue 15 are gone: the same fields locally and remotely
    const l = JSON.parse(readFileSync(localJson, "utf8"));
    const r = JSON.parse(stored.stdout);
    for (const report of [l, r]) {
      expect(report.thresholds[0].window_s).toBe(2);
      const step = report.summary.scenarios[0].steps[0];
      expect(step.checks_by_name.map((c: { name: string }) => c.name)).toEqual(["status 200", "duration <= 2s"]);
      expect(step.checks_by_name[0].passes).toBeGreaterThan(0);
    }
    expect(Object.keys(r.thresholds[0]).sort()).toEqual(Object.keys(l.thresholds[0]).sort());
    expect(Object.keys(r.summary.scenarios[0].steps[0]).sort()).toEqual(Object.keys(l.summary.scenarios[0].steps[0]).sort());
    expect(Object.keys(r.summary.global).sort()).toEqual(Object.keys(l.summary.global).sort());
    expectOnlyJsonLines(agent.proc);
    expectOnlyJsonLines(controller.proc);
  }, 60_000);

  test("--allow-targets: a templated URL is judged after templating; a host templated per request is refused naming the step (exit 2); the agent stays up", async () => {
    const dir = group.dir();
    const otherDir = group.dir();
    const agent = await startAgent("agent-allow", [`--allow-targets=${targetHost}`]);
    const controller = await startController([agent.addr], group.dir());
    const plan = writePlan(PLAN, dir);

    const elsewhere = await runToEnd(group, ["run", plan, "--quiet", `--controller=${controller.addr}`], { env: { TARGET: "http://127.0.0.1:9" } });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain("scenarios.browse.steps users: 127.0.0.1:9");

    const perRequest = writePlan(
      PLAN.replace('url: "{{env.TARGET}}/api/users"', 'url: "http://{{host}}/api/users"').replace("    steps:", "    data: { file: hosts.csv }\n    steps:"),
      otherDir,
    );
    await Bun.write(join(otherDir, "hosts.csv"), `host\n${targetHost}\n`);
    const templated = await runToEnd(group, ["run", perRequest, "--quiet", `--controller=${controller.addr}`]);
    expect(templated.code).toBe(2);
    expect(templated.stderr).toContain("scenarios.browse.steps users: the host of");
    expect(templated.stderr).toContain("{{host}}, known only per request");
    expect(templated.stderr).not.toMatch(/^\s+at /m);

    const allowed = await runToEnd(group, ["run", plan, "--quiet", `--controller=${controller.addr}`], { env: { TARGET: target.url } });
    expect(allowed.stderr).toBe("");
    expect(allowed.code).toBe(0);
    expectOnlyJsonLines(agent.proc);
  }, 60_000);

  test("an unexpected exception in an agent is one JSON error line and fails that run with a reason; the agent stays up", async () => {
    const plan = writePlan(PLAN);
    const env = { TARGET: target.url };
    // before the agent is ready: the run is refused with the reason
    const early = await startAgent("agent-early", [], { INDUS_TEST_FAULT: "agent-assign" });
    let controller = await startController([early.addr], group.dir());
    const refused = await runToEnd(group, ["run", plan, "--quiet", `--controller=${controller.addr}`], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("internal error: TypeError: injected fault at agent-assign");
    expect(early.proc.logs().filter((l) => l.level === "ERROR").map((l) => l.error)).toEqual(["TypeError: injected fault at agent-assign (INDUS_TEST_FAULT)"]);
    expectOnlyJsonLines(early.proc);

    // mid-run: the agent's part fails, the controller hears why, the run fails
    const late = await startAgent("agent-late", [], { INDUS_TEST_FAULT: "agent-snapshot" });
    controller = await startController([late.addr], group.dir());
    const failed = await runToEnd(group, ["run", plan, "--quiet", `--controller=${controller.addr}`], { env });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Agent lost: agent-late");
    expect(controller.proc.logs().some((l) => l.msg === "agent lost" && String(l.reason).includes("injected fault at agent-snapshot"))).toBe(true);
    expect(late.proc.logs().some((l) => l.level === "ERROR" && l.msg === "unexpected error, failing the run in progress")).toBe(true);
    expectOnlyJsonLines(late.proc);

    // both agents are still up and answer
    const agents = await runToEnd(group, ["agents", `--controller=${controller.addr}`]);
    expect(agents.code).toBe(0);
    expect(agents.stdout).toMatch(/agent-late\s+\S+\s+idle/);
    const earlyStill = await startController([early.addr], group.dir());
    expect((await runToEnd(group, ["agents", `--controller=${earlyStill.addr}`])).stdout).toMatch(/agent-early\s+\S+\s+idle/);
  }, 60_000);

  test("an unexpected exception in the controller is one JSON error line and fails that run with a reason; the controller stays up", async () => {
    const plan = writePlan(PLAN);
    const agent = await startAgent("agent-c");
    const data = group.dir();
    const controller = await startController([agent.addr], data, { INDUS_TEST_FAULT: "controller-update" });
    const failed = await runToEnd(group, ["run", plan, "--quiet", `--controller=${controller.addr}`], { env: { TARGET: target.url } });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("(internal error: TypeError: injected fault at controller-update (INDUS_TEST_FAULT))");
    expect(controller.proc.logs().filter((l) => l.level === "ERROR").map((l) => l.msg)).toEqual(["run failed unexpectedly"]);
    expectOnlyJsonLines(controller.proc);
    // still up: it answers, and has the run stored as failed with the reason
    const status = await runToEnd(group, ["status", idOf(failed.stdout), `--controller=${controller.addr}`]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("State: failed");
    expect(status.stdout).toContain("internal error");
  }, 60_000);
});
