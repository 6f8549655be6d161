// Run history end to end: runs are stored, status/report read them back, a killed run is kept as aborted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { reportSchema } from "../../src/report/json/index.ts";
import { readUntil, runIndus, spawnIndus, tempDir, writePlan } from "../helpers.ts";

let target: MockServer;
const dataDir = tempDir("indus-store-e2e-");
const env = { INDUS_DATA_DIR: dataDir };
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 2, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

/** The id from "Run started: ID" on a running process's stdout, as soon as it is printed; the rest is still drained. */
async function runIdFrom(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`no "Run started" line in:\n${text}`);
    text += decoder.decode(value, { stream: true });
    const m = /Run started: ([0-9a-f]{8})/.exec(text);
    if (m) {
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return m[1]!;
    }
  }
}

const plan = (seconds: number) => `name: stored
scenarios:
  browse:
    duration: ${seconds}s
    think_time: 20ms
    profile: { type: constant, vus: 3 }
    steps:
      - { name: users, url: "${target.url}/api/users" }
thresholds:
  - { metric: p95, condition: "<", value: 1000 }
`;

describe("run store (compiled binary)", () => {
  test("a run is stored; runs, status and report read it back; --report writes all three formats", async () => {
    const dir = tempDir();
    const file = writePlan(plan(2), dir);
    const html = join(dir, "r.html");
    const json = join(dir, "r.json");
    const xml = join(dir, "junit.xml");
    const r = await runIndus(["run", file, "--quiet", "--report", html, "--report", json, "--report", xml], { env });
    expect(r.code).toBe(0);
    const id = /Run started: ([0-9a-f]{8})/.exec(r.stdout)![1]!;
    for (const f of [html, json, xml]) expect(existsSync(f)).toBe(true);
    expect(reportSchema.safeParse(JSON.parse(readFileSync(json, "utf8"))).success).toBe(true);
    expect(readFileSync(xml, "utf8")).toContain('tests="1" failures="0"');

    const runs = await runIndus(["runs"], { env });
    expect(runs.stdout).toMatch(new RegExp(`${id}\\s+stored\\s+completed`));
    const status = await runIndus(["status", id.slice(0, 6)], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Run: ${id}`);
    expect(status.stdout).toContain("State: completed");
    const report = await runIndus(["report", id, "--format", "junit"], { env });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("<testsuites");
    const baseline = await runIndus(["report", id, "--format", "json", "--baseline", id], { env });
    expect(JSON.parse(baseline.stdout).baseline).toBeDefined();
  });

  test("a run killed with SIGKILL is marked aborted and keeps what it recorded", async () => {
    const file = writePlan(plan(60));
    const proc = spawnIndus(["run", file, "--quiet"], env);
    const id = await runIdFrom(proc.stdout);
    // killed once the store holds more than 10 requests (read back through `indus status`, as a user would)
    const storedRequests = async () => Number(/Requests: (\d+)/.exec((await runIndus(["status", id], { env })).stdout)?.[1] ?? 0);
    const deadline = performance.now() + 30_000;
    while ((await storedRequests()) <= 10 && performance.now() < deadline) await Bun.sleep(200);
    proc.kill("SIGKILL");
    await proc.exited;
    const status = await runIndus(["status", id], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("State: aborted");
    const requests = Number(/Requests: (\d+)/.exec(status.stdout)![1]);
    expect(requests).toBeGreaterThan(10);
    const html = await runIndus(["report", id, "--format", "html"], { env });
    expect(html.code).toBe(0);
    expect(html.stdout).toContain("<svg");
  });

  test("a run killed with SIGKILL keeps the script errors it had reported", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "throws.ts"), `export default async (vu) => {\n  await vu.http.get("${target.url}/healthz", { step: "probe" });\n  throw new Error("broken on purpose");\n};\n`);
    const file = writePlan(`name: throws\nscenarios:\n  t:\n    duration: 60s\n    profile: { type: constant, vus: 2 }\n    script: ./throws.ts\n`, dir);
    const proc = spawnIndus(["run", file, "--quiet"], env);
    const id = await runIdFrom(proc.stdout);
    // the CLI prints a script error after the store has it (the sink is told before the update goes out)
    const stderr = await readUntil(proc.stderr.getReader(), "broken on purpose");
    expect(stderr).toContain("script error [t / probe]: broken on purpose");
    proc.kill("SIGKILL");
    await proc.exited;
    const report = await runIndus(["report", id, "--format", "json"], { env });
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout);
    expect(json.run.state).toBe("aborted");
    expect(json.run.script_errors).toEqual([expect.objectContaining({ scenario: "t", step: "probe", message: "broken on purpose", agent: "local" })]);
  });

  test("an unknown run id is a clear error, exit 2", async () => {
    const r = await runIndus(["status", "ffffffff", "--controller", "127.0.0.1:1"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("127.0.0.1:1");
  });
});
