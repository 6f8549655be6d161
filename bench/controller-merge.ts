// Benchmark: the controller's CPU and merge latency with 100 agents, each answering every heartbeat with a realistic snapshot.
//   npx bun bench/controller-merge.ts [seconds=20] [agents=100]
// One child process hosts the fake agents: 100 real gRPC servers (src/transport/grpc), each replying with snapshots
// of 20 histograms (4 scenarios × 5 steps, ~300 non-empty buckets each) built with the real Recorder.
// The controller is measured twice, each time alone in its own process:
//   A. the run loop (src/controller/run.ts startRun) over 100 gRPC connectors: CPU (process.cpuUsage) and merge
//      latency (heartbeat sent → that second closed);
//   B. the compiled `indus controller` with `indus run --controller`: CPU from /proc/PID/stat.
// Writes bench/results/controller-merge.json. Add --cpu-prof to profile run A and, for B, the controller run from source
// (src/main.ts under bun --cpu-prof: its figure is then not the binary's); .cpuprofile files go to the results dir.
// INDUS_BENCH_BIN=path/to/indus measures another build in B (e.g. the previous commit's, to compare).
//
//   npx bun bench/controller-merge.ts --scale [seconds=15] [agents=100,1000]
// C. scale: N simulated agents in the controller's own process (no gRPC: each answers every heartbeat at once with a
//    snapshot of 20 histograms from the same pool), through the real run loop, merge, SQLite run store and Prometheus
//    registry (scraped every second, as a Prometheus server would). Reports CPU per second and merge latency per N;
//    the CPU includes the simulated agents' (small: they hand over prepared snapshots) and excludes protobuf decoding.
//    Writes bench/results/controller-scale.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TimelineEntry } from "../src/run/types.ts";
import { createRealClock } from "../src/core/clock.ts";
import type { RequestResult } from "../src/engine/types.ts";
import { Recorder, type Snapshot } from "../src/metrics/index.ts";
import { createSilentLogger } from "../src/observability/logger.ts";
import { parsePlan } from "../src/plan/index.ts";
import { createGrpcAgentConnector, startAgentGrpcServer } from "../src/transport/grpc/index.ts";
import type { AgentConnector, AgentSession, ControllerSession } from "../src/transport/messages.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = process.env.INDUS_BENCH_BIN || join(ROOT, "bin", "indus");
const RESULTS = join(ROOT, "bench", "results");
const SCENARIOS = 4;
const STEPS = 5;
const SAMPLES_PER_HISTOGRAM = 340;
const POOL = 16;
const WARMUP_S = 3;
const AIM_PCT = 10;

// ---------- the plan both controllers run: 4 scenarios × 5 steps (the fake agents ignore the URLs) ----------

function planYaml(seconds: number, agents: number): string {
  const lines = ["name: controller-merge-bench", "scenarios:"];
  for (let s = 0; s < SCENARIOS; s++) {
    lines.push(`  sc${s}:`, `    duration: ${seconds}s`, `    profile: { type: constant, vus: ${agents * 2} }`, "    steps:");
    for (let st = 0; st < STEPS; st++) lines.push(`      - { name: step${st}, url: "http://127.0.0.1:9/s${s}/${st}" }`);
  }
  lines.push("thresholds:", '  - { metric: p95, condition: "<", value: 10000 }', '  - { metric: error_ratio, condition: "<", value: 0.5 }');
  return lines.join("\n") + "\n";
}

// ---------- child 1: the fake agents ----------

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Snapshots as a busy agent sends them: every step histogram with ~SAMPLES latencies spread log-normally. */
function snapshotPool(): { pool: Snapshot[]; avgBuckets: number; avgBytes: number } {
  const layout = Array.from({ length: SCENARIOS }, (_, s) => ({ name: `sc${s}`, steps: Array.from({ length: STEPS }, (_, st) => ({ name: `step${st}` })) }));
  const r = rng(7);
  const result: RequestResult = { status: 200, durationUs: 0, bytesIn: 800, bytesOut: 120, error: null, connected: false };
  const pool: Snapshot[] = [];
  let buckets = 0;
  let bytes = 0;
  let histograms = 0;
  for (let i = 0; i < POOL; i++) {
    const recorder = new Recorder(layout);
    for (const sc of recorder.scenarios) {
      sc.vus = 2;
      sc.iterations = SAMPLES_PER_HISTOGRAM;
      for (const st of sc.steps) {
        for (let n = 0; n < SAMPLES_PER_HISTOGRAM; n++) {
          const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
          result.durationUs = 30_000 * Math.exp(0.6 * z);
          result.error = r() < 0.005 ? "http_5xx" : null;
          st.record(result);
        }
        buckets += countBuckets(st.latency as unknown as { getCountAtIndex(i: number): number; countsArrayIndex(v: number): number; maxValue: number });
        histograms++;
      }
    }
    const snapshot = recorder.takeDelta();
    for (const sc of Object.values(snapshot.scenarios)) for (const st of Object.values(sc.steps)) bytes += st.latency.byteLength;
    pool.push(snapshot);
  }
  return { pool, avgBuckets: buckets / histograms, avgBytes: bytes / histograms };
}

function countBuckets(h: { getCountAtIndex(i: number): number; countsArrayIndex(v: number): number; maxValue: number }): number {
  let n = 0;
  const limit = h.countsArrayIndex(h.maxValue) + 1;
  for (let i = 0; i < limit; i++) if (h.getCountAtIndex(i) > 0) n++;
  return n;
}

async function hostAgents(count: number): Promise<void> {
  const { pool, avgBuckets, avgBytes } = snapshotPool();
  const servers = [];
  for (let i = 0; i < count; i++) {
    const id = `fake-${String(i + 1).padStart(3, "0")}`;
    let busy = false;
    const agent = {
      accept(session: ControllerSession) {
        let n = i;
        session.onMessage((msg) => {
          switch (msg.kind) {
            case "assign":
              busy = true;
              return session.send({ kind: "ready", agentId: id, workers: 1 });
            case "heartbeat":
              return session.send({ kind: "snapshot", seq: msg.seq, snapshot: pool[n++ % POOL]!, final: false });
            case "stop":
              session.send({ kind: "snapshot", seq: 0, snapshot: { scenarios: {} }, final: true });
              busy = false;
              return session.close();
          }
        });
        session.onClose(() => (busy = false));
      },
      info: () => ({ id, state: busy ? ("busy" as const) : ("idle" as const), runId: undefined, vus: 0 }),
    };
    servers.push(await startAgentGrpcServer({ agent, address: "127.0.0.1:0" }));
  }
  process.stdout.write(JSON.stringify({ addresses: servers.map((s) => s.address), avgBuckets, avgBytes }) + "\n");
  // Bounded: the benchmark kills this child; at worst it exits by itself after 10 minutes.
  setTimeout(() => process.exit(0), 600_000);
}

// ---------- child 2: the run loop alone in a process ----------

interface LoopFigures {
  cpuPct: number;
  userPct: number;
  sysPct: number;
  mergeLatencyMs: { p50: number; p95: number; max: number };
  /** the controller's own CPU per schedule second (median): its share of the merge latency */
  cpuMsPerSecondP50: number;
  perSecond: { t: number; mergeMs: number; cpuMsInSecond: number }[];
  requestsMerged: number;
}

async function runLoop(addresses: string[], seconds: number): Promise<void> {
  const { startRun } = await import("../src/controller/run.ts");
  const clock = createRealClock();
  const heartbeatAt = new Map<number, number>();
  // wrap each connector to note when heartbeat N went out (to the first agent: they all go out in one loop)
  const connectors: AgentConnector[] = addresses.map((address, i) => {
    const inner = createGrpcAgentConnector({ id: `fake-${i + 1}`, address });
    return {
      id: inner.id,
      address,
      open(): AgentSession {
        const s = inner.open();
        return {
          ...s,
          send(msg) {
            if (msg.kind === "heartbeat" && !heartbeatAt.has(msg.seq)) heartbeatAt.set(msg.seq, performance.now());
            s.send(msg);
          },
          onMessage: (h) => s.onMessage(h),
          onClose: (h) => s.onClose(h),
          close: () => s.close(),
        };
      },
    };
  });
  const plan = parsePlan(planYaml(seconds, addresses.length), "bench.yaml");
  const perSecond: LoopFigures["perSecond"] = [];
  let cpuAtWarm: NodeJS.CpuUsage | undefined;
  let wallAtWarm = 0;
  let cpuAtEnd: NodeJS.CpuUsage | undefined;
  let wallAtEnd = 0;
  let lastCpu = process.cpuUsage();
  const onSecond = (entry: TimelineEntry) => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    perSecond.push({ t: entry.t, mergeMs: now - (heartbeatAt.get(entry.t) ?? now), cpuMsInSecond: (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000 });
    lastCpu = cpu;
    if (entry.t === WARMUP_S) {
      cpuAtWarm = cpu;
      wallAtWarm = now;
    }
    if (entry.t === seconds - 1) {
      cpuAtEnd = cpu;
      wallAtEnd = now;
    }
  };
  const handle = startRun({ runId: "bench001", plan, agents: connectors, clock, logger: createSilentLogger(), onSecond, gracefulStopMs: 5000 });
  const result = await handle.result;
  if (!cpuAtWarm || !cpuAtEnd) throw new Error(`run ended early: ${result.state} ${result.reason ?? ""}`);
  const wallUs = (wallAtEnd - wallAtWarm) * 1000;
  const user = cpuAtEnd.user - cpuAtWarm.user;
  const sys = cpuAtEnd.system - cpuAtWarm.system;
  const merges = perSecond.filter((p) => p.t > WARMUP_S).map((p) => p.mergeMs).sort((a, b) => a - b);
  const q = (p: number) => merges[Math.min(merges.length - 1, Math.ceil(p * merges.length) - 1)]!;
  const figures: LoopFigures = {
    cpuPct: (100 * (user + sys)) / wallUs,
    userPct: (100 * user) / wallUs,
    sysPct: (100 * sys) / wallUs,
    mergeLatencyMs: { p50: q(0.5), p95: q(0.95), max: merges.at(-1)! },
    cpuMsPerSecondP50: perSecond.filter((p) => p.t > WARMUP_S && p.t < seconds).map((p) => p.cpuMsInSecond).sort((a, b) => a - b)[Math.floor((seconds - WARMUP_S - 1) / 2)]!,
    perSecond,
    requestsMerged: result.summary.global.requests,
  };
  process.stdout.write(JSON.stringify(figures) + "\n");
  process.exit(0);
}

// ---------- child 3: the controller at scale, simulated agents in-process, real store and Prometheus ----------

interface ScaleFigures {
  agents: number;
  cpuPct: number;
  cpuMsPerSecond: { p50: number; p95: number; max: number };
  mergeLatencyMs: { p50: number; p95: number; max: number };
  storeMsPerSecondP50: number;
  scrapeMsP50: number;
  requestsMerged: number;
  rssMiB: number;
}

async function runScale(count: number, seconds: number): Promise<void> {
  const { startRun } = await import("../src/controller/run.ts");
  const { combineSinks } = await import("../src/controller/service.ts");
  const { openRunStore } = await import("../src/store/index.ts");
  const { storeSink } = await import("../src/cli/store-access.ts");
  const { createControllerMetrics, createRegistry } = await import("../src/observability/index.ts");
  const { pool } = snapshotPool();
  const dir = mkdtempSync(join(tmpdir(), "indus-bench-scale-"));
  const store = openRunStore(dir);
  const registry = createRegistry();
  const metrics = createControllerMetrics(registry);
  const plan = parsePlan(planYaml(seconds, count), "bench.yaml");
  const heartbeatAt = new Map<number, number>();
  let storeMs = 0;
  const connectors: AgentConnector[] = Array.from({ length: count }, (_, i) => ({
    id: `sim-${i + 1}`,
    address: `sim:${i + 1}`,
    open(): AgentSession {
      let onMessage: (m: Parameters<Parameters<AgentSession["onMessage"]>[0]>[0]) => void = () => {};
      let onClose: (r: string) => void = () => {};
      let n = i;
      // answers come back on a later turn of the event loop, as from a socket
      const reply = (m: Parameters<typeof onMessage>[0]) => setImmediate(() => onMessage(m));
      return {
        send(msg) {
          switch (msg.kind) {
            case "assign":
              return reply({ kind: "ready", agentId: `sim-${i + 1}`, workers: 1 });
            case "heartbeat":
              if (msg.seq > 0 && !heartbeatAt.has(msg.seq)) heartbeatAt.set(msg.seq, performance.now());
              if (msg.seq > 0) reply({ kind: "snapshot", seq: msg.seq, snapshot: pool[n++ % POOL]!, final: false });
              return;
            case "stop":
              reply({ kind: "snapshot", seq: 0, snapshot: { scenarios: {} }, final: true });
              return setImmediate(() => onClose("closed"));
          }
        },
        onMessage: (h) => void (onMessage = h),
        onClose: (h) => void (onClose = h),
        close: () => {},
      };
    },
  }));
  const toStore = storeSink(store, "controller");
  const plans = new Map([["bench001", plan]]);
  const sink = combineSinks(
    {
      begin: () => {},
      second: (runId, entry, merged, snapshots) => {
        metrics.onSecond(runId, entry, plans.get(runId), merged);
        metrics.snapshotMerged(snapshots);
      },
      finish: (result) => metrics.onResult(result.runId, result),
    },
    {
      begin: (run) => toStore.begin(run),
      second: (...a) => {
        const t = performance.now();
        toStore.second(...a);
        storeMs += performance.now() - t;
      },
      finish: (r) => toStore.finish(r),
    },
  );
  sink.begin({ id: "bench001", plan, planYaml: "", planFile: "bench.yaml", startedAt: new Date(), agents: connectors.map((c) => ({ id: c.id, address: c.address })) });
  const perSecond: { t: number; mergeMs: number; cpuMs: number; storeMs: number }[] = [];
  const scrapes: number[] = [];
  let lastCpu = process.cpuUsage();
  let cpuWarm: NodeJS.CpuUsage | undefined;
  let wallWarm = 0;
  let cpuEnd: NodeJS.CpuUsage | undefined;
  let wallEnd = 0;
  const scraper = setInterval(() => {
    const t = performance.now();
    void registry.metrics().then(() => scrapes.push(performance.now() - t));
  }, 1000);
  const handle = startRun({
    runId: "bench001",
    plan,
    agents: connectors,
    clock: createRealClock(),
    logger: createSilentLogger(),
    gracefulStopMs: 5000,
    readyTimeoutMs: 60_000,
    onUpdate: (u) => metrics.onUpdate("bench001", u),
    onSecond: (entry, merged, snapshots) => {
      const before = storeMs;
      sink.second("bench001", entry, merged, snapshots);
      const now = performance.now();
      const cpu = process.cpuUsage();
      perSecond.push({ t: entry.t, mergeMs: now - (heartbeatAt.get(entry.t) ?? now), cpuMs: (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000, storeMs: storeMs - before });
      lastCpu = cpu;
      if (entry.t === WARMUP_S) [cpuWarm, wallWarm] = [cpu, now];
      if (entry.t === seconds - 1) [cpuEnd, wallEnd] = [cpu, now];
    },
  });
  const result = await handle.result;
  clearInterval(scraper);
  sink.finish(result);
  store.close();
  rmSync(dir, { recursive: true, force: true });
  if (!cpuWarm || !cpuEnd) throw new Error(`run ended early: ${result.state} ${result.reason ?? ""}`);
  const steady = perSecond.filter((p) => p.t > WARMUP_S && p.t < seconds);
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  };
  const figures: ScaleFigures = {
    agents: count,
    cpuPct: (100 * (cpuEnd.user + cpuEnd.system - cpuWarm.user - cpuWarm.system)) / ((wallEnd - wallWarm) * 1000),
    cpuMsPerSecond: { p50: q(steady.map((p) => p.cpuMs), 0.5), p95: q(steady.map((p) => p.cpuMs), 0.95), max: Math.max(...steady.map((p) => p.cpuMs)) },
    mergeLatencyMs: { p50: q(steady.map((p) => p.mergeMs), 0.5), p95: q(steady.map((p) => p.mergeMs), 0.95), max: Math.max(...steady.map((p) => p.mergeMs)) },
    storeMsPerSecondP50: q(steady.map((p) => p.storeMs), 0.5),
    scrapeMsP50: scrapes.length ? q(scrapes, 0.5) : NaN,
    requestsMerged: result.summary.global.requests,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  process.stdout.write(JSON.stringify(figures) + "\n");
  process.exit(0);
}

async function scale(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? "15");
  const counts = (args[1] ?? "100,1000").split(",").map(Number);
  mkdirSync(RESULTS, { recursive: true });
  const all: (ScaleFigures & { machineBusyPctOfOneCore: number })[] = [];
  for (const count of counts) {
    const busy0 = machineBusyUs();
    const t0 = performance.now();
    const child = Bun.spawn([process.execPath, import.meta.path, "--scale-child", String(count), String(seconds)], { stdout: "pipe", stderr: "inherit" });
    const f = JSON.parse(await firstLine(child.stdout, "the scale run")) as ScaleFigures;
    await child.exited;
    const machinePct = (100 * (machineBusyUs() - busy0)) / ((performance.now() - t0) * 1000);
    all.push({ ...f, machineBusyPctOfOneCore: machinePct });
    console.log(
      `C. ${count} simulated agents × ${SCENARIOS * STEPS} histograms/s, real merge + store + Prometheus: controller CPU ${f.cpuPct.toFixed(1)}% of one core ` +
        `(CPU per second p50 ${f.cpuMsPerSecond.p50.toFixed(0)} ms, p95 ${f.cpuMsPerSecond.p95.toFixed(0)} ms); merge latency p50 ${f.mergeLatencyMs.p50.toFixed(1)} ms, ` +
        `p95 ${f.mergeLatencyMs.p95.toFixed(1)} ms, max ${f.mergeLatencyMs.max.toFixed(1)} ms; store ${f.storeMsPerSecondP50.toFixed(1)} ms/s; scrape ${f.scrapeMsP50.toFixed(1)} ms; ` +
        `RSS ${f.rssMiB} MiB; whole machine ${machinePct.toFixed(0)}% of one core during the run`,
    );
  }
  const report = { date: new Date().toISOString(), machine: machine(), versions: { bun: Bun.version }, seconds, warmupSeconds: WARMUP_S, histogramsPerSnapshot: SCENARIOS * STEPS, results: all };
  writeFileSync(join(RESULTS, "controller-scale.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(`wrote bench/results/controller-scale.json`);
}

// ---------- the benchmark ----------

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    nproc: os.availableParallelism(),
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown",
    kernel: os.release(),
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** utime + stime of a process, µs (/proc/PID/stat, clock ticks of 10 ms). */
function procCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Whole-machine busy time, µs: to warn when other load skews the figures. */
function machineBusyUs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) * 10_000;
}

async function firstLine(stream: ReadableStream<Uint8Array>, what: string): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${what} exited before printing`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.slice(0, text.indexOf("\n"));
}

async function measureBinary(addresses: string[], seconds: number, dir: string, profile: boolean): Promise<{ cpuPct: number; exitCode: number }> {
  const planFile = join(dir, "bench.yaml");
  writeFileSync(planFile, planYaml(seconds, addresses.length));
  // profiling: the same controller from source under bun --cpu-prof (the compiled binary cannot write a profile)
  const entry = profile ? [process.execPath, "--cpu-prof", "--cpu-prof-dir", RESULTS, "--cpu-prof-name", "controller-merge-binary.cpuprofile", join(ROOT, "src", "main.ts")] : [BIN];
  const controller = Bun.spawn(
    [...entry, "controller", "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--data-dir", join(dir, "data"), `--agents=${addresses.join(",")}`],
    { stdout: "ignore", stderr: "pipe", env: { ...process.env, INDUS_DATA_DIR: join(dir, "data") } },
  );
  try {
    let port = 0;
    const reader = controller.stderr.getReader();
    let buffered = "";
    while (!port) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`controller exited: ${buffered}`);
      buffered += new TextDecoder().decode(value);
      const m = /"msg":"controller gRPC server[^\n]*"port":(\d+)/.exec(buffered);
      if (m) port = Number(m[1]);
    }
    void (async () => {
      for (;;) if ((await reader.read()).done) return; // keep draining the logs
    })();
    const run = Bun.spawn([BIN, "run", planFile, `--controller=127.0.0.1:${port}`, "--interval", "1s"], { stdout: "pipe", stderr: "inherit" });
    const rows = run.stdout.getReader();
    let out = "";
    let cpu0 = 0;
    let wall0 = 0;
    let cpu1 = 0;
    let wall1 = 0;
    for (;;) {
      const { value, done } = await rows.read();
      if (done) break;
      out += new TextDecoder().decode(value);
      if (!wall0 && new RegExp(`^running\\s+${WARMUP_S}s`, "m").test(out)) {
        cpu0 = procCpuUs(controller.pid);
        wall0 = performance.now();
      }
      // the last second's row is the final one (closed by the agents' final snapshots): stop a second before
      if (!wall1 && new RegExp(`^running\\s+${seconds - 1}s`, "m").test(out)) {
        cpu1 = procCpuUs(controller.pid);
        wall1 = performance.now();
      }
    }
    const exitCode = await run.exited;
    if (!wall1) throw new Error(`the run did not reach ${seconds - 1}s:\n${out}`);
    return { cpuPct: (100 * (cpu1 - cpu0)) / ((wall1 - wall0) * 1000), exitCode };
  } finally {
    if (profile) {
      // a clean stop, so that bun writes the profile
      controller.kill("SIGTERM");
      await Promise.race([controller.exited, Bun.sleep(10_000)]);
    }
    controller.kill("SIGKILL");
  }
}

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role === "--agents") return hostAgents(Number(process.argv[3]));
  if (role === "--loop") return runLoop(JSON.parse(process.argv[4]!) as string[], Number(process.argv[3]));
  if (role === "--scale-child") return runScale(Number(process.argv[3]), Number(process.argv[4]));
  if (role === "--scale") return scale(process.argv.slice(3));

  const args = process.argv.slice(2).filter((a) => a !== "--cpu-prof");
  const profile = process.argv.includes("--cpu-prof");
  const seconds = Number(args[0] ?? "20");
  const count = Number(args[1] ?? "100");
  const dir = mkdtempSync(join(tmpdir(), "indus-bench-merge-"));
  mkdirSync(RESULTS, { recursive: true });
  const agents = Bun.spawn([process.execPath, import.meta.path, "--agents", String(count)], { stdout: "pipe", stderr: "inherit" });
  try {
    const hosted = JSON.parse(await firstLine(agents.stdout, "the agents' process")) as { addresses: string[]; avgBuckets: number; avgBytes: number };
    console.log(`${hosted.addresses.length} fake agents up; snapshots: ${SCENARIOS * STEPS} histograms, ${hosted.avgBuckets.toFixed(0)} non-empty buckets and ${hosted.avgBytes.toFixed(0)} bytes each`);

    const busy0 = machineBusyUs();
    const t0 = performance.now();
    const loopCmd = [process.execPath, ...(profile ? ["--cpu-prof", "--cpu-prof-dir", RESULTS] : []), import.meta.path, "--loop", String(seconds), JSON.stringify(hosted.addresses)];
    const loop = Bun.spawn(loopCmd, { stdout: "pipe", stderr: "inherit" });
    const loopFigures = JSON.parse(await firstLine(loop.stdout, "the run loop")) as LoopFigures;
    await loop.exited;
    const machinePct = (100 * (machineBusyUs() - busy0)) / ((performance.now() - t0) * 1000);
    console.log(
      `A. run loop, ${count} agents, seconds ${WARMUP_S + 1}..${seconds - 1}: controller CPU ${loopFigures.cpuPct.toFixed(1)}% of one core ` +
        `(user ${loopFigures.userPct.toFixed(1)}%, sys ${loopFigures.sysPct.toFixed(1)}%); merge latency p50 ${loopFigures.mergeLatencyMs.p50.toFixed(1)} ms, ` +
        `p95 ${loopFigures.mergeLatencyMs.p95.toFixed(1)} ms, max ${loopFigures.mergeLatencyMs.max.toFixed(1)} ms ` +
        `(controller CPU per second p50 ${loopFigures.cpuMsPerSecondP50.toFixed(0)} ms); whole machine ${machinePct.toFixed(0)}% of one core`,
    );

    const binary = await measureBinary(hosted.addresses, seconds, dir, profile);
    console.log(
      `B. ${profile ? "`bun --cpu-prof src/main.ts controller`" : "compiled `indus controller`"} (+ run store, progress stream): CPU ${binary.cpuPct.toFixed(1)}% of one core (run exit code ${binary.exitCode})`,
    );
    const worst = Math.max(loopFigures.cpuPct, binary.cpuPct);
    console.log(worst <= AIM_PCT ? `under the ${AIM_PCT}% aim` : `OVER the ${AIM_PCT}% aim: profile with --cpu-prof`);

    const version = Bun.spawnSync([BIN, "--version"]).stdout.toString().trim();
    const report = {
      date: new Date().toISOString(),
      machine: machine(),
      versions: { bun: Bun.version, indus: version },
      config: {
        agents: count,
        seconds,
        warmupSeconds: WARMUP_S,
        histogramsPerSnapshot: SCENARIOS * STEPS,
        samplesPerHistogram: SAMPLES_PER_HISTOGRAM,
        nonEmptyBucketsPerHistogram: Math.round(hosted.avgBuckets),
        encodedBytesPerHistogram: Math.round(hosted.avgBytes),
      },
      aimCpuPct: AIM_PCT,
      runLoop: { ...loopFigures, machineBusyPctOfOneCore: machinePct },
      binary,
    };
    if (profile) {
      console.log(`profiled: figures not written; .cpuprofile files in bench/results`);
      return;
    }
    writeFileSync(join(RESULTS, "controller-merge.json"), JSON.stringify(report, null, 2) + "\n");
    console.log(`wrote bench/results/controller-merge.json`);
  } finally {
    agents.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
