// Scenario scripts end to end with the compiled binary: the examples locally and on a controller with two agents,
// setup/teardown once per run, script errors printed once, a blocking script seen as saturation, validate and types.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { runIndus, scriptedExamples, tempDir } from "../helpers.ts";
import { ProcGroup, startCluster } from "../distributed/harness.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(() => target.stop());

const hits = (path: string) => target.stats().byPath[path] ?? 0;

/** Step rows of the text summary: name → requests. */
function stepRequests(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stdout.matchAll(/^  (\S[^\n]*?)\s{2,}(\d+)\s+[\d.]+\s/gm)) out[m[1]!.trim()] = Number(m[2]);
  return out;
}

describe("scripted examples, locally (compiled binary)", () => {
  test.each([
    ["login-browse", ["login", "browse"], "/api/me"],
    ["paginated", ["page"], "/api/items"],
    ["hmac", ["signed"], "/api/signed"],
  ])("%s: runs, its steps and checks are reported, thresholds pass, exit 0", async (name, steps, path) => {
    const dir = scriptedExamples();
    const before = hits(path);
    const report = join(dir, "out.json");
    const r = await runIndus(["run", join(dir, `${name}.yaml`), "--report", report, "--data-dir", join(dir, "store")], { env: { TARGET_URL: target.url } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("All thresholds passed. Exit code: 0");
    const rows = stepRequests(r.stdout);
    for (const step of steps) expect(rows[step]).toBeGreaterThan(0);
    expect(hits(path) - before).toBeGreaterThan(0);
    // the JSON report knows the script's steps as it knows a plan's
    const json = JSON.parse(readFileSync(report, "utf8"));
    const scenario = JSON.stringify(json);
    for (const step of steps) expect(scenario).toContain(`"name":"${step}"`);
    // the run store records the bundle's hash and size with the run's plan (not its code)
    const db = new Database(join(dir, "store", "indus.db"), { readonly: true });
    const plan = JSON.parse((db.query("SELECT plan_json FROM runs").get() as { plan_json: string }).plan_json);
    db.close();
    expect(plan.scenarios[0].script).toEqual({ file: expect.stringMatching(/^\.\/flows\/.*\.ts$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number) });
  }, 30_000);

  test("setup() runs once before the VUs and teardown() once after, where indus run runs", async () => {
    const dir = scriptedExamples("2s");
    const before = hits("/healthz");
    const r = await runIndus(["run", join(dir, "login-browse.yaml"), "--workers", "2", "--data-dir", join(dir, "store")], { env: { TARGET_URL: target.url } });
    expect(r.code).toBe(0);
    expect(hits("/healthz") - before).toBe(2);
  }, 30_000);
});

describe("scripted examples across two agents (controller + 2 agents, real processes)", () => {
  test("login-browse and paginated: split over both agents, the same bundle hash verified on each, thresholds pass, exit 0", async () => {
    const g = new ProcGroup();
    try {
      const dir = scriptedExamples("4s");
      const c = await startCluster(g, { agents: 2 });
      const healthBefore = hits("/healthz");
      for (const name of ["login-browse", "paginated"]) {
        const r = await runIndus(["run", join(dir, `${name}.yaml`), "--controller", c.addr, "--interval", "1s"], { env: { TARGET_URL: target.url }, timeoutMs: 40_000 });
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("All thresholds passed. Exit code: 0");
      }
      // setup and teardown ran once per run (in the submitting process), not once per agent
      expect(hits("/healthz") - healthBefore).toBe(2);
      // a script that throws: each agent logs each distinct message once, with the user's file and line
      writeFileSync(join(dir, "throws.ts"), `export default async (vu) => {\n  await vu.http.get("${target.url}/healthz", { step: "probe" });\n  throw new Error("broken on purpose");\n};\n`);
      writeFileSync(join(dir, "throws.yaml"), `name: throws\nscenarios:\n  t:\n    duration: 2s\n    profile: { type: constant, vus: 4 }\n    script: ./throws.ts\nthresholds:\n  - { metric: errors, condition: "<=", value: 0 }\n`);
      const thrown = await runIndus(["run", join(dir, "throws.yaml"), "--controller", c.addr], { timeoutMs: 40_000 });
      expect(thrown.code).toBe(1);
      expect(thrown.stdout).toMatch(/errors by class: script \d+/);
      // and the CLI that submitted the run prints it, once for the run though both agents threw it, naming the agent
      // that reported it first and the user's file and line (it came over gRPC: agent -> controller -> CLI)
      const printed = thrown.stderr.split("\n").filter((l) => l.startsWith("script error"));
      expect(printed).toEqual([expect.stringMatching(/^script error \[t \/ probe\] on agent \S+: broken on purpose$/)]);
      expect(thrown.stderr).toMatch(/\n    at throws\.ts:3:\d+\n/);
      for (const agent of c.agents) {
        const logged = agent.proc.logs().filter((l) => l.msg === "script error");
        expect(logged).toEqual([expect.objectContaining({ scenario: "t", step: "probe", error: "broken on purpose", at: expect.stringMatching(/^throws\.ts:3:\d+$/) })]);
      }
      const recorded = c.controller.logs().filter((l) => l.msg === "script bundle" && String(l.file).startsWith("./flows/"));
      expect(recorded.map((l) => l.file)).toEqual(["./flows/login-browse.ts", "./flows/paginated.ts"]);
      for (const rec of recorded) {
        expect(rec.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(rec.bytes).toBeGreaterThan(100);
        for (const agent of c.agents) {
          const verified = agent.proc.logs().filter((l) => l.msg === "script bundle verified" && l.sha256 === rec.sha256);
          expect(verified.length).toBe(1);
        }
      }
    } finally {
      await g.stop();
    }
  }, 90_000);

  test("hmac across two agents: the script reads SIGNING_SECRET where indus run runs; a wrong secret fails the thresholds (exit 1)", async () => {
    const g = new ProcGroup();
    try {
      const dir = scriptedExamples("3s");
      const c = await startCluster(g, { agents: 2 });
      const good = await runIndus(["run", join(dir, "hmac.yaml"), "--controller", c.addr], { env: { TARGET_URL: target.url }, timeoutMs: 40_000 });
      expect(good.code).toBe(0);
      // the client's env travels with the plan: the agents' own environment has no say
      const bad = await runIndus(["run", join(dir, "hmac.yaml"), "--controller", c.addr], { env: { TARGET_URL: target.url, SIGNING_SECRET: "wrong" }, timeoutMs: 40_000 });
      const [stdout, code] = [bad.stdout, bad.code];
      expect(code).toBe(1);
      expect(stdout).toMatch(/✗ checks/);
      expect(stdout).toMatch(/✗ errors/);
    } finally {
      await g.stop();
    }
  }, 90_000);
});

describe("scripts and --allow-targets", () => {
  test("an agent that restricts targets refuses a plan with a script (its URLs are known only as it runs): exit 2, nothing sent", async () => {
    const g = new ProcGroup();
    try {
      const dir = scriptedExamples("2s");
      const c = await startCluster(g, { agents: 1, agentArgs: ["--allow-targets", new URL(target.url).host] });
      const before = hits("/api/items");
      const r = await runIndus(["run", join(dir, "paginated.yaml"), "--controller", c.addr], { env: { TARGET_URL: target.url }, timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("restricts targets (--allow-targets) and so runs no scripts (scenario walk-pages has one)");
      expect(hits("/api/items")).toBe(before);
    } finally {
      await g.stop();
    }
  }, 60_000);
});

describe("script failures", () => {
  const plan = (script: string) => `name: failing
scenarios:
  s:
    duration: "2s"
    profile: { type: constant, vus: 2 }
    script: ${script}
`;
  function write(files: Record<string, string>): string {
    const dir = tempDir("indus-script-fail-");
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  test("setup() failing: the run does not start, the error is printed, exit 1", async () => {
    const dir = write({
      "plan.yaml": plan("./flow.ts"),
      "flow.ts": `export async function setup() { throw new Error("no test account"); }\nexport default async (vu) => { await vu.http.get("${target.url}/api/users"); };\n`,
    });
    const before = hits("/api/users");
    const r = await runIndus(["run", join(dir, "plan.yaml"), "--data-dir", join(dir, "store")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flow.ts: setup() failed: no test account");
    expect(r.stdout).not.toContain("Run started");
    expect(hits("/api/users")).toBe(before);
  }, 30_000);

  test("an exception per iteration: class script on its step, each distinct message printed once with its line; the run goes on", async () => {
    const dir = write({
      "plan.yaml": plan("./flow.ts"),
      "flow.ts": [
        `export default async (vu) => {`,
        `  await vu.http.get("${target.url}/api/users", { step: "users" });`,
        `  if (vu.iteration % 2 === 0) throw new Error("even iteration");`,
        `  throw new TypeError("odd iteration");`,
        `};`,
      ].join("\n"),
    });
    const report = join(dir, "out.json");
    const r = await runIndus(["run", join(dir, "plan.yaml"), "--report", report, "--data-dir", join(dir, "store")]);
    expect(r.code).toBe(0);
    const printed = r.stderr.split("\n").filter((l) => l.startsWith("script error"));
    expect(printed.sort()).toEqual(["script error [s / users]: TypeError: odd iteration", "script error [s / users]: even iteration"]);
    // the first frame in the user's code, named relative to the plan
    expect(r.stderr).toMatch(/\n    at flow\.ts:3:\d+\n/);
    expect(r.stderr).toMatch(/\n    at flow\.ts:4:\d+\n/);
    const users = JSON.parse(readFileSync(report, "utf8")).summary.scenarios[0].steps.find((s: { name: string }) => s.name === "users");
    expect(users.errors_by_class.script).toBeGreaterThan(10);
    // each iteration: one request and one script error
    expect(users.requests).toBe(users.errors_by_class.script * 2);
  }, 30_000);

  test("a script that blocks its worker shows up as generator saturation", async () => {
    const dir = write({
      "plan.yaml": plan("./flow.ts").replace('duration: "2s"', 'duration: "6s"').replace("vus: 2", "vus: 1"),
      "flow.ts": `export default async (vu) => {\n  const end = performance.now() + 300;\n  while (performance.now() < end) {}\n  await vu.http.get("${target.url}/healthz", { step: "spin" });\n};\n`,
    });
    const r = await runIndus(["run", join(dir, "plan.yaml"), "--workers", "1", "--data-dir", join(dir, "store")]);
    expect(r.stdout).toContain("generator saturated");
  }, 30_000);

  test("validate: a syntax error is named by file:line:column, a missing default export by file; exit 2", async () => {
    const bad = write({ "plan.yaml": plan("./flow.ts"), "flow.ts": "export default async function (vu) {\n  const x = ;\n}\n" });
    const r1 = await runIndus(["validate", join(bad, "plan.yaml")]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/flow\.ts:2:\d+: .*Unexpected/);
    const noDefault = write({ "plan.yaml": plan("./flow.ts"), "flow.ts": "export const x = 1;\n" });
    const r2 = await runIndus(["validate", join(noDefault, "plan.yaml")]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("flow.ts: it has no default export");
    const good = write({ "plan.yaml": plan("./flow.ts"), "flow.ts": "export default async () => {};\n" });
    const r3 = await runIndus(["validate", join(good, "plan.yaml")]);
    expect(r3.code).toBe(0);
    expect(r3.stdout).toMatch(/script \.\/flow\.ts \(\d+ bytes bundled\)/);
    const missing = write({ "plan.yaml": plan("./nowhere.ts") });
    const r4 = await runIndus(["validate", join(missing, "plan.yaml")]);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain("the script ./nowhere.ts does not exist");
  }, 30_000);

  test("types: declarations for editors", async () => {
    const r = await runIndus(["types"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('declare module "indus"');
    expect(r.stdout).toContain("export interface VU");
  });
});
