// Benchmark: wrk vs the compiled indus against one pinned nginx worker — req/s, client CPU per request, new connections.
//   npx bun bench/nginx-vs-wrk.ts [rounds=3] [seconds=10]
// nginx runs on CPU 0, the client on CPU 1; wrk and indus alternate, at 64 and 1,000 connections/VUs.
// Writes bench/results/nginx-vs-wrk.json. Installs nothing: it tells you what to install.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runIndus, runWrk, type ClientRun } from "./support/clients.ts";
import { startNginx, STATIC_FILE, type BenchNginx } from "./support/nginx.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = join(ROOT, "bin", "indus");
const SERVER_CPU = 0;
const CLIENT_CPU = 1;
const CONCURRENCY = [64, 1000];
/** Other load above this (% of a core) during a run makes its req/s suspect. */
const BUSY_PCT = 15;
const TOOLS = ["wrk", "indus"] as const;
type Tool = (typeof TOOLS)[number];

interface Row {
  tool: Tool;
  connections: number;
  round: number;
  requests: number;
  /** what nginx counted (stub_status), for cross-checking the client's own count */
  serverRequests: number;
  rps: number;
  cpuUsPerRequest: number;
  /** the kernel's share of the client's CPU */
  sysShare: number;
  newConnections: number;
  /** nginx's CPU use over the client's run, % of one core: near 100 means the server, not the client, set the pace */
  nginxCpuPct: number;
  /** CPU used by everything else on the machine meanwhile, % of one core: other load skews req/s */
  otherCpuPct: number;
  wallSeconds: number;
}

function which(name: string): string | null {
  return Bun.which(name, { PATH: `${process.env.PATH ?? ""}:/usr/sbin:/usr/local/sbin` });
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    nproc: os.availableParallelism(),
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown",
    kernel: os.release(),
  };
}

function version(cmd: string[]): string {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  return `${r.stdout}${r.stderr}`.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown";
}

async function measure(nginx: BenchNginx, tool: Tool, connections: number, round: number, seconds: number, dir: string): Promise<Row> {
  const before = await nginx.status();
  const cpu0 = nginx.cpuUs();
  const busy0 = machineBusyUs();
  const url = nginx.url(STATIC_FILE);
  const run: ClientRun =
    tool === "wrk" ? await runWrk(CLIENT_CPU, url, connections, seconds) : await runIndus(CLIENT_CPU, BIN, dir, url, connections, seconds);
  const nginxCpuUs = nginx.cpuUs() - cpu0;
  const otherUs = machineBusyUs() - busy0 - nginxCpuUs - run.cpuUs;
  const after = await nginx.status();
  // each status read is one accepted connection and one request of its own
  return {
    tool,
    connections,
    round,
    requests: run.requests,
    serverRequests: after.requests - before.requests - 1,
    rps: run.requests / seconds,
    cpuUsPerRequest: run.cpuUs / run.requests,
    sysShare: run.sysUs / run.cpuUs,
    newConnections: after.accepts - before.accepts - 1,
    nginxCpuPct: (100 * nginxCpuUs) / (run.wallSeconds * 1e6),
    otherCpuPct: Math.max(0, (100 * otherUs) / (run.wallSeconds * 1e6)),
    wallSeconds: run.wallSeconds,
  };
}

/** CPU busy on the whole machine so far, µs (/proc/stat: user, nice, system, irq, softirq, steal). */
function machineBusyUs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
  return (busy * 1_000_000) / 100; // USER_HZ
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function summarize(rows: Row[]) {
  return CONCURRENCY.flatMap((connections) =>
    TOOLS.map((tool) => {
      const mine = rows.filter((r) => r.tool === tool && r.connections === connections);
      const quiet = mine.filter((r) => r.otherCpuPct <= BUSY_PCT);
      return {
        tool,
        connections,
        rounds: mine.length,
        rps: median(mine.map((r) => r.rps)),
        /** runs the rest of the machine left alone, and their median req/s (NaN when none was) */
        quietRuns: quiet.length,
        quietRps: quiet.length ? median(quiet.map((r) => r.rps)) : NaN,
        cpuUsPerRequest: median(mine.map((r) => r.cpuUsPerRequest)),
        sysShare: median(mine.map((r) => r.sysShare)),
        newConnections: median(mine.map((r) => r.newConnections)),
        nginxCpuPct: median(mine.map((r) => r.nginxCpuPct)),
        otherCpuPct: median(mine.map((r) => r.otherCpuPct)),
        clientVsServer: median(mine.map((r) => r.requests / r.serverRequests)),
      };
    }),
  );
}

function table(summary: ReturnType<typeof summarize>): string {
  const pad = (s: string, n: number) => s.padStart(n);
  const lines = [
    `${"TOOL".padEnd(6)}${pad("CONNS", 7)}${pad("REQ/S", 11)}${pad("QUIET REQ/S", 16)}${pad("CPU µs/REQ", 12)}${pad("(SYS)", 7)}${pad("NEW CONNS", 11)}${pad("CLIENT/NGINX", 14)}${pad("NGINX CPU", 11)}${pad("OTHER CPU", 11)}`,
  ];
  for (const s of summary) {
    lines.push(
      `${s.tool.padEnd(6)}${pad(String(s.connections), 7)}${pad(s.rps.toFixed(0), 11)}${pad(s.quietRuns ? `${s.quietRps.toFixed(0)} (${s.quietRuns})` : "-", 16)}${pad(s.cpuUsPerRequest.toFixed(2), 12)}${pad(`${(100 * s.sysShare).toFixed(0)}%`, 7)}` +
        `${pad(String(s.newConnections), 11)}${pad(s.clientVsServer.toFixed(4), 14)}${pad(`${s.nginxCpuPct.toFixed(0)}%`, 11)}${pad(`${s.otherCpuPct.toFixed(0)}%`, 11)}`,
    );
  }
  lines.push("", "indus / wrk:");
  for (const connections of CONCURRENCY) {
    const wrk = summary.find((s) => s.tool === "wrk" && s.connections === connections)!;
    const indus = summary.find((s) => s.tool === "indus" && s.connections === connections)!;
    lines.push(
      `  ${pad(String(connections), 5)} conns: req/s ×${(indus.rps / wrk.rps).toFixed(2)}, CPU per request ×${(indus.cpuUsPerRequest / wrk.cpuUsPerRequest).toFixed(2)}`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<number> {
  const rounds = Number(process.argv[2] ?? 3);
  const seconds = Number(process.argv[3] ?? 10);
  const nginxBin = which("nginx");
  const missing = [!nginxBin && "nginx", !which("wrk") && "wrk", !which("taskset") && "util-linux"].filter(Boolean);
  if (missing.length > 0) {
    console.error(`missing: ${missing.join(", ")}\n  apt-get update && apt-get install -y ${missing.join(" ")}`);
    return 1;
  }
  if (!(await Bun.file(BIN).exists())) {
    console.error(`missing ${BIN}: build it with  npx bun scripts/build.ts`);
    return 1;
  }
  const m = machine();
  if (m.nproc < 2) {
    console.error("needs 2 CPUs: nginx on CPU 0, the client on CPU 1");
    return 1;
  }
  const b0 = machineBusyUs();
  await Bun.sleep(2000);
  const idleLoad = (machineBusyUs() - b0) / 2e6 / m.nproc;
  if (idleLoad > 0.1) console.error(`warning: the machine is already ${(100 * idleLoad).toFixed(0)}% busy before the benchmark: figures will be noisy`);
  const dir = mkdtempSync(join(tmpdir(), "indus-bench-"));
  const nginx = await startNginx(nginxBin!, SERVER_CPU);
  const rows: Row[] = [];
  try {
    console.error(`nginx on CPU ${SERVER_CPU}, clients on CPU ${CLIENT_CPU}: ${rounds} rounds × ${seconds} s × ${CONCURRENCY.length * TOOLS.length} runs`);
    for (let round = 1; round <= rounds; round++) {
      for (const connections of CONCURRENCY) {
        // alternate who goes first, so neither always meets a warmer (or more fragmented) server
        const order = round % 2 === 1 ? TOOLS : [...TOOLS].reverse();
        for (const tool of order) {
          const row = await measure(nginx, tool, connections, round, seconds, dir);
          rows.push(row);
          console.error(
            `round ${round} ${tool.padEnd(5)} c=${connections}: ${row.rps.toFixed(0)} req/s, ${row.cpuUsPerRequest.toFixed(2)} µs/req, ${row.newConnections} new conns, nginx ${row.nginxCpuPct.toFixed(0)}% CPU, others ${row.otherCpuPct.toFixed(0)}%`,
          );
        }
      }
    }
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = summarize(rows);
  console.log(table(summary));
  const busy = rows.filter((r) => r.otherCpuPct > BUSY_PCT).length;
  if (busy > 0) console.log(`\nwarning: ${busy} of ${rows.length} runs shared the machine (> ${BUSY_PCT}% other CPU): req/s is unreliable; CPU µs/req less so`);
  const out = join(ROOT, "bench", "results", "nginx-vs-wrk.json");
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  const versions = { nginx: version([nginxBin!, "-v"]), wrk: version(["wrk", "-v"]), indus: version([BIN, "--version"]) };
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine: m, loadBefore: idleLoad, versions, rounds, seconds, serverCpu: SERVER_CPU, clientCpu: CLIENT_CPU, summary, rows }, null, 2) + "\n");
  console.log(`\nwrote ${out}`);
  return 0;
}

process.exit(await main());
