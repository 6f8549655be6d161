// Script tests' fixtures: a plan and its flow files in a temp dir, bundled and attached as `indus run` does; a small target.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { bundlePlanScripts } from "../../src/engine/script/index.ts";
import { attachPlanInputs, collectPlanInputs, parsePlan, type PlanInputs } from "../../src/plan/index.ts";
import type { Plan } from "../../src/plan/types.ts";
import { tempDir } from "../helpers.ts";

export interface ScriptPlan {
  dir: string;
  planFile: string;
  plan: Plan;
  inputs: PlanInputs;
  /** the plan with bundles, env and (given) setup results attached: what agents get */
  shipped(shared?: Record<string, string>): Plan;
  cleanup(): void;
}

/** Writes plan.yaml and files (path → text) into a temp dir, then bundles the scripts as `indus run` would. */
export async function scriptPlan(yaml: string, files: Record<string, string>, env: Record<string, string> = {}): Promise<ScriptPlan> {
  const dir = tempDir("indus-script-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const planFile = join(dir, "plan.yaml");
  writeFileSync(planFile, yaml);
  const plan = parsePlan(yaml, planFile);
  const base = await collectPlanInputs(plan, { planFile, planYaml: yaml }, env);
  const bundled = await bundlePlanScripts(plan, planFile, env);
  const inputs: PlanInputs = { ...base, files: { ...base.files, ...bundled.files }, env: { ...bundled.env, ...base.env } };
  return {
    dir,
    planFile,
    plan,
    inputs,
    shipped: (shared) => attachPlanInputs(plan, { ...inputs, ...(shared ? { shared } : {}) }, { planFile, planYaml: yaml }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Target {
  url: string;
  /** requests per path so far */
  hits: Map<string, number>;
  stop(): Promise<void>;
}

/**
 * 127.0.0.1, port 0: /ok (200 text), /json ({"n": 1}), /fail (500), /slow (answers after 2 s),
 * /cookie (sets a=1), /echo-cookie (the Cookie header back), /hop (302 to /ok), /block?ms= (answers after ms).
 */
export function startTarget(): Target {
  const hits = new Map<string, number>();
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 30,
    async fetch(req) {
      const url = new URL(req.url);
      hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
      switch (url.pathname) {
        case "/ok":
          return new Response("ok");
        case "/json":
          return Response.json({ n: 1, echo: req.method === "POST" ? await req.json().catch(() => null) : null });
        case "/fail":
          return new Response("no", { status: 500 });
        case "/slow":
          await Bun.sleep(2000);
          return new Response("late");
        case "/cookie":
          return new Response("set", { headers: { "set-cookie": "a=1; Path=/" } });
        case "/echo-cookie":
          return new Response(req.headers.get("cookie") ?? "");
        case "/hop":
          return new Response(null, { status: 302, headers: { location: "/ok" } });
        default:
          return new Response("not found", { status: 404 });
      }
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, hits, stop: () => server.stop(true) };
}

/** Resolves once cond() holds, polling; rejects after ms (a bound, not a synchronisation by sleeping). */
export async function until(cond: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(10);
  }
}
