// Script VUs in one thread against a real target: requests, steps, checks, state, data, env, errors as data, both load models.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createRealClock } from "../../src/core/clock.ts";
import { createFetchEngine, createSocketEngine } from "../../src/engine/index.ts";
import { createInThreadExecutor } from "../../src/engine/runner/executor.ts";
import type { ScriptErrorReport } from "../../src/engine/script/index.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import type { Plan } from "../../src/plan/types.ts";
import { scriptPlan, startTarget, until, type Target } from "./fixture.ts";

let target: Target;
beforeAll(() => {
  target = startTarget();
});
afterAll(() => target.stop());
// each test waits for its own requests
beforeEach(() => target.hits.clear());

const closed = (script = "./flow.ts", extra = "") => `
name: t
scenarios:
  s:
    duration: "30s"
    profile: { type: constant, vus: 2 }
    script: ${script}
${extra}`;

/** Runs a plan's scenario "s" in this thread until cond holds on what was recorded; returns it all, merged. */
async function run(plan: Plan, cond: (acc: SnapshotAccumulator) => boolean, opts: { rate?: boolean; vus?: number } = {}) {
  const errors: ScriptErrorReport[] = [];
  const executor = createInThreadExecutor(plan, createSocketEngine(), createRealClock(), { spreadMs: 0, monitorGenerator: false, onScriptError: (r) => errors.push(r) });
  await executor.ready;
  const acc = new SnapshotAccumulator();
  if (opts.rate) executor.setRate!("s", { offset: 0, stride: 1, from: 0, preAllocatedVus: 2, maxVus: 4 });
  else executor.setVus("s", opts.vus ?? 2);
  try {
    await until(() => cond(acc), 10_000, "the script's requests");
  } finally {
    acc.add(await executor.stop("graceful"));
  }
  return { acc, errors };
}

describe("script VUs", () => {
  test("requests are recorded per step (option, vu.step, default); vu.state persists; checks count on the current step", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `
        import type { VU } from "indus";
        export default async function (vu: VU) {
          vu.state.n = (vu.state.n ?? 0) + 1;
          await vu.http.get("${target.url}/ok", { step: "named" });
          await vu.step("grouped", async () => {
            const r = await vu.http.get("${target.url}/json");
            vu.check("n is 1", r.json().n === 1);
            vu.check("state grows", vu.state.n === vu.iteration + 1);
          });
          await vu.http.get("${target.url}/ok");
        }`,
    });
    const { acc, errors } = await run(p.shipped(), (a) => (target.hits.get("/json") ?? 0) >= 20);
    expect(errors).toEqual([]);
    expect(acc.stepNames("s").sort()).toEqual(["default", "grouped", "named"]);
    const named = acc.stats({ scenario: "s", step: "named" }, 1)!;
    const grouped = acc.stats({ scenario: "s", step: "grouped" }, 1)!;
    expect(named.requests).toBeGreaterThanOrEqual(20);
    expect(Math.abs(grouped.requests - named.requests)).toBeLessThanOrEqual(2);
    expect(named.errors + grouped.errors).toBe(0);
    const checks = acc.checks("s", "grouped");
    expect(checks["n is 1"]!.fails).toBe(0);
    expect(checks["state grows"]!.fails).toBe(0);
    expect(checks["state grows"]!.passes).toBeGreaterThanOrEqual(20);
    p.cleanup();
  });

  test("an exception is one error of class script on the current step, reported once with its user frame; the VU goes on", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `
        import { explode } from "./lib/explode.ts";
        export default async function (vu) {
          await vu.http.get("${target.url}/ok", { step: "before" });
          if (vu.iteration % 2 === 1) await vu.step("boom", () => explode(vu.iteration));
          const r = await vu.http.get("${target.url}/ok", { step: "parse" });
          r.json(); // not JSON: throws on the step of the latest request
        }`,
      "lib/explode.ts": `export function explode(n: number): never {\n  throw new Error("exploded");\n}\n`,
    });
    const { acc, errors } = await run(p.shipped(), () => (target.hits.get("/ok") ?? 0) >= 60);
    const boom = acc.stats({ scenario: "s", step: "boom" }, 1)!;
    const parse = acc.stats({ scenario: "s", step: "parse" }, 1)!;
    expect(boom.errorsByClass).toEqual({ script: boom.requests });
    expect(boom.requests).toBeGreaterThan(5);
    // every iteration that reached "parse" threw there: one request and one script error each
    expect(parse.errorsByClass.script).toBeGreaterThan(5);
    expect(parse.requests).toBe(parse.errorsByClass.script! * 2);
    // reported once per distinct message, with the first frame in the user's own file
    expect(errors.map((e) => `${e.step}: ${e.message}`).sort()).toEqual([
      "boom: exploded",
      expect.stringMatching(/^parse: the response body is not JSON/),
    ]);
    expect(errors.find((e) => e.step === "boom")!.frame).toMatch(/lib\/explode\.ts:2:\d+$/);
    p.cleanup();
  });

  test("a failed check turns the request it judged into an error of class check (once); asError: false does not", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `
        export default async function (vu) {
          await vu.http.get("${target.url}/ok", { step: "a" });
          vu.check("never", false);
          vu.check("never again", false);
          await vu.http.get("${target.url}/ok", { step: "b" });
          vu.check("soft", false, { asError: false });
          await vu.http.get("${target.url}/fail", { step: "c" });
          vu.check("on a 500", false);
        }`,
    });
    const { acc } = await run(p.shipped(), () => (target.hits.get("/fail") ?? 0) >= 10);
    const a = acc.stats({ scenario: "s", step: "a" }, 1)!;
    const b = acc.stats({ scenario: "s", step: "b" }, 1)!;
    const c = acc.stats({ scenario: "s", step: "c" }, 1)!;
    expect(a.errorsByClass).toEqual({ check: a.requests });
    expect(b.errors).toBe(0);
    expect(c.errorsByClass).toEqual({ http_5xx: c.requests });
    expect(acc.checks("s", "b").soft!.fails).toBe(b.requests);
    p.cleanup();
  });

  test("timeouts, refused connections and cookies behave as for plan steps", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `
        export default async function (vu) {
          const slow = await vu.http.get("${target.url}/slow", { step: "slow", timeout: "100ms" });
          vu.state.slow = slow.error;
          await vu.http.get("http://127.0.0.1:1/", { step: "refused", timeout: "1s" });
          await vu.http.get("${target.url}/cookie", { step: "cookie" });
          const echo = await vu.http.get("${target.url}/echo-cookie", { step: "echo" });
          vu.check("cookie sent back", echo.text() === "a=1");
          const hop = await vu.http.get("${target.url}/hop", { step: "hop" });
          vu.check("redirect followed", hop.status === 200 && hop.text() === "ok");
        }`,
    });
    const { acc } = await run(p.shipped(), () => (target.hits.get("/echo-cookie") ?? 0) >= 4);
    expect(acc.stats({ scenario: "s", step: "slow" }, 1)!.errorsByClass).toEqual({ timeout: expect.any(Number) });
    expect(Object.keys(acc.stats({ scenario: "s", step: "refused" }, 1)!.errorsByClass)).toEqual(["connect_refused"]);
    expect(acc.checks("s", "echo")["cookie sent back"]!.fails).toBe(0);
    expect(acc.checks("s", "hop")["redirect followed"]!.fails).toBe(0);
    // the 302 and the 200 it led to are both requests of the step
    const hop = acc.stats({ scenario: "s", step: "hop" }, 1)!;
    expect(hop.requests % 2).toBe(0);
    p.cleanup();
  }, 20_000);

  test("vu.data is the iteration's row, vu.env what the script reads, shared the setup result (frozen); YAML steps run after the script", async () => {
    const p = await scriptPlan(
      closed("./flow.ts", "") .replace("    script: ./flow.ts", `    script: ./flow.ts
    data: { file: rows.csv }
    steps:
      - { name: yaml, url: "${target.url}/ok?u={{user}}&t={{token}}" }`),
      {
        "rows.csv": "user\nann\nbob\n",
        "flow.ts": `
          export default async function (vu, shared) {
            vu.vars.set("token", shared.token);
            vu.check("env read", vu.env.SCRIPT_TEST_VALUE === "42");
            vu.check("row", vu.data.user === "ann" || vu.data.user === "bob");
            let frozen = false;
            try { shared.token = "x"; } catch { frozen = true; }
            vu.check("shared is frozen", frozen && shared.token === "t0k");
            await vu.http.get("${target.url}/json", { step: "script" });
          }`,
      },
      { SCRIPT_TEST_VALUE: "42", OTHER_SECRET: "never sent" },
    );
    expect(p.inputs.env).toEqual({ SCRIPT_TEST_VALUE: "42" });
    const shipped = p.shipped({ s: JSON.stringify({ token: "t0k" }) });
    expect(shipped.scenarios[0]!.script!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { acc } = await run(shipped, () => (target.hits.get("/ok") ?? 0) >= 10);
    // checked before the iteration's first request: on the default step
    const checks = acc.checks("s", "default");
    for (const name of ["env read", "row", "shared is frozen"]) expect(checks[name]!.fails).toBe(0);
    expect(acc.stepNames("s")).toContain("yaml");
    expect(acc.stats({ scenario: "s", step: "yaml" }, 1)!.errors).toBe(0);
    p.cleanup();
  });

  test("an arrival-rate profile drives the script: iterations start on the clock, latency from the intended start is recorded", async () => {
    const p = await scriptPlan(
      `
name: t
scenarios:
  s:
    duration: "30s"
    profile: { type: constant_rate, rate: 50, time_unit: "1s", pre_allocated_vus: 2, max_vus: 4 }
    script: ./flow.ts
`,
      { "flow.ts": `export default async (vu) => { await vu.http.get("${target.url}/ok", { step: "one" }); await vu.sleep(1); }` },
    );
    const { acc } = await run(p.shipped(), () => (target.hits.get("/ok") ?? 0) >= 150, { rate: true });
    const one = acc.stats({ scenario: "s", step: "one" }, 1)!;
    expect(one.requests).toBeGreaterThanOrEqual(10);
    expect(one.errors).toBe(0);
    expect(one.p95_intended).toBeGreaterThan(0);
    p.cleanup();
  });

  test("a bundle that does not match the hash the controller sent is refused before any VU starts", async () => {
    const p = await scriptPlan(closed(), { "flow.ts": `export default async () => {}` });
    const plan = p.shipped();
    const tampered: Plan = { ...plan, scenarios: plan.scenarios.map((sc) => ({ ...sc, script: { ...sc.script!, code: sc.script!.code + "\n// changed" } })) };
    const executor = createInThreadExecutor(tampered, createSocketEngine(), createRealClock(), { monitorGenerator: false });
    await expect(executor.ready).rejects.toThrow(/hashes to sha256 .* not the .* the controller sent/);
    await executor.stop("abort");
    p.cleanup();
  });
});

describe("script VUs, more", () => {
  test("requests started together on one VU take turns on its connection; sleeps together all end", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `
        export default async function (vu) {
          const [a, b, c] = await Promise.all([
            vu.http.get("${target.url}/json", { step: "together" }),
            vu.http.get("${target.url}/ok", { step: "together" }),
            vu.http.post("${target.url}/json", { json: { k: vu.id } }, { step: "together" }),
          ]);
          await Promise.all([vu.sleep(5), vu.sleep("5ms")]);
          vu.check("all answered", a.json().n === 1 && b.text() === "ok" && c.json().echo.k === vu.id);
        }`,
    });
    const { acc } = await run(p.shipped(), () => (target.hits.get("/ok") ?? 0) >= 20);
    const together = acc.stats({ scenario: "s", step: "together" }, 1)!;
    expect(together.errors).toBe(0);
    expect(acc.checks("s", "together")["all answered"]!.fails).toBe(0);
    p.cleanup();
  });

  test("an iteration that neither sends nor sleeps does not hold the thread: iterations are counted, the run's timers fire", async () => {
    const p = await scriptPlan(closed(), { "flow.ts": `export default (vu) => { vu.state.n = (vu.state.n ?? 0) + 1; };` });
    const executor = createInThreadExecutor(p.shipped(), createSocketEngine(), createRealClock(), { spreadMs: 0, monitorGenerator: false });
    await executor.ready;
    executor.setVus("s", 2);
    // before the change this timer never fired: the VUs' iterations resolved in microtasks, one after the other
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const acc = new SnapshotAccumulator();
    acc.add(await executor.stop("graceful"));
    expect(acc.stats({ scenario: "s" }, 1)!.iterations).toBeGreaterThan(0);
    p.cleanup();
  });

  test("the fetch engine runs scripts too", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `export default async (vu) => { const r = await vu.http.get("${target.url}/json", { step: "f" }); vu.check("json", r.json().n === 1); };`,
    });
    const executor = createInThreadExecutor(p.shipped(), createFetchEngine(), createRealClock(), { spreadMs: 0, monitorGenerator: false });
    await executor.ready;
    executor.setVus("s", 2);
    await until(() => (target.hits.get("/json") ?? 0) >= 10);
    const acc = new SnapshotAccumulator();
    acc.add(await executor.stop("graceful"));
    expect(acc.stats({ scenario: "s", step: "f" }, 1)!.errors).toBe(0);
    expect(acc.checks("s", "f").json!.fails).toBe(0);
    p.cleanup();
  });

  test("errors are reported once per distinct message, at most 10 per thread; every one is counted", async () => {
    const p = await scriptPlan(closed(), {
      "flow.ts": `export default async (vu) => { await vu.http.get("${target.url}/ok", { step: "e" }); throw new Error("failure " + (vu.iteration % 15)); };`,
    });
    const { acc, errors } = await run(p.shipped(), () => (target.hits.get("/ok") ?? 0) >= 60);
    expect(errors.length).toBe(10);
    expect(new Set(errors.map((e) => e.message)).size).toBe(10);
    const e = acc.stats({ scenario: "s", step: "e" }, 1)!;
    expect(e.errorsByClass.script).toBeGreaterThanOrEqual(30);
    p.cleanup();
  });
});
