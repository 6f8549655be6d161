// indus's two builds side by side: bin/indus compiled ahead of time (what `npm run build` makes on linux-x64,
// scripts/aot.ts) and the JIT build (`INDUS_BUILD=jit npm run build -- "" bin/indus-jit`, what the other platforms
// get), beside wrk: the same plan on the same target, interleaved rounds, CPU µs per request (start-up included) each.
//   npx bun bench/aot.ts [--rounds=3] [--seconds=10]
// Cases: the 50 ms target at 64 VUs (issue #18's 10 s goal: ≤ ×1.5 wrk), and nginx's static file at 64 VUs (the
// request path when it is busy). Targets on CPU 0, each client on CPU 1. Writes bench/results/aot.json.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { binaryIsAot } from "../scripts/aot.ts";
import { runClient, type ClientRun } from "./support/clients.ts";
import { startNginx, STATIC_FILE } from "./support/nginx.ts";
import { startSleepTarget } from "./support/sleep-target.ts";
import { argValue, median, which } from "./support/tools.ts";

const ROOT = resolve(import.meta.dir, "..");
const AOT = join(ROOT, "bin", "indus");
const JIT = join(ROOT, "bin", "indus-jit");
const CONNECTIONS = 64;
const CLIENTS = ["wrk", "indus", "indus (aot)"] as const;

async function main(): Promise<number> {
  const rounds = Number(argValue("rounds") ?? 3);
  const seconds = Number(argValue("seconds") ?? 10);
  for (const [path, how] of [[AOT, "npm run build"], [JIT, 'INDUS_BUILD=jit npx bun scripts/build.ts "" bin/indus-jit']] as const) {
    if (!existsSync(path)) {
      console.error(`${path} is missing: ${how}`);
      return 1;
    }
  }
  if (!binaryIsAot(AOT)) {
    console.error(`${AOT} is a JIT build: npm run build on linux-x64 with the optional dependency bun-aot installed`);
    return 1;
  }
  const sleep = await startSleepTarget(50, 0);
  const nginx = await startNginx(which("nginx")!, 0);
  const dir = mkdtempSync(join(tmpdir(), "indus-aot-bench-"));
  const cases = { sleep50: sleep.url, static: nginx.url(STATIC_FILE) };
  const runs: Record<string, Record<string, ClientRun[]>> = {};
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [name, url] of Object.entries(cases)) {
        const byClient = (runs[name] ??= {});
        for (const client of CLIENTS) {
          const spec = { url, connections: CONNECTIONS, seconds, thinkMs: 0, cpus: "1", workers: 1, dir, indusBin: client === "indus (aot)" ? AOT : JIT };
          const run = await runClient(client === "wrk" ? "wrk" : "indus", spec);
          (byClient[client] ??= []).push(run);
        }
        const line = CLIENTS.map((c) => `${c} ${(byClient[c]!.at(-1)!.cpuUs / byClient[c]!.at(-1)!.requests).toFixed(2)}`).join(", ");
        console.log(`round ${r + 1}, ${name}: ${line} µs/req`);
      }
    }
  } finally {
    await sleep.stop();
    await nginx.stop();
  }
  const medians: Record<string, Record<string, { usPerRequest: number; ratioToWrk: number; rps: number; peakRssMB: number }>> = {};
  for (const [name, byClient] of Object.entries(runs)) {
    const wrk = median(byClient.wrk!.map((x) => x.cpuUs / x.requests));
    for (const client of CLIENTS) {
      const xs = byClient[client]!;
      const us = median(xs.map((x) => x.cpuUs / x.requests));
      (medians[name] ??= {})[client] = { usPerRequest: us, ratioToWrk: us / wrk, rps: median(xs.map((x) => x.requests / seconds)), peakRssMB: median(xs.map((x) => x.peakRssBytes)) / 1024 / 1024 };
      console.log(`${name.padEnd(8)} ${client.padEnd(12)} ${us.toFixed(2)} µs/req  ×wrk ${(us / wrk).toFixed(2)}`);
    }
  }
  const perRound = Object.fromEntries(
    Object.entries(runs).map(([name, byClient]) => [name, Object.fromEntries(Object.entries(byClient).map(([c, xs]) => [c, xs.map((x) => +(x.cpuUs / x.requests).toFixed(3))]))]),
  );
  const out = join(ROOT, "bench", "results", "aot.json");
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, seconds, rounds: perRound, medians }, null, 2) + "\n");
  console.log(`wrote ${out}`);
  return 0;
}

process.exit(await main());
