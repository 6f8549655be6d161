// `indus run` and `indus validate` with a login-flow plan: the data file beside the plan, env from the shell, checks printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { runIndus, tempDir, writePlan } from "../helpers.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

const PLAN = `name: cli-login-flow
scenarios:
  sign-in:
    duration: 2s
    profile: { type: constant_rate, rate: 10, pre_allocated_vus: 2, max_vus: 10 }
    data: { file: people.csv }
    steps:
      - name: login
        method: POST
        url: "{{env.TARGET}}/api/login"
        body: '{"username": "{{who}}"}'
        check: { status: 200, json: { user.name: "{{who}}" } }
        extract: { token: { json: token } }
      - name: me
        url: "{{env.TARGET}}/api/me"
        headers: { Authorization: "Bearer {{token}}" }
        check: { status: 200 }
thresholds:
  - { metric: checks, condition: ">", value: 0.99 }
  - { metric: p99_intended, condition: "<", value: 1000 }
`;

describe("indus with a login-flow plan", () => {
  test("run: reads the data file beside the plan and env from the shell; prints checks and both latencies; exit 0", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "people.csv"), "who\nada\ngrace\n");
    const file = writePlan(PLAN, dir);
    const r = await runIndus(["run", file, "--workers", "1", "--data-dir", join(dir, "store")], { env: { TARGET: target.url } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("from intended start:");
    expect(r.stdout).toContain("CHECKS:\nsign-in / login\n  ✓ status 200");
    expect(r.stdout).toContain("✓ p99_intended < 1000");
  }, 30_000);

  test("validate: a missing env var and a missing data file are each named with their line; exit 2", async () => {
    const file = writePlan(PLAN, tempDir());
    const r = await runIndus(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${file}:6:19: scenarios.sign-in.data.file: cannot read the data file ${join(file, "..", "people.csv")}: no such file`);
    expect(r.stderr).toContain(`${file}:10:14: scenarios.sign-in.steps[0].url: {{env.TARGET}}: the environment variable TARGET is not set`);
  }, 30_000);
});
