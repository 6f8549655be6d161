// The benchmark: indus against wrk, hey, ab and autocannon on one pinned nginx (and a 50 ms Bun target), several rounds, one table.
//   npx bun bench/run.ts [--install] [--rounds=3] [--seconds=10] [--cases=c64,c1000,...] [--out=bench/results/bench.json] [--keep=old.json]
// --keep: cases of an earlier bench file that this run did not measure stay in the output, each with its own date and indus version.
// nginx (or the 50 ms target) runs on CPU 0 and the client on CPU 1, except where a case says otherwise; tools alternate
// order each round so none always meets a warmer server. Missing tools: it prints the exact commands, and runs them with --install.
// Writes bench/results/bench.json (date, machine, versions, every run and the medians); scripts/perf-table.ts renders it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AUTOCANNON_DIR, AUTOCANNON_JS, runClient, supportsThinkTime, THINK_TIME, TOOLS, type ClientRun, type IndusFlavor, type Tool } from "./support/clients.ts";
import { CLOSE_FILE, LIGHT_PATH, startNginx, STATIC_FILE, type BenchNginx } from "./support/nginx.ts";
import { startSleepTarget, type SleepStats, type SleepTarget } from "./support/sleep-target.ts";
import { combineRamps, RAMP_WATCH_MS, rampOf, rampSentence, type Ramp } from "./support/ramp.ts";
import { lengthSuffix, sameLengthRow, steadyCosts, type SteadyCost } from "./support/steady.ts";
import { argValue, machine, machineBusyUs, median, version, which } from "./support/tools.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = join(ROOT, "bin", "indus");
const SERVER_CPU = 0;
const CLIENT_CPU = "1";
/** Other load above this (% of a core) during a run makes its req/s suspect. */
const BUSY_PCT = 15;
const SLEEP_MS = 50;

type Target = "static" | "light" | "close" | "sleep50";
type Engine = "socket" | "fetch";
const ENGINES: Engine[] = ["socket", "fetch"];

interface CaseDef {
  id: string;
  title: string;
  target: Target;
  connections: number;
  thinkMs: number;
  /** run length; default --seconds */
  seconds?: number;
  tools: readonly Tool[];
  /** indus --workers variants (default [1]) */
  workers?: number[];
  cpus?: string;
  /** rounds = max(1, --rounds - roundsLess); negative for more rounds */
  roundsLess?: number;
  /** measure how fast connections open in the first seconds (nginx accepts every 50 ms) */
  watchRamp?: boolean;
  /** indus only: its profile instead of constant (YAML flow style) */
  indusProfile?: string;
  /** indus engines measured (default both: the socket engine and Bun's fetch) */
  engines?: Engine[];
  /** what the case is for in the README: a ratio to wrk (default), one worker's ceiling, the cost of each worker, or fixed and per-request cost apart */
  role?: "ceiling" | "coordination" | "steady";
  /** role steady: every tool runs once for each of these lengths (s) in every round */
  lengths?: [number, number];
  /** indus only: run the same request as a YAML step and as a script VU (the first is the baseline) */
  indusFlavors?: IndusFlavor[];
  note: string;
}

const THINK_TOOLS = TOOLS.filter(supportsThinkTime);

const CASES: CaseDef[] = [
  { id: "c64", title: "64 connections / VUs, static file", target: "static", connections: 64, thinkMs: 0, tools: TOOLS, note: "closed loop, no think time: as fast as each client goes" },
  { id: "c1000", title: "1,000 connections / VUs, static file", target: "static", connections: 1000, thinkMs: 0, tools: TOOLS, note: "closed loop, no think time" },
  {
    id: "vu10k",
    title: "10,000 VUs, think time 1 s",
    target: "static",
    connections: 10_000,
    thinkMs: 1000,
    seconds: 15,
    tools: THINK_TOOLS,
    roundsLess: 1,
    watchRamp: true,
    note: `only tools that can wait between requests (ab cannot): ${THINK_TOOLS.map((t) => `${t}: ${THINK_TIME[t]}`).join("; ")}`,
  },
  {
    id: "sleep50",
    title: `50 ms target (Bun.serve + setTimeout ${SLEEP_MS} ms), 64 connections`,
    target: "sleep50",
    connections: 64,
    thinkMs: 0,
    tools: TOOLS,
    roundsLess: 1,
    note: "accuracy: each client's p50/p99 against the target's own measured delay (its timer is the truth)",
  },
  {
    id: "sleep50steady",
    title: `50 ms target (Bun.serve + setTimeout ${SLEEP_MS} ms), 64 connections, runs of 3 s and 23 s: fixed and per-request CPU apart`,
    target: "sleep50",
    connections: 64,
    thinkMs: 0,
    tools: ["indus", "wrk"],
    engines: ["socket"],
    lengths: [3, 23],
    role: "steady",
    // a difference of two runs is noisier than either run: two more rounds than the others
    roundsLess: -2,
    note: "the 23 s run's CPU beyond the 3 s run's, over its extra requests, is the CPU per request once running; what the 3 s run spent beyond its requests at that cost is spent once per run (start-up, compiling, shut-down)",
  },
  {
    id: "sleep50x1000",
    title: `50 ms target (Bun.serve + setTimeout ${SLEEP_MS} ms), 1,000 connections`,
    target: "sleep50",
    connections: 1000,
    thinkMs: 0,
    tools: ["indus", "wrk"],
    roundsLess: 1,
    note: "waiting requests: every connection holds a request the target answers 50 ms later",
  },
  {
    id: "ceiling",
    title: "One worker's ceiling: indus --workers 1 on one core, 256 VUs, nginx `return 200` (CPU-light target)",
    target: "light",
    connections: 256,
    thinkMs: 0,
    tools: ["indus", "wrk"],
    roundsLess: 1,
    role: "ceiling",
    note: "req/s one worker reaches when its core is the bottleneck (it should flag itself saturated); nginx has CPU 0 to itself",
  },
  {
    id: "coord",
    title: "Coordination cost per worker: indus --workers 2 vs 3 vs 4 on one core, 2 VUs, think time 1 s",
    target: "light",
    connections: 2,
    thinkMs: 1000,
    tools: ["indus"],
    // from 2: one worker without scripts runs in the main thread (no pool), while an agent always has its pool
    workers: [2, 3, 4],
    engines: ["socket"],
    roundsLess: 1,
    role: "coordination",
    note: "almost no load: what each more worker costs the agent in CPU per second (start-up, the per-second deltas, messages), from the slope over 2, 3 and 4 workers (an agent's pool; \`indus run --workers 1\` runs its VUs in the main thread instead)",
  },
  {
    id: "workers",
    title: "indus --workers 1 vs 2, 256 VUs, nginx `return 200` (CPU-light target)",
    target: "light",
    connections: 256,
    thinkMs: 0,
    tools: ["indus"],
    workers: [1, 2],
    cpus: "0,1",
    note: "indus may use both CPUs; nginx stays pinned to CPU 0, so a second worker can only take what nginx leaves of it",
  },
  {
    id: "mem15k",
    title: "15,000 VUs, think time 5 s, keep-alive (peak RSS)",
    target: "static",
    connections: 15_000,
    thinkMs: 5000,
    seconds: 20,
    tools: THINK_TOOLS,
    roundsLess: 99,
    note: "every VU holds its connection: the most this machine's open-file limit allows",
  },
  {
    id: "mem50k",
    title: "50,000 VUs (10,000 more every 5 s), think time 30 s, connection closed after each response (peak RSS)",
    target: "close",
    connections: 50_000,
    thinkMs: 30_000,
    seconds: 25,
    tools: ["indus"],
    indusProfile: "{ type: step, start_vus: 10000, step_vus: 10000, step_duration: 5s }",
    roundsLess: 99,
    note:
      "50,000 held connections need 50,000 file descriptors, above this machine's hard limit (which cannot be raised here), so nginx closes each connection after its response; " +
      "with a 5 s think time that is 10,000 new connections a second, a connection-churn test that saturates one client core, hence 30 s: each VU connects, asks once and waits",
  },
  {
    id: "script",
    title: "Script VU vs YAML step: one GET per iteration, 64 VUs, nginx `return 200`",
    target: "light",
    connections: 64,
    thinkMs: 0,
    tools: ["indus"],
    indusFlavors: ["yaml", "script", "script, discard"],
    note:
      "the same request as a plan step and as `await vu.http.get(url, { step })` in a script's default export (by default keeping the body for text()/json(); " +
      "`discard: true` does not); the figure that matters is CPU µs per request against the YAML step's",
  },
];

interface Row extends ClientRun {
  case: string;
  /** how long the run was asked to last */
  seconds: number;
  /** the 1-minute load average when the run started (other helpers share this machine) */
  load1: number;
  workers: number;
  /** "indus", "indus --workers 2", "wrk", ... */
  label: string;
  round: number;
  connections: number;
  rps: number;
  cpuUsPerRequest: number;
  sysShare: number;
  /** new TCP connections the server accepted (nginx stub_status); NaN for the 50 ms target */
  newConnections: number;
  /** what the server counted, for cross-checking the client's own count (nginx only) */
  serverRequests: number;
  serverCpuPct: number;
  otherCpuPct: number;
  /** 50 ms target: the server's own measured delays over this run */
  truth?: SleepStats;
  ramp?: Ramp;
}

// ---- what it needs, and how to get it ----

interface Need {
  what: string;
  missing: boolean;
  command: string[];
}

function needs(used: ReadonlySet<Tool> = new Set(TOOLS)): Need[] {
  const apt = (pkg: string) => ["apt-get", "install", "-y", pkg];
  return [
    { what: "nginx", missing: !which("nginx"), command: apt("nginx") },
    { what: "wrk", missing: used.has("wrk") && !which("wrk"), command: apt("wrk") },
    { what: "hey", missing: used.has("hey") && !which("hey"), command: apt("hey") },
    { what: "ab (apache2-utils)", missing: used.has("ab") && !which("ab"), command: apt("apache2-utils") },
    { what: "taskset (util-linux)", missing: !which("taskset"), command: apt("util-linux") },
    { what: "node (for autocannon)", missing: used.has("autocannon") && !which("node"), command: apt("nodejs") },
    {
      what: `autocannon (npm, into ${AUTOCANNON_DIR}, not the project)`,
      missing: used.has("autocannon") && !existsSync(AUTOCANNON_JS),
      command: ["npm", "install", "--prefix", AUTOCANNON_DIR, "--no-audit", "--no-fund", "autocannon@8"],
    },
  ];
}

async function ensureTools(install: boolean, used?: ReadonlySet<Tool>): Promise<boolean> {
  const missing = needs(used).filter((n) => n.missing);
  if (missing.length === 0) return true;
  const usesApt = missing.some((n) => n.command[0] === "apt-get");
  const lines = [...(usesApt ? ["apt-get update"] : []), ...missing.map((n) => n.command.join(" "))];
  if (!install) {
    console.error(`missing: ${missing.map((n) => n.what).join(", ")}\nrun these (or rerun with --install):\n  ${lines.join("\n  ")}`);
    return false;
  }
  for (const line of lines) {
    console.error(`$ ${line}`);
    const cmd = line.split(" ");
    const r = Bun.spawnSync(cmd, { stdout: "inherit", stderr: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.exitCode !== 0) {
      console.error(`failed: ${line}`);
      return false;
    }
  }
  return needs(used).every((n) => !n.missing);
}

// ---- one run ----

interface Targets {
  nginx: BenchNginx;
  sleep: SleepTarget;
}

function targetUrl(t: Targets, target: Target): string {
  switch (target) {
    case "static":
      return t.nginx.url(STATIC_FILE);
    case "light":
      return t.nginx.url(LIGHT_PATH);
    case "close":
      return t.nginx.url(CLOSE_FILE);
    case "sleep50":
      return t.sleep.url;
  }
}

/** Samples nginx's accepts every 50 ms for `untilMs`; `done()` waits for the sampling to end and reads the ramp. */
function watchRamp(nginx: BenchNginx, connections: number, untilMs: number): { done(): Promise<{ ramp: Ramp; polls: number }> } {
  const samples: { t: number; accepts: number }[] = [];
  const start = performance.now();
  let polls = 0;
  const loop = (async () => {
    while (performance.now() - start < untilMs) {
      const s = await nginx.status();
      // each status read is itself one accepted connection
      samples.push({ t: performance.now() - start, accepts: s.accepts - polls++ });
      await Bun.sleep(50);
    }
  })();
  return {
    async done() {
      await loop;
      const base = samples[0]?.accepts ?? 0;
      return { ramp: rampOf(samples.map((s) => ({ t: s.t, opened: s.accepts - base })), connections), polls };
    },
  };
}

async function measure(t: Targets, c: CaseDef, tool: Tool, workers: number, engine: Engine, round: number, seconds: number, dir: string, flavor?: IndusFlavor): Promise<Row> {
  const load1 = loadavg()[0]!;
  const before = await t.nginx.status();
  const serverCpu = () => (c.target === "sleep50" ? t.sleep.cpuUs() : t.nginx.cpuUs());
  const cpu0 = serverCpu();
  const busy0 = machineBusyUs();
  if (c.target === "sleep50") await t.sleep.reset();
  const ramp = c.watchRamp ? watchRamp(t.nginx, c.connections, RAMP_WATCH_MS) : undefined;
  const spec = { url: targetUrl(t, c.target), connections: c.connections, seconds, thinkMs: c.thinkMs, cpus: c.cpus ?? CLIENT_CPU, workers, dir, indusProfile: c.indusProfile, engine, indusFlavor: flavor };
  const run = await runClient(tool, spec);
  const watched = ramp ? await ramp.done() : undefined;
  const serverCpuUs = serverCpu() - cpu0;
  const otherUs = machineBusyUs() - busy0 - serverCpuUs - run.cpuUs;
  const after = await t.nginx.status();
  const truth = c.target === "sleep50" ? await t.sleep.stats() : undefined;
  const polls = watched?.polls ?? 0;
  const nginxServed = c.target !== "sleep50";
  return {
    ...run,
    case: c.id,
    seconds,
    load1,
    workers,
    label: `${tool}${tool === "indus" && engine === "fetch" ? " (fetch)" : ""}${flavor ? ` (${flavor})` : ""}${c.workers ? ` --workers ${workers}` : ""}${c.lengths ? lengthSuffix(seconds) : ""}`,
    round,
    connections: c.connections,
    rps: run.requests / seconds,
    cpuUsPerRequest: run.cpuUs / run.requests,
    sysShare: run.sysUs / run.cpuUs,
    // each status read is one accepted connection and one request of its own
    newConnections: nginxServed ? after.accepts - before.accepts - 1 - polls : NaN,
    serverRequests: nginxServed ? after.requests - before.requests - 1 - polls : truth?.count ?? NaN,
    serverCpuPct: (100 * serverCpuUs) / (run.wallSeconds * 1e6),
    otherCpuPct: Math.max(0, (100 * otherUs) / (run.wallSeconds * 1e6)),
    truth,
    ramp: watched?.ramp,
  };
}

// ---- summaries ----

export interface Summary {
  case: string;
  label: string;
  tool: Tool;
  rounds: number;
  quietRounds: number;
  rps: number;
  cpuUsPerRequest: number;
  sysShare: number;
  p50: number;
  p99: number;
  newConnections: number;
  peakRssMb: number;
  errors: number;
  serverCpuPct: number;
  otherCpuPct: number;
  /** median 1-minute load average at the runs' starts */
  load1: number;
  /** client CPU over the run, µs per second of wall time (coordination case) */
  cpuUsPerSecond: number;
  workers: number;
  truthP50?: number;
  truthP99?: number;
  ramp?: Ramp;
  saturated?: boolean;
}

function summarize(rows: Row[]): Summary[] {
  const keys = [...new Set(rows.map((r) => `${r.case}\u0000${r.label}`))];
  return keys.map((key) => {
    const mine = rows.filter((r) => `${r.case}\u0000${r.label}` === key);
    const m = (f: (r: Row) => number) => median(mine.map(f));
    const first = mine[0]!;
    const s: Summary = {
      case: first.case,
      label: first.label,
      tool: first.tool,
      rounds: mine.length,
      quietRounds: mine.filter((r) => r.otherCpuPct <= BUSY_PCT).length,
      rps: m((r) => r.rps),
      cpuUsPerRequest: m((r) => r.cpuUsPerRequest),
      sysShare: m((r) => r.sysShare),
      p50: m((r) => r.p50),
      p99: m((r) => r.p99),
      newConnections: m((r) => r.newConnections),
      peakRssMb: m((r) => r.peakRssBytes / 2 ** 20),
      errors: m((r) => r.errors),
      serverCpuPct: m((r) => r.serverCpuPct),
      otherCpuPct: m((r) => r.otherCpuPct),
      load1: m((r) => r.load1),
      cpuUsPerSecond: m((r) => r.cpuUs / r.wallSeconds),
      workers: first.workers,
    };
    if (first.truth) {
      s.truthP50 = m((r) => r.truth!.p50);
      s.truthP99 = m((r) => r.truth!.p99);
    }
    if (first.ramp) s.ramp = combineRamps(mine.map((r) => r.ramp!));
    if (first.saturated !== undefined) s.saturated = mine.some((r) => r.saturated);
    return s;
  });
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "-";
}

/** Fixed and per-request cost apart, per tool, for every case that runs two lengths. */
function steadyOf(cases: CaseDef[], rows: Row[]): CaseSteadyCost[] {
  return cases
    .filter((c) => c.lengths)
    .flatMap((c) => steadyCosts(rows.filter((r) => r.case === c.id).map((r) => ({ tool: r.label.slice(0, -lengthSuffix(r.seconds).length), round: r.round, seconds: r.seconds, requests: r.requests, cpuUs: r.cpuUs }))).map((s) => ({ case: c.id, ...s })));
}

export interface CaseSteadyCost extends SteadyCost {
  case: string;
}

function printCase(c: CaseDef, summary: Summary[], steady: CaseSteadyCost[]): void {
  const mine = summary.filter((s) => s.case === c.id);
  // a steady case has a wrk row per run length: each indus row is divided by the wrk row of its own length
  const wrkFor = (s: Summary) => (c.lengths ? sameLengthRow(mine, s, "wrk") : mine.find((w) => w.tool === "wrk"));
  console.log(`\n${c.title}\n  ${c.note}`);
  const head = ["TOOL", "REQ/S", "CPU µs/REQ", "p50 ms", "p99 ms", "NEW CONNS", "PEAK RSS MB", "ERRORS", "×wrk REQ/S", "×wrk CPU"];
  const lines = mine.map((s) => [
    s.label + (s.saturated ? " ⚠" : ""),
    fmt(s.rps),
    fmt(s.cpuUsPerRequest, 2),
    fmt(s.p50, 2),
    fmt(s.p99, 2),
    fmt(s.newConnections),
    fmt(s.peakRssMb),
    fmt(s.errors),
    s.tool === "indus" && wrkFor(s) ? `×${fmt(s.rps / wrkFor(s)!.rps, 2)}` : "",
    s.tool === "indus" && wrkFor(s) ? `×${fmt(s.cpuUsPerRequest / wrkFor(s)!.cpuUsPerRequest, 2)}` : "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => "  " + cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ");
  console.log(row(head));
  for (const l of lines) console.log(row(l));
  const truth = mine.find((s) => s.truthP50 !== undefined);
  if (truth) console.log(`  target's own delay: p50 ${fmt(truth.truthP50!, 2)} ms, p99 ${fmt(truth.truthP99!, 2)} ms`);
  const baseline = c.indusFlavors ? mine.find((s) => s.label === `indus (${c.indusFlavors![0]})`) : undefined;
  for (const s of baseline ? mine.filter((x) => x !== baseline) : []) {
    console.log(`  ${s.label}: ×${fmt(s.cpuUsPerRequest / baseline!.cpuUsPerRequest, 2)} the CPU per request of ${baseline!.label}, ×${fmt(s.rps / baseline!.rps, 2)} its req/s`);
  }
  for (const s of steady.filter((x) => x.case === c.id)) {
    console.log(`  ${s.tool}: ${fmt(s.steadyUsPerRequest, 2)} µs per request once running, ${fmt(s.fixedMs, 1)} ms once per run (${s.rounds} round(s))`);
  }
  for (const s of mine.filter((x) => x.ramp)) {
    console.log(`  ${rampSentence(s.label, s.ramp!, c.connections)}`);
  }
}

async function main(): Promise<number> {
  const install = process.argv.includes("--install");
  const rounds = Number(argValue("rounds") ?? 3);
  const seconds = Number(argValue("seconds") ?? 10);
  const only = argValue("cases")?.split(",");
  const out = resolve(argValue("out") ?? join(ROOT, "bench", "results", "bench.json"));
  // only what the chosen cases run is needed (--cases=script needs no other client)
  const used = new Set(CASES.filter((c) => !only || only.includes(c.id)).flatMap((c) => c.tools));
  if (!(await ensureTools(install, used))) return 1;
  if (!existsSync(BIN)) {
    console.error(`missing ${BIN}: build it with  npx bun scripts/build.ts`);
    return 1;
  }
  const m = machine();
  if (m.nproc < 2) {
    console.error("needs 2 CPUs: the target on CPU 0, the client on CPU 1");
    return 1;
  }
  const b0 = machineBusyUs();
  await Bun.sleep(2000);
  const loadBefore = (machineBusyUs() - b0) / 2e6 / m.nproc;
  if (loadBefore > 0.1) console.error(`warning: the machine is already ${(100 * loadBefore).toFixed(0)}% busy before the benchmark: figures will be noisy`);
  const cases = CASES.filter((c) => !only || only.includes(c.id));
  const dir = mkdtempSync(join(tmpdir(), "indus-bench-"));
  const targets: Targets = { nginx: await startNginx(which("nginx")!, SERVER_CPU), sleep: await startSleepTarget(SLEEP_MS, SERVER_CPU) };
  const rows: Row[] = [];
  const started = performance.now();
  try {
    for (const c of cases) {
      const caseRounds = Math.max(1, rounds - (c.roundsLess ?? 0));
      // a script-flavour case compares YAML and script on the socket engine unless it says otherwise
      const engines = (tool: Tool): Engine[] => (tool === "indus" ? (c.engines ?? (c.indusFlavors ? ["socket"] : ENGINES)) : ["socket"]);
      const lengths = c.lengths ?? [c.seconds ?? seconds];
      const runs = c.tools.flatMap((tool) =>
        engines(tool).flatMap((engine) =>
          (c.workers ?? [1]).flatMap((w) => (c.indusFlavors ?? [undefined]).flatMap((flavor) => lengths.map((length) => ({ tool, workers: w, engine, flavor, length })))),
        ),
      );
      console.error(`\n== ${c.id}: ${c.title} — ${caseRounds} round(s) × ${runs.length} run(s) × ${lengths.join(" or ")} s`);
      for (let round = 1; round <= caseRounds; round++) {
        // alternate who goes first, so none always meets a warmer (or more fragmented) server
        const order = round % 2 === 1 ? runs : [...runs].reverse();
        for (const { tool, workers, engine, flavor, length } of order) {
          try {
            const row = await measure(targets, c, tool, workers, engine, round, length, dir, flavor);
            rows.push(row);
            console.error(
              `  round ${round} ${row.label.padEnd(18)} ${fmt(row.rps).padStart(8)} req/s  ${fmt(row.cpuUsPerRequest, 2).padStart(7)} µs/req  p50 ${fmt(row.p50, 2)} p99 ${fmt(row.p99, 2)} ms  ` +
                `${fmt(row.newConnections)} new conns  ${fmt(row.peakRssBytes / 2 ** 20)} MB  errors ${row.errors}  server ${fmt(row.serverCpuPct)}% others ${fmt(row.otherCpuPct)}%  load ${row.load1.toFixed(1)}` +
                (row.saturated ? "  ⚠ saturated" : ""),
            );
          } catch (e) {
            console.error(`  round ${round} ${tool}: failed: ${(e as Error).message.split("\n")[0]}`);
          }
          // let TIME_WAIT and the server settle between runs
          await Bun.sleep(c.connections >= 10_000 ? 3000 : 500);
        }
      }
    }
  } finally {
    await targets.nginx.stop();
    await targets.sleep.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = summarize(rows);
  const steady = steadyOf(cases, rows);
  for (const c of cases) printCase(c, summary, steady);
  const busy = rows.filter((r) => r.otherCpuPct > BUSY_PCT).length;
  if (busy > 0) console.log(`\nwarning: ${busy} of ${rows.length} runs shared the machine (> ${BUSY_PCT}% other CPU): req/s is unreliable; CPU µs/req less so`);
  const versions = {
    indus: version([BIN, "--version"]),
    nginx: version([which("nginx")!, "-v"]),
    wrk: version(["wrk", "-v"]),
    hey: "hey (Debian package; no --version)",
    ab: version(["ab", "-V"]),
    autocannon: `autocannon ${(await Bun.file(join(AUTOCANNON_DIR, "node_modules", "autocannon", "package.json")).json().catch(() => ({ version: "?" }))).version}`,
    node: version(["node", "--version"]),
    bun: Bun.version,
  };
  mkdirSync(join(out, ".."), { recursive: true });
  const date = new Date().toISOString();
  const measured = new Set(cases.map((c) => c.id));
  type CaseOut = { id: string; date?: string; indus?: string };
  type Kept = { date: string; versions: { indus: string }; cases: CaseOut[]; summary: Summary[]; rows: Row[]; steady?: CaseSteadyCost[] };
  const keepFile = argValue("keep");
  const kept = keepFile ? (JSON.parse(readFileSync(keepFile, "utf8")) as Kept) : undefined;
  const keptCases = (kept?.cases ?? []).filter((c) => !measured.has(c.id)).map((c) => ({ ...c, date: c.date ?? kept!.date, indus: c.indus ?? kept!.versions.indus }));
  const keptIds = new Set(keptCases.map((c) => c.id));
  const order = CASES.map((c) => c.id);
  const byOrder = (a: CaseOut, b: CaseOut) => order.indexOf(a.id) - order.indexOf(b.id);
  const cpuNote = `target on CPU ${SERVER_CPU}, client on CPU ${CLIENT_CPU} (except where a case says otherwise)`;
  writeFileSync(
    out,
    JSON.stringify(
      {
        date,
        machine: m,
        loadBefore,
        versions,
        rounds,
        seconds,
        pinning: cpuNote,
        minutes: (performance.now() - started) / 60_000,
        cases: [
          ...cases.map((c) => ({ id: c.id, title: c.title, note: c.note, connections: c.connections, thinkMs: c.thinkMs, seconds: c.lengths?.[1] ?? c.seconds ?? seconds, role: c.role, date, indus: versions.indus })),
          ...keptCases,
        ].sort(byOrder),
        summary: [...summary, ...(kept?.summary ?? []).filter((s) => keptIds.has(s.case))],
        steady: [...steady, ...(kept?.steady ?? []).filter((s) => keptIds.has(s.case))],
        rows: [...rows, ...(kept?.rows ?? []).filter((r) => keptIds.has(r.case))],
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`\nwrote ${out}\nrender it:  npx bun scripts/perf-table.ts ${out === join(ROOT, "bench", "results", "bench.json") ? "" : `${out} `}--readme`);
  return 0;
}

process.exit(await main());
