// Multi-megabyte output through a pipe to a slow reader arrives whole, byte for byte what `> file` gets; `| head -1` is a quiet exit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { openRunStore } from "../../src/store/index.ts";
import { ProcGroup, grpcPort } from "../distributed/harness.ts";
import { tempDir } from "../helpers.ts";
import { laterReader, toFile, toHead, toSlowReader, type Received } from "./pipe.ts";

const MB = 1024 * 1024;
let target: MockServer;
const dir = tempDir("indus-pipes-");
const dataDir = join(dir, "runs");
const env = { INDUS_DATA_DIR: dataDir };
let planFile: string;
let runId: string;
const group = new ProcGroup();

/**
 * One scenario of 200 steps with 200-character names and 50 thresholds per step (one in five cannot pass, so
 * the run exits 1): a summary and a status of ~2.5 MB, reports of 3-14 MB, from a run of one VU.
 */
function widePlan(url: string, duration = "1s"): string {
  const steps = Array.from({ length: 200 }, (_, i) => `step-${String(i).padStart(3, "0")}-${"x".repeat(200)}`);
  const metrics = ["p50", "p90", "p95", "p99", "mean"];
  return [
    "name: pipes",
    "scenarios:",
    "  wide:",
    `    duration: ${duration}`,
    "    profile: { type: constant, vus: 1 }",
    "    steps:",
    ...steps.map((s) => `      - { name: ${s}, url: "${url}/api/users" }`),
    "thresholds:",
    ...steps.flatMap((s) =>
      Array.from({ length: 50 }, (_, j) => `  - { metric: ${metrics[j % 5]}, condition: "<", value: ${j % 5 === 0 ? 0 : 10_000 + j}, scenario: wide, step: ${s} }`),
    ),
  ].join("\n") + "\n";
}

/** Two runs of one plan differ in their measurements and id only: compare them with those masked. */
function masked(r: Received): string {
  const id = /Run started: (\S+)/.exec(r.stdout)?.[1] ?? "none";
  return r.stdout.replaceAll(id, "ID").replace(/\d+(\.\d+)?/g, "#").replace(/ +/g, " ");
}

/**
 * A command that touches no run store, to the slow reader and to a file at once: the reader's pauses need not
 * add to the file's time. (Commands that open the store go one after the other: two processes opening one
 * store at once were seen to fail with exit 1.)
 */
async function bothWays(piped: () => Promise<Received>, file: () => Promise<Received>): Promise<[Received, Received]> {
  return Promise.all([piped(), file()]);
}

function expectSame(piped: Received, file: Received, minBytes: number): void {
  expect(piped.stderr).toBe("");
  expect(piped.code).toBe(file.code);
  expect(file.stdout.length).toBeGreaterThan(minBytes);
  expect(piped.stdout.length).toBe(file.stdout.length);
  expect(piped.stdout === file.stdout).toBe(true); // toBe would print megabytes on failure
}

beforeAll(async () => {
  target = createMockServer({ port: 0, quiet: true });
  planFile = join(dir, "wide.yaml");
  writeFileSync(planFile, widePlan(target.url));
});

afterAll(async () => {
  await group.stop();
  await target.stop();
});

describe("output through a pipe to a slow reader (compiled binary)", () => {
  test("run: the end-of-run summary arrives whole, as in a file", async () => {
    const file = await toFile(["run", planFile, "--interval=1h"], env);
    const piped = await toSlowReader(["run", planFile, "--interval=1h"], env);
    expect(file.code).toBe(1);
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(1);
    expect(file.stdout.length).toBeGreaterThan(2 * MB);
    expect(piped.stdout.endsWith("2000 of 10000 thresholds failed. Exit code: 1\n")).toBe(true);
    expect(masked(piped) === masked(file)).toBe(true);
    runId = /Run started: (\S+)/.exec(piped.stdout)![1]!;
  });

  test("run --quiet: the verdict arrives whole, as in a file", async () => {
    const file = await toFile(["run", planFile, "--quiet"], env);
    const piped = await toSlowReader(["run", planFile, "--quiet"], env);
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(1);
    expect(file.stdout.length).toBeGreaterThan(2 * MB);
    expect(piped.stdout.endsWith("Exit code: 1\n")).toBe(true);
    expect(masked(piped) === masked(file)).toBe(true);
  });

  for (const [format, minBytes] of [["json", 10 * MB], ["html", 8 * MB], ["junit", 2 * MB]] as const) {
    test(`report --format=${format}: byte for byte what a file gets`, async () => {
      const args = ["report", runId, `--format=${format}`];
      expectSame(await toSlowReader(args, env), await toFile(args, env), minBytes);
    });
  }

  test("status: byte for byte what a file gets", async () => {
    expectSame(await toSlowReader(["status", runId], env), await toFile(["status", runId], env), 2 * MB);
  });

  test("validate: byte for byte what a file gets", async () => {
    const big = join(dir, "many.yaml");
    const scenario = (i: number) => `  s${i}:\n    duration: 1h\n    profile: { type: ramp_up, start_vus: 0, end_vus: ${i + 1} }\n    steps: [{ name: a, url: "http://127.0.0.1:9/x" }]\n`;
    writeFileSync(big, `name: many\nscenarios:\n${Array.from({ length: 2500 }, (_, i) => scenario(i)).join("")}`);
    expectSame(...(await bothWays(() => toSlowReader(["validate", big]), () => toFile(["validate", big]))), 2 * MB);
  });

  test("exit 2: thousands of plan problems on stderr, byte for byte what a file gets", async () => {
    const bad = join(dir, "bad.yaml");
    const scenario = (i: number) => `  s${i}:\n    duration: ${i}\n    profile: { type: ramp_up, vus: 3 }\n    steps: []\n`;
    writeFileSync(bad, `name: bad\nscenarios:\n${Array.from({ length: 2000 }, (_, i) => scenario(i)).join("")}`);
    const piped = await toSlowReader(["validate", bad], {}, { both: true });
    const file = await toFile(["validate", bad], {}, { both: true });
    expect(file.code).toBe(2);
    expect(piped.code).toBe(2);
    expect(file.stdout.length).toBeGreaterThan(MB);
    expect(piped.stdout === file.stdout).toBe(true);
  });

  test("Ctrl-C: the interrupted run's verdict arrives whole, behind a reader that had fallen behind", async () => {
    const long = join(dir, "long.yaml");
    writeFileSync(long, widePlan(target.url, "2m"));
    const before = target.stats().requests;
    const run = await laterReader("stdout", ["run", long, "--quiet"], env);
    while (target.stats().requests === before) await Bun.sleep(20); // the load has started: Ctrl-C now stops the run
    process.kill(run.pid, "SIGINT");
    run.startReading();
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("SIGINT: stopping all VUs");
    expect(r.stdout).toContain("(interrupted (Ctrl-C))");
    expect(r.stdout.split("\n").filter((l) => l.includes("[wide/step-")).length).toBe(10_000);
    expect(r.stdout.endsWith("Exit code: 1\n")).toBe(true);
  });

  test("schema: byte for byte what a file gets", async () => {
    expectSame(...(await bothWays(() => toSlowReader(["schema"]), () => toFile(["schema"]))), 10_000);
  });

  test("runs: byte for byte what a file gets", async () => {
    const runsDir = join(dir, "many-runs");
    const store = openRunStore(runsDir);
    const plan = parsePlan("name: listed\nscenarios:\n  a:\n    duration: 1s\n    profile: { type: constant, vus: 1 }\n    steps: [{ name: a, url: 'http://127.0.0.1:9/' }]\n", "listed.yaml");
    for (let i = 0; i < 100; i++) {
      const planName = `listed-${i}-${"n".repeat(30_000)}`;
      store.createRun({ id: `run${String(i).padStart(5, "0")}`, planName, planYaml: undefined, planFile: undefined, plan: { ...plan, name: planName }, startedAt: new Date(1_700_000_000_000 + i * 1000), origin: "local", agents: [] });
    }
    store.close();
    const args = ["runs", "--limit=100", `--data-dir=${runsDir}`];
    expectSame(await toSlowReader(args), await toFile(args), 2.5 * MB);
  });

  test("agents: byte for byte what a file gets", async () => {
    // 1,500 addresses nobody answers on (port 9 of loopback addresses no test uses): a row and an error line each.
    // ~0.3 MB, four pipe buffers (8,000 agents are listed in test/distributed/agents-at-scale.test.ts).
    const agents = Array.from({ length: 1500 }, (_, i) => `127.77.${i >> 8}.${i & 255}:9`).join(",");
    const controller = group.spawn("controller", ["controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off", `--agents=${agents}`, "--log-format=json", `--data-dir=${join(dir, "controller")}`]);
    const port = await grpcPort(controller);
    const args = ["agents", `--controller=127.0.0.1:${port}`];
    // one after the other: the controller asks every agent for each listing
    expectSame(await toSlowReader(args), await toFile(args), 0.25 * MB);
    controller.kill("SIGTERM");
    expect(await controller.exited).toBe(0);
  }, 120_000);
});

describe("a reader that leaves after one line (| head -1)", () => {
  test("validate, schema, report and run exit as they would have, with nothing on stderr", async () => {
    const big = join(dir, "many.yaml");
    for (const args of [["validate", big], ["schema"], ["report", runId, "--format=json"], ["status", runId]]) {
      const r = await toHead(args, env);
      expect({ args, stderr: r.stderr, code: r.code }).toEqual({ args, stderr: "", code: 0 });
      expect(r.stdout.split("\n").length).toBe(2);
    }
    const run = await toHead(["run", planFile, "--quiet"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toStartWith("Run started: ");
  });
});
