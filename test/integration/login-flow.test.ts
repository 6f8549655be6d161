// Multi-step flows against the real mock target: login → token → use it, checks, extraction, cookies, redirects, data, env.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { collectPlanInputs, parsePlan, type PlanInputs } from "../../src/plan/index.ts";
import { formatSummary } from "../../src/report/text/index.ts";
import { runFleet } from "./open-model.helpers.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

const examples = join(import.meta.dir, "../../examples");

/** Requests the target served per path while `work` ran. */
async function served<T>(work: () => Promise<T>): Promise<{ byPath: Record<string, number>; result: T }> {
  const before = target.stats().byPath;
  const result = await work();
  const after = target.stats().byPath;
  return { byPath: Object.fromEntries(Object.keys(after).map((p) => [p, after[p]! - (before[p] ?? 0)])), result };
}

async function inputsFor(yaml: string, planFile: string, env: Record<string, string> = {}): Promise<PlanInputs> {
  return collectPlanInputs(parsePlan(yaml, planFile), { planFile, planYaml: yaml }, env);
}

describe("examples/login-flow.yaml", () => {
  for (const engine of ["socket", "fetch"] as const) {
    test(`${engine}: logs in, uses the token and the session cookie, follows the redirect; every check passes`, async () => {
      const planFile = join(examples, "login-flow.yaml");
      const yaml = readFileSync(planFile, "utf8").replaceAll("http://localhost:8080", target.url).replace('duration: "30s"', 'duration: "3s"');
      const inputs = await inputsFor(yaml, planFile);
      const { byPath, result } = await served(() => runFleet(yaml, { engine, inputs, planFile }));
      const sc = result.summary.scenarios[0]!;
      expect(sc.stats.iterations).toBe(60);
      expect(sc.stats.errors).toBe(0);
      expect(sc.stats.checks).toBe(1);
      expect(sc.stats.checks_passed).toBe(60 * 8);
      // one login per iteration; /api/me twice: asked for, and where the redirect leads
      expect(byPath["/api/login"]).toBe(60);
      expect(byPath["/api/me"]).toBe(120);
      expect(byPath["/api/redirect"]).toBe(60);
      expect(sc.steps.map((st) => st.stats.requests)).toEqual([60, 60, 120]);
      expect(sc.steps[0]!.checks?.map((c) => c.name)).toEqual(["status 200", "json token exists", 'json user.name equals "{{username}}"']);
      expect(result.thresholds.every((t) => t.passed)).toBe(true);
      expect(formatSummary(result.summary)).toContain("CHECKS:\nsign-in-and-browse / login\n  ✓ status 200");
    }, 20_000);
  }
});

const closed = (steps: string, extra = "") => `name: login-flow
scenarios:
  j:
    duration: 2s
    think_time: 50ms
    profile: { type: constant, vus: 2 }
${extra}    steps:
${steps}`;

describe("checks", () => {
  test("a failed check counts in the checks metric and, by default, as an error of class check", async () => {
    const result = await runFleet(
      closed(`      - { name: strict, url: ${target.url}/healthz, check: { status: 201, body: ok } }
      - { name: lenient, url: ${target.url}/healthz, check_as_error: false, check: { status: 201 } }
`) + `thresholds:
  - { metric: checks, condition: ">", value: 0.9 }
`,
    );
    const [strict, lenient] = result.summary.scenarios[0]!.steps;
    expect(strict!.checks).toEqual([
      { name: "status 201", passes: 0, fails: strict!.stats.requests },
      { name: 'body contains "ok"', passes: strict!.stats.requests, fails: 0 },
    ]);
    expect(strict!.stats.errors).toBe(strict!.stats.requests);
    expect(strict!.stats.errorsByClass).toEqual({ check: strict!.stats.requests });
    expect(lenient!.stats.errors).toBe(0);
    expect(lenient!.stats.checks).toBe(0);
    // three checks per iteration, one passes
    expect(result.summary.global.checks).toBeCloseTo(1 / 3, 2);
    expect(result.thresholds[0]).toMatchObject({ passed: false });
    expect(result.passed).toBe(false);
  }, 10_000);

  test("a request that failed already is not counted twice: its class stays http_4xx", async () => {
    const result = await runFleet(closed(`      - { name: missing, url: ${target.url}/nope, check: { status: 200 } }\n`));
    const st = result.summary.scenarios[0]!.steps[0]!;
    expect(st.stats.errorsByClass).toEqual({ http_4xx: st.stats.requests });
    expect(st.checks?.[0]?.fails).toBe(st.stats.requests);
  }, 10_000);
});

describe("extraction, templates, cookies, redirects", () => {
  test("header, regex, cookie and JSON extraction feed templates; built-ins and env render", async () => {
    const yaml = closed(`      - name: login
        method: POST
        url: ${target.url}/api/login
        body: '{"username": "vu{{vu}}", "password": "x"}'
        extract:
          token: { json: token }
          kind: { header: content-type }
          name: { regex: '"name":"([a-z0-9]+)"' }
          session: { cookie: session }
      - name: order
        method: POST
        url: ${target.url}/api/orders
        headers: { Content-Type: application/json }
        body: '{"who": "{{name}}", "vu": {{vu}}, "it": {{iteration}}, "dice": {{random_int(4, 4)}}, "team": "{{env.TEAM}}", "kind": "{{kind}}", "session": "{{session}}", "id": "{{uuid}}", "at": {{timestamp}}}'
        check:
          status: 201
          json:
            order.dice: 4
            order.team: blue
            order.who: "vu{{vu}}"
            order.vu: { exists: true }
            order.kind: application/json
            order.session: { exists: true }
`);
    const result = await runFleet(yaml, { inputs: await inputsFor(yaml, "inline.yaml", { TEAM: "blue" }) });
    const order = result.summary.scenarios[0]!.steps[1]!;
    expect(order.stats.requests).toBeGreaterThan(4);
    expect(order.checks?.every((c) => c.fails === 0)).toBe(true);
    expect(order.stats.errors).toBe(0);
  }, 10_000);

  test("the cookie jar sends the session back, and `cookies: false` does not", async () => {
    const steps = `      - { name: login, method: POST, url: ${target.url}/api/login, body: '{"username": "ada"}', extract: { token: { json: token } } }
      - name: me
        url: ${target.url}/api/me
        headers: { Authorization: "Bearer {{token}}" }
        check: { json: { session: { exists: true } }, body: '"session":"s' }
`;
    const withJar = await runFleet(closed(steps));
    const withoutJar = await runFleet(closed(steps, "    cookies: false\n"));
    const checksOf = (r: typeof withJar) => r.summary.scenarios[0]!.steps[1]!.checks!;
    expect(checksOf(withJar).every((c) => c.fails === 0)).toBe(true);
    // without a jar the session is null: it exists (as null) but the body has no session id
    expect(checksOf(withoutJar).find((c) => c.name.startsWith("body"))!.passes).toBe(0);
  }, 10_000);

  test("redirects are followed by default (each hop counted), and not with follow_redirects: false", async () => {
    const { byPath, result } = await served(() =>
      runFleet(
        closed(`      - { name: follow, url: "${target.url}/api/redirect?to=/healthz", check: { status: 200, json: { status: ok } } }
      - { name: stay, url: "${target.url}/api/redirect?to=/healthz", follow_redirects: false, check: { status: 302 } }
`),
      ),
    );
    const [follow, stay] = result.summary.scenarios[0]!.steps;
    const iterations = result.summary.scenarios[0]!.stats.iterations;
    expect(follow!.checks!.every((c) => c.fails === 0)).toBe(true);
    expect(stay!.checks![0]).toMatchObject({ fails: 0 });
    expect(follow!.stats.requests).toBeGreaterThanOrEqual(2 * iterations);
    expect(byPath["/api/redirect"]).toBe(follow!.stats.requests / 2 + stay!.stats.requests);
    expect(result.summary.global.errors).toBe(0);
  }, 10_000);

  test("a redirect loop stops after 10 hops", async () => {
    const result = await runFleet(`name: loop
scenarios:
  loop:
    duration: 1s
    profile: { type: constant_rate, rate: 1, pre_allocated_vus: 1 }
    steps:
      - { name: loop, url: "${target.url}/api/redirect?to=self", check: { status: 302 } }
`);
    const st = result.summary.scenarios[0]!.steps[0]!;
    expect(st.stats.requests).toBe(11);
    expect(st.checks![0]).toMatchObject({ passes: 1, fails: 0 });
  }, 10_000);
});

describe("data files", () => {
  test("unique rows run once each across every agent and VU, then the VUs stop", async () => {
    const planFile = join(examples, "unique.yaml");
    const yaml = `name: unique
scenarios:
  once:
    duration: 2s
    profile: { type: constant, vus: 3 }
    data: { file: data/users.csv, order: unique }
    steps:
      - name: login
        method: POST
        url: ${target.url}/api/login
        body: '{"username": "{{username}}", "password": "{{password}}"}'
        check: { json: { user.name: "{{username}}" } }
`;
    const inputs = await inputsFor(yaml, planFile);
    const { byPath, result } = await served(() => runFleet(yaml, { planFile, inputs, agents: [0, 0] }));
    // users.csv has 8 rows: 8 logins in all, however the 3 VUs were spread over the 2 agents
    expect(byPath["/api/login"]).toBe(8);
    expect(result.summary.scenarios[0]!.steps[0]!.checks![0]).toEqual({ name: 'json user.name equals "{{username}}"', passes: 8, fails: 0 });
  }, 10_000);

  test("under the open model, arrivals with no unique row left are dropped", async () => {
    const planFile = join(examples, "unique-rate.yaml");
    const yaml = `name: unique-rate
scenarios:
  once:
    duration: 1s
    profile: { type: constant_rate, rate: 20, pre_allocated_vus: 2, max_vus: 20 }
    data: { file: data/users.csv, order: unique }
    steps:
      - { name: login, method: POST, url: ${target.url}/api/login, body: '{"username": "{{username}}"}' }
`;
    const result = await runFleet(yaml, { planFile, inputs: await inputsFor(yaml, planFile) });
    const s = result.summary.scenarios[0]!.stats;
    expect(s.iterations).toBe(8);
    expect(s.dropped_iterations).toBe(12);
  }, 10_000);
});

describe("windowed thresholds", () => {
  test("a stall mid-run fails p95 over the last 2 s and aborts the run; the same threshold over the whole run would pass", async () => {
    const started = performance.now();
    const run = runFleet(`name: degrade
scenarios:
  browse:
    duration: 20s
    think_time: 100ms
    profile: { type: constant, vus: 1 }
    steps:
      - { name: users, url: ${target.url}/api/users }
thresholds:
  - { metric: p95, condition: "<", value: 1000 }
  - { metric: p95, condition: "<", value: 1000, window: 2s, abort_on_fail: true }
`);
    await Bun.sleep(5000);
    target.stall(2500);
    const result = await run;
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(result.state).toBe("failed");
    expect(result.reason).toBe("threshold p95 < 1000 over 2s failed (abort_on_fail)");
    const [whole, windowed] = result.thresholds;
    expect(whole!.passed).toBe(true);
    expect(windowed!.firstFailedAtMs).toBeGreaterThanOrEqual(6000);
  }, 30_000);
});
