// Profiles the request hot path: the in-thread executor (what each worker runs) at N VUs against a pinned nginx, under bun --cpu-prof.
//   npx bun bench/profile-hot-path.ts [seconds=10] [vus=64] [--no-profile] [--target=static|sleep50] [--think=ms] [--engine=socket|fetch]
// With --no-profile it only measures (req/s, CPU µs per request): to compare a change before and after.
// nginx on CPU 0, the profiled load on CPU 1. Writes a .cpuprofile and a markdown summary to bench/results/profile/.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRealClock } from "../src/core/clock.ts";
import { createEngine } from "../src/engine/index.ts";
import { createInThreadExecutor } from "../src/engine/runner/executor.ts";
import { snapshotRequests } from "../src/metrics/snapshot.ts";
import { parsePlan } from "../src/plan/index.ts";
import { startNginx, STATIC_FILE } from "./support/nginx.ts";
import { startSleepTarget } from "./support/sleep-target.ts";
import { argValue, which } from "./support/tools.ts";

const ROOT = resolve(import.meta.dir, "..");
const CHILD = "--child";

/** The profiled side: runs the plan in this thread for `seconds`, prints requests and CPU µs per request. */
async function child(url: string, seconds: number, vus: number, thinkMs: number, engine: "socket" | "fetch"): Promise<void> {
  const plan = parsePlan(
    `name: profile
scenarios:
  static:
    duration: ${seconds}s
    think_time: ${thinkMs}ms
    profile: { type: constant, vus: ${vus} }
    steps:
      - { name: get, url: "${url}", timeout: 10s }
`,
    "profile.yaml",
  );
  const executor = createInThreadExecutor(plan, createEngine(engine), createRealClock(), { spreadMs: 0 });
  executor.setVus("static", vus);
  await Bun.sleep(1000); // warm-up: connections and JIT
  await executor.takeDelta();
  const cpu0 = process.cpuUsage();
  let requests = 0;
  for (let s = 0; s < seconds; s++) {
    await Bun.sleep(1000);
    requests += snapshotRequests(await executor.takeDelta());
  }
  const cpu = process.cpuUsage(cpu0);
  requests += snapshotRequests(await executor.stop("abort"));
  console.log(JSON.stringify({ requests, rps: requests / seconds, cpuUsPerRequest: (cpu.user + cpu.system) / requests, userUsPerRequest: cpu.user / requests, sysShare: cpu.system / (cpu.user + cpu.system) }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const profile = !process.argv.includes("--no-profile");
  const seconds = Number(args[0] ?? 10);
  const vus = Number(args[1] ?? 64);
  const target = argValue("target") ?? "static";
  const thinkMs = Number(argValue("think") ?? 0);
  const engine = argValue("engine") ?? "socket";
  const nginxBin = which("nginx");
  if (!nginxBin) throw new Error("nginx is missing: npx bun bench/run.ts --install installs it");
  const out = join(ROOT, "bench", "results", "profile");
  mkdirSync(out, { recursive: true });
  const nginx = await startNginx(nginxBin, 0);
  const sleep = target === "sleep50" ? await startSleepTarget(50, 0) : undefined;
  try {
    const name = `hot-path-${target === "static" ? "" : `${target}-`}${vus}vus${thinkMs > 0 ? `-think${thinkMs}` : ""}${engine === "socket" ? "" : `-${engine}`}`;
    const proc = Bun.spawn(
      [
        "taskset", "-c", "1", process.execPath,
        ...(profile ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${out}`, `--cpu-prof-name=${name}`] : []),
        import.meta.path, CHILD, sleep?.url ?? nginx.url(STATIC_FILE), String(seconds), String(vus), String(thinkMs), engine,
      ],
      { stdout: "pipe", stderr: "inherit" },
    );
    const timer = setTimeout(() => proc.kill("SIGKILL"), (seconds + 30) * 1000);
    const text = await new Response(proc.stdout).text();
    await proc.exited;
    clearTimeout(timer);
    console.log(text.trim());
    if (profile) console.log(`profile: ${join(out, name)}.* (.cpuprofile for a viewer, .md to read)`);
  } finally {
    await sleep?.stop();
    await nginx.stop();
  }
}

if (process.argv[2] === CHILD) await child(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]), process.argv[7] as "socket" | "fetch");
else await main();
