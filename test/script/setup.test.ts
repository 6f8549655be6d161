// setup() and teardown(): once each, the shared value as JSON, failures and timeouts as ScriptSetupError, bad exports as bad input.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { IndusError } from "../../src/core/errors.ts";
import { createSocketEngine } from "../../src/engine/index.ts";
import { runScriptSetup } from "../../src/engine/script/index.ts";
import { scriptPlan, startTarget, type Target } from "./fixture.ts";

let target: Target;
beforeAll(() => {
  target = startTarget();
});
afterAll(() => target.stop());

const plan = `name: t
scenarios:
  s:
    duration: "5s"
    profile: { type: constant, vus: 1 }
    data: { file: rows.csv }
    script: ./flow.ts
`;

describe("setup and teardown", () => {
  test("setup's result travels as JSON; teardown gets it back; ctx has http, env and every data row; requests are real", async () => {
    const p = await scriptPlan(plan, {
      "rows.csv": "user\nann\nbob\n",
      "flow.ts": `
        export async function setup(ctx) {
          const r = await ctx.http.get("${target.url}/json");
          return { n: r.json().n, users: ctx.data.map((row) => row.user), scenario: ctx.scenario, at: new Date(0) };
        }
        export default async () => {};
        export async function teardown(ctx, shared) {
          await ctx.http.post("${target.url}/json", { json: shared });
        }`,
    });
    const before = target.hits.get("/json") ?? 0;
    const life = await runScriptSetup(p.shipped(), createSocketEngine(), {});
    expect(JSON.parse(life.shared.s!)).toEqual({ n: 1, users: ["ann", "bob"], scenario: "s", at: "1970-01-01T00:00:00.000Z" });
    expect(life.hasTeardown).toBe(true);
    await life.teardown();
    expect((target.hits.get("/json") ?? 0) - before).toBe(2);
    p.cleanup();
  });

  test("setup throwing, or too slow: ScriptSetupError naming the file and the error", async () => {
    const p = await scriptPlan(plan.replace("    data: { file: rows.csv }\n", ""), { "flow.ts": `export async function setup() { throw new TypeError("no account"); }\nexport default async () => {};\n` });
    await expect(runScriptSetup(p.shipped(), createSocketEngine(), {})).rejects.toThrow(/^\.\/flow\.ts: setup\(\) failed: TypeError: no account \(at flow\.ts:1:\d+\)$/);
    const slow = await scriptPlan(plan.replace("    data: { file: rows.csv }\n", ""), { "flow.ts": `export async function setup() { await new Promise(() => {}); }\nexport default async () => {};\n` });
    await expect(runScriptSetup(slow.shipped(), createSocketEngine(), {}, { timeoutMs: 50 })).rejects.toThrow("./flow.ts: setup() did not finish within 50ms");
    p.cleanup();
    slow.cleanup();
  });

  test("teardown failing is reported; a module without a default export is bad input (exit 2)", async () => {
    const p = await scriptPlan(plan.replace("    data: { file: rows.csv }\n", ""), { "flow.ts": `export default async () => {};\nexport function teardown() { throw new Error("cleanup failed"); }\n` });
    const life = await runScriptSetup(p.shipped(), createSocketEngine(), {});
    expect(life.shared).toEqual({});
    await expect(life.teardown()).rejects.toThrow("./flow.ts: teardown() failed: cleanup failed");
    const bad = await scriptPlan(plan.replace("    data: { file: rows.csv }\n", ""), { "flow.ts": `export const x = 1;\n` });
    const e = await runScriptSetup(bad.shipped(), createSocketEngine(), {}).catch((x) => x);
    expect(e).toBeInstanceOf(IndusError);
    expect((e as IndusError).exitCode).toBe(2);
    expect((e as Error).message).toContain("./flow.ts: it has no default export");
    p.cleanup();
    bad.cleanup();
  });
});
