// The floor under the socket engine: wrk, a bare Bun.connect client (no parser, no recorder, no VUs) and indus on the
// same target, 64 connections, interleaved rounds, CPU µs per request each. What indus costs above the bare client
// is indus's own; what the bare client costs above wrk is the runtime's.
//   npx bun bench/bare-client.ts [--target=static|sleep50] [--rounds=3] [--seconds=8] [--aot]
// nginx (static) or the 50 ms target on CPU 0, each client on CPU 1; bin/indus must be built. --aot compiles the bare
// client ahead of time as bin/indus is on linux-x64 (scripts/aot.ts), so the two run the same machine code of Bun's.
// Writes bench/results/bare-client-<target>[-aot].json (every round's figures, split into user and system, and the medians).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileFileAheadOfTime } from "../scripts/aot.ts";
import { runClient } from "./support/clients.ts";
import { startNginx, STATIC_FILE } from "./support/nginx.ts";
import { startSleepTarget } from "./support/sleep-target.ts";
import { argValue, median, which } from "./support/tools.ts";

const CONNECTIONS = 64;

/**
 * The bare client's source: one keep-alive connection per slot, the next request written when the previous
 * response's bytes (head + body, the same every time) have all arrived. Prints {"requests": N}.
 */
function bareClientSource(url: URL, responseBytes: number, seconds: number): string {
  return `
const request = new TextEncoder().encode("GET ${url.pathname} HTTP/1.1\\r\\nHost: ${url.host}\\r\\n\\r\\n");
const end = performance.now() + ${seconds * 1000};
let requests = 0, closed = 0;
for (let i = 0; i < ${CONNECTIONS}; i++) {
  let pending = 0;
  await Bun.connect({ hostname: "${url.hostname}", port: ${url.port}, socket: {
    binaryType: "uint8array",
    open(s) { s.write(request); },
    data(s, chunk) {
      pending += chunk.length;
      if (pending < ${responseBytes}) return;
      pending -= ${responseBytes};
      requests++;
      if (performance.now() >= end) s.end(); else s.write(request);
    },
    close() { if (++closed === ${CONNECTIONS}) { console.log(JSON.stringify({ requests })); process.exit(0); } },
  } });
}
`;
}

/** Bytes of one whole keep-alive response (head and body) to GET url: its head's length plus its Content-Length. */
async function responseBytes(url: URL): Promise<number> {
  const { promise, resolve, reject } = Promise.withResolvers<number>();
  let text = "";
  await Bun.connect({
    hostname: url.hostname,
    port: Number(url.port),
    socket: {
      open(s) {
        s.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
      },
      data(s, chunk) {
        text += new TextDecoder("latin1").decode(chunk);
        const headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, headEnd));
        if (!length) reject(new Error(`no Content-Length from ${url.href}`));
        else resolve(headEnd + 4 + Number(length[1]));
        s.end();
      },
    },
  });
  return promise;
}

/** One client's run: CPU µs per request, and the part of it in the kernel. */
interface PerRequest {
  cpu: number;
  sys: number;
}

/** The bare client as a command: its source run by this Bun, or compiled ahead of time first (--aot). */
function bareCommand(dir: string, source: string, aot: boolean): string[] {
  const file = join(dir, "bare.ts");
  writeFileSync(file, source);
  return aot ? [compileFileAheadOfTime(resolve(import.meta.dir, ".."), file, join(dir, "bare"))] : [process.execPath, file];
}

async function main(): Promise<void> {
  const target = argValue("target") ?? "static";
  const rounds = Number(argValue("rounds") ?? 3);
  const seconds = Number(argValue("seconds") ?? 8);
  const aot = process.argv.includes("--aot");
  const sleep = target === "sleep50" ? await startSleepTarget(50, 0) : null;
  const nginx = sleep ? null : await startNginx(which("nginx")!, 0);
  const url = new URL(sleep ? sleep.url : nginx!.url(STATIC_FILE));
  const dir = mkdtempSync(join(tmpdir(), "indus-bare-"));
  const perRequest: Record<string, PerRequest[]> = { wrk: [], bare: [], indus: [] };
  try {
    const bare = bareCommand(dir, bareClientSource(url, await responseBytes(url), seconds), aot);
    for (let r = 0; r < rounds; r++) {
      const spec = { url: url.href, connections: CONNECTIONS, seconds, thinkMs: 0, cpus: "1", workers: 1, dir };
      const wrk = await runClient("wrk", spec);
      perRequest.wrk!.push({ cpu: wrk.cpuUs / wrk.requests, sys: wrk.sysUs / wrk.requests });
      const proc = Bun.spawn(["taskset", "-c", "1", ...bare], { stdout: "pipe", stderr: "inherit" });
      const out = await new Response(proc.stdout).text();
      await proc.exited;
      const usage = proc.resourceUsage()!;
      const { requests } = JSON.parse(out.trim().split("\n").pop()!) as { requests: number };
      const sys = Number(usage.cpuTime.system);
      perRequest.bare!.push({ cpu: (Number(usage.cpuTime.user) + sys) / requests, sys: sys / requests });
      const indus = await runClient("indus", spec);
      perRequest.indus!.push({ cpu: indus.cpuUs / indus.requests, sys: indus.sysUs / indus.requests });
      const line = Object.entries(perRequest).map(([k, a]) => `${k} ${a[r]!.cpu.toFixed(2)} (system ${a[r]!.sys.toFixed(2)}, user ${(a[r]!.cpu - a[r]!.sys).toFixed(2)})`);
      console.log(`round ${r + 1}: ${line.join(", ")} µs/req`);
    }
  } finally {
    await sleep?.stop();
    await nginx?.stop();
  }
  const wrk = median(perRequest.wrk!.map((x) => x.cpu));
  const medians: Record<string, { usPerRequest: number; ratioToWrk: number; systemUs: number; userUs: number }> = {};
  for (const [name, values] of Object.entries(perRequest)) {
    const us = median(values.map((x) => x.cpu));
    const userUs = median(values.map((x) => x.cpu - x.sys));
    medians[name] = { usPerRequest: us, ratioToWrk: us / wrk, systemUs: median(values.map((x) => x.sys)), userUs };
    console.log(`${name.padEnd(6)} ${us.toFixed(2)} µs/req  ×wrk ${(us / wrk).toFixed(2)}  (medians: system ${medians[name]!.systemUs.toFixed(2)}, user ${userUs.toFixed(2)})`);
  }
  const out = resolve(import.meta.dir, "results", `bare-client-${target}${aot ? "-aot" : ""}.json`);
  const result = { date: new Date().toISOString(), target, connections: CONNECTIONS, seconds, bare: aot ? "compiled ahead of time" : "Bun's JIT", rounds: perRequest, medians };
  writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  console.log(`wrote ${out}`);
}

await main();
