// The reference README's own plans and commands, as it prints them, against the compiled binary: plans verbatim
// (test/seed/plans), commands with only the binary's name and the addresses changed (loopback, ports picked by the OS).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { ProcGroup, grpcPort, runToEnd } from "../distributed/harness.ts";
import { runIndus, tempDir } from "../helpers.ts";

const PLANS = join(import.meta.dir, "plans");
const SEED_PLANS = readdirSync(PLANS).filter((f) => f.endsWith(".yaml")).sort();
const NAMES: Record<string, string> = { "basic.yaml": "basic-api-test", "ramp-stress.yaml": "ramp-stress-test", "spike.yaml": "spike", "step.yaml": "step" };

let target: MockServer;
const shortDir = tempDir("indus-seed-");
const group = new ProcGroup();

/**
 * The same plan, aimed at the mock target and 30 times shorter ("120s" → "4s", "30s" → "1s"), in a file of the
 * same name: what a seed plan does in a test's few seconds.
 */
function shortPlan(file: string): string {
  const text = readFileSync(join(PLANS, file), "utf8")
    .replaceAll("http://localhost:8080", target.url)
    .replace(/"(\d+)s"/g, (_, s: string) => `"${Math.max(1, Math.round(Number(s) / 30))}s"`);
  const path = join(shortDir, file);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(async () => {
  await group.stop();
  await target.stop();
});

describe("the seed's plans, verbatim", () => {
  test("the fixture holds the seed's four plans", () => {
    expect(SEED_PLANS).toEqual(Object.keys(NAMES).sort());
  });

  test.each(SEED_PLANS)("indus validate %s", async (file) => {
    const r = await runIndus(["validate", join(PLANS, file)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith(`Plan "${NAMES[file]}" (`);
  });

  test.each(SEED_PLANS)("indus run %s (short, local) passes its thresholds", async (file) => {
    const r = await runIndus(["run", shortPlan(file), "--quiet"], { env: { INDUS_DATA_DIR: join(shortDir, "runs") } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/(All thresholds passed|No thresholds defined)\. Exit code: 0\n$/);
    expect(r.code).toBe(0);
  });
});

describe("the seed's commands (controller and two agents on 127.0.0.1, with a token as the README sets it)", () => {
  let controller = "";
  // export INDUS_TOKEN=$(openssl rand -hex 16), as the README's distributed run does
  const token = crypto.randomUUID().replaceAll("-", "");
  const data = { INDUS_DATA_DIR: join(shortDir, "cli-runs"), INDUS_TOKEN: token };

  beforeAll(async () => {
    // ./bin/agent --id=agent-1 --grpc-addr=:50052 --metrics-addr=:9091 (and agent-2 on :50053, :9092)
    const agents = ["agent-1", "agent-2"].map((id) => group.spawn(id, ["agent", `--id=${id}`, "--grpc-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0"], { env: { INDUS_TOKEN: token } }));
    const ports = await Promise.all(agents.map((a) => grpcPort(a)));
    // ./bin/controller --grpc-addr=:50051 --metrics-addr=:9090 --agents=localhost:50052,localhost:50053
    const c = group.spawn("controller", ["controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0", `--agents=${ports.map((p) => `127.0.0.1:${p}`).join(",")}`], {
      env: { INDUS_TOKEN: token },
    });
    controller = `127.0.0.1:${await grpcPort(c)}`;
  });

  const indus = (args: string[]) => runToEnd(group, args, { env: data, timeoutMs: 60_000 });

  test("indus --controller=localhost:50051 run examples/basic.yaml (the quick start and the CI step)", async () => {
    const r = await indus([`--controller=${controller}`, "run", shortPlan("basic.yaml")]);
    expect(r.stdout).toMatch(/^Run started: [0-9a-f]{8} \(state: running\)/);
    expect(r.stdout).toContain("✓ p95");
    expect(r.stdout).toEndWith("All thresholds passed. Exit code: 0");
    expect(r.code).toBe(0);
  });

  test("indus run plan.yaml --no-stream, then status, agents and report of that run", async () => {
    const submitted = await indus([`--controller=${controller}`, "run", shortPlan("spike.yaml"), "--no-stream"]);
    expect(submitted.code).toBe(0);
    const id = /^Run started: ([0-9a-f]{8}) \(state: running\)$/.exec(submitted.stdout)?.[1];
    expect(id).toBeDefined();

    // indus status 059a8d29, until the run ends
    let status = await indus([`--controller=${controller}`, "status", id!]);
    while (status.code === 0 && /State: running/.test(status.stdout)) {
      await Bun.sleep(250);
      status = await indus([`--controller=${controller}`, "status", id!]);
    }
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Run: ${id}`);
    expect(status.stdout).toContain("State: completed");

    // indus agents
    const agents = await indus([`--controller=${controller}`, "agents"]);
    expect(agents.code).toBe(0);
    expect(agents.stdout).toMatch(/^ID\s+ADDRESS\s+STATE\s+VUs/);
    expect(agents.stdout).toMatch(/agent-1\s+127\.0\.0\.1:\d+\s+idle/);
    expect(agents.stdout).toMatch(/agent-2\s+127\.0\.0\.1:\d+\s+idle/);

    // indus report 059a8d29 --format=html -o my-report.html, and --format=json -o my-report.json
    for (const format of ["html", "json"]) {
      const file = join(shortDir, `my-report.${format}`);
      const r = await indus([`--controller=${controller}`, "report", id!, `--format=${format}`, "-o", file]);
      expect(r.code).toBe(0);
      expect(existsSync(file)).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(shortDir, "my-report.json"), "utf8")).run.id).toBe(id);
  }, 60_000);

  test("--token before the command is the token (and a wrong one is refused, exit 2)", async () => {
    const withFlag = await runToEnd(group, [`--token=${token}`, `--controller=${controller}`, "agents"], { env: { INDUS_TOKEN: "" } });
    expect(withFlag.code).toBe(0);
    expect(withFlag.stdout).toContain("agent-1");
    const wrong = await runToEnd(group, ["--token=wrong", `--controller=${controller}`, "agents"], { env: { INDUS_TOKEN: "" } });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe("");
  });

  test("global flags after the command mean the same", async () => {
    const r = await indus(["agents", `--controller=${controller}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("agent-1");
  });

  test("indus run plan.yaml --no-stream with no controller is refused, not a silent local run", async () => {
    const r = await indus(["run", shortPlan("basic.yaml"), "--no-stream"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--no-stream needs --controller");
  });

  test("a global flag the command does not take is still an exit-2 error naming it", async () => {
    const r = await indus([`--controller=${controller}`, "validate", join(PLANS, "basic.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown flag --controller for 'indus validate'");
  });
});
