// Script VU vs YAML step, in this thread: CPU per request of the VU path alone (no controller, no workers), trials alternating.
//   npx bun bench/script-vu.ts [trials=9] [requests per trial=20000] [vus=64]
// nginx (`return 200`) runs pinned on CPU 0; this process should be pinned elsewhere: taskset -c 1 npx bun bench/script-vu.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRealClock } from "../src/core/clock.ts";
import { createSocketEngine } from "../src/engine/index.ts";
import { createInThreadExecutor } from "../src/engine/runner/executor.ts";
import { threadCpuUs } from "../src/engine/runner/generator-monitor.ts";
import { bundlePlanScripts } from "../src/engine/script/index.ts";
import { attachPlanInputs, parsePlan } from "../src/plan/index.ts";
import type { Plan } from "../src/plan/types.ts";
import { LIGHT_PATH, startNginx } from "./support/nginx.ts";
import { median, which } from "./support/tools.ts";

type Flavor = "yaml" | "script" | "script, discard";
const FLAVORS: Flavor[] = ["yaml", "script", "script, discard"];

async function planFor(flavor: Flavor, url: string, vus: number, dir: string): Promise<Plan> {
  const planFile = join(dir, `${flavor.replace(/\W+/g, "-")}.yaml`);
  const flow = `flow-${flavor.replace(/\W+/g, "-")}.ts`;
  const discard = flavor === "script, discard" ? ", discard: true" : "";
  writeFileSync(join(dir, flow), `export default async function (vu) {\n  await vu.http.get(${JSON.stringify(url)}, { step: "get", timeout: "10s"${discard} });\n}\n`);
  const body = flavor === "yaml" ? `    steps:\n      - { name: get, url: "${url}", timeout: 10s }\n` : `    script: ./${flow}\n`;
  const yaml = `name: bench\nscenarios:\n  s:\n    duration: 1h\n    profile: { type: constant, vus: ${vus} }\n${body}`;
  writeFileSync(planFile, yaml);
  const plan = parsePlan(yaml, planFile);
  const bundled = await bundlePlanScripts(plan, planFile, {});
  return attachPlanInputs(plan, { files: bundled.files, env: {} }, { planFile, planYaml: yaml });
}

async function trial(plan: Plan, requests: number): Promise<number> {
  const executor = createInThreadExecutor(plan, createSocketEngine(), createRealClock(), { spreadMs: 0, monitorGenerator: false });
  await executor.ready;
  executor.setVus("s", plan.scenarios[0]!.profile.type === "constant" ? (plan.scenarios[0]!.profile as { vus: number }).vus : 1);
  // warm-up: connections open, JIT settles
  let done = 0;
  while (done < requests / 4) {
    await Bun.sleep(20);
    const d = await executor.takeDelta();
    done += d.scenarios.s!.steps.get?.requests ?? 0;
  }
  const cpu0 = threadCpuUs();
  let counted = 0;
  while (counted < requests) {
    await Bun.sleep(20);
    const d = await executor.takeDelta();
    counted += d.scenarios.s!.steps.get?.requests ?? 0;
  }
  const cpu = threadCpuUs() - cpu0;
  await executor.stop("abort");
  return cpu / counted;
}

async function main(): Promise<void> {
  const trials = Number(process.argv[2] ?? 9);
  const requests = Number(process.argv[3] ?? 20_000);
  const vus = Number(process.argv[4] ?? 64);
  const nginx = await startNginx(which("nginx")!, 0);
  const dir = mkdtempSync(join(tmpdir(), "indus-script-bench-"));
  try {
    const url = nginx.url(LIGHT_PATH);
    const plans = new Map<Flavor, Plan>();
    for (const f of FLAVORS) plans.set(f, await planFor(f, url, vus, dir));
    const us = new Map<Flavor, number[]>(FLAVORS.map((f) => [f, []]));
    const ratios = new Map<Flavor, number[]>(FLAVORS.map((f) => [f, []]));
    for (let t = 0; t < trials; t++) {
      const order = t % 2 === 0 ? FLAVORS : [...FLAVORS].reverse();
      const got = new Map<Flavor, number>();
      for (const f of order) got.set(f, await trial(plans.get(f)!, requests));
      for (const f of FLAVORS) {
        us.get(f)!.push(got.get(f)!);
        ratios.get(f)!.push(got.get(f)! / got.get("yaml")!);
      }
      console.error(`trial ${t + 1}: ${FLAVORS.map((f) => `${f} ${got.get(f)!.toFixed(2)} µs/req`).join("  ")}`);
    }
    for (const f of FLAVORS) {
      console.log(`${f.padEnd(16)} median ${median(us.get(f)!).toFixed(2)} µs/req  ×${median(ratios.get(f)!).toFixed(2)} of yaml (median of per-trial ratios)`);
    }
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
