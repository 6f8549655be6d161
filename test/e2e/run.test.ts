// End to end: the compiled binary runs real plans against a real mock target and exits 0 / 1 / 2.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { runIndus, spawnIndus, writePlan } from "../helpers.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 5, jitter: 1, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

const plan = (body: string) => `name: e2e\n${body.replaceAll("TARGET", target.url)}`;

describe("indus run (compiled binary)", () => {
  test("a passing plan prints the live table and verdict and exits 0", async () => {
    const file = writePlan(
      plan(`scenarios:
  get-users:
    duration: 3s
    think_time: 50ms
    profile: { type: constant, vus: 4 }
    steps:
      - name: list-users
        url: TARGET/api/users
thresholds:
  - { metric: p95, condition: "<", value: 500 }
  - { metric: error_ratio, condition: "<", value: 0.01 }
`),
    );
    const r = await runIndus(["run", file, "--interval", "1s"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Run started: [0-9a-f]{8} \(state: running\)/);
    expect(r.stdout).toContain("STATE");
    expect(r.stdout).toContain("p95(ms)");
    expect(r.stdout).toMatch(/running\s+1s\s+4\s/);
    expect(r.stdout).toContain("THRESHOLD RESULTS:");
    expect(r.stdout).toMatch(/✓ p95\s+< 500\s+actual: \d+\.\d\d/);
    expect(r.stdout).toContain("All thresholds passed. Exit code: 0");
    expect(r.stdout).toContain("list-users");
    expect(r.stdout).not.toContain("\x1b");
  });

  test("a failing threshold exits 1 and says which", async () => {
    const file = writePlan(
      plan(`scenarios:
  slow:
    duration: 2s
    profile: { type: constant, vus: 2 }
    steps:
      - { name: report, url: TARGET/api/reports/summary }
thresholds:
  - { metric: p95, condition: "<", value: 1 }
`),
    );
    const r = await runIndus(["run", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ p95\s+< 1\s+actual: \d+/);
    expect(r.stdout).toContain("1 of 1 thresholds failed. Exit code: 1");
  });

  test("a bad plan exits 2 with file, line and path, and no stack trace", async () => {
    const file = writePlan(`name: bad
scenarios:
  get-users:
    duration: 30s
    thinktime: 200ms
    profile:
      type: constant
      vus: -3
    steps:
      - name: a
        url: http://127.0.0.1:1/
`);
    const r = await runIndus(["run", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:5:`);
    expect(r.stderr).toContain("think_time");
    expect(r.stderr).toMatch(new RegExp(`${file}:8:\\d+: scenarios\\.get-users\\.profile\\.vus`));
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(r.stdout).toBe("");
  });

  test("a missing file, an unknown flag and an unknown command exit 2", async () => {
    expect((await runIndus(["run", "/nonexistent/plan.yaml"])).code).toBe(2);
    const flag = await runIndus(["run", "examples/basic.yaml", "--bogus"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown flag --bogus");
    expect((await runIndus(["frobnicate"])).code).toBe(2);
  });

  test("a target that is down is data, not a crash", async () => {
    const file = writePlan(
      plan(`scenarios:
  down:
    duration: 2s
    think_time: 100ms
    profile: { type: constant, vus: 2 }
    steps:
      - { name: nothing-there, url: "http://127.0.0.1:9/", timeout: 1s }
thresholds:
  - { metric: error_ratio, condition: "<", value: 0.01 }
`),
    );
    const r = await runIndus(["run", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("connect_refused");
    expect(r.stdout).toMatch(/✗ error_ratio\s+< 0.01\s+actual: 1/);
  });

  test("Ctrl-C stops all VUs within a second, prints what was measured, exits 1 as aborted", async () => {
    const file = writePlan(
      plan(`scenarios:
  long:
    duration: 60s
    think_time: 10ms
    profile: { type: constant, vus: 5 }
    steps:
      - { name: users, url: TARGET/api/users }
`),
    );
    const proc = spawnIndus(["run", file, "--interval", "1s"]);
    const out = new Response(proc.stdout).text();
    await Bun.sleep(2500);
    const before = target.stats().requests;
    const sent = performance.now();
    proc.kill("SIGINT");
    const code = await proc.exited;
    const took = performance.now() - sent;
    await Bun.sleep(300);
    const after = target.stats().requests;
    await Bun.sleep(500);
    expect(code).toBe(1);
    expect(took).toBeLessThan(3000);
    expect(target.stats().requests).toBe(after); // nothing more arrives once it has exited
    expect(after).toBeGreaterThan(before - 1);
    const text = await out;
    expect(text).toContain("Run aborted");
    expect(text).toContain("users");
  });
});
