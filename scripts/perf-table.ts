// Renders bench/results/bench.json (written by bench/run.ts) as the README's markdown performance section.
//   npx bun scripts/perf-table.ts [bench.json] [--readme]
// Prints the markdown; with --readme it also replaces what README.md holds between <!-- perf:begin --> and <!-- perf:end -->.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { rampSentence, type Ramp } from "../bench/support/ramp.ts";
import { AOT_MARK } from "../src/cli/version.ts";
import { runCostMs, sameLengthRow, type SteadyCost } from "../bench/support/steady.ts";

const ROOT = resolve(import.meta.dir, "..");
export const BEGIN = "<!-- perf:begin -->";
export const END = "<!-- perf:end -->";

interface Summary {
  case: string;
  label: string;
  tool: string;
  rounds: number;
  quietRounds?: number;
  rps: number;
  cpuUsPerRequest: number;
  p50: number;
  p99: number;
  newConnections: number;
  peakRssMb: number;
  errors: number;
  truthP50?: number;
  truthP99?: number;
  ramp?: Ramp;
  saturated?: boolean;
  /** 1-minute load average at the runs' starts (older bench files lack it) */
  load1?: number;
  /** client CPU µs per second of wall time */
  cpuUsPerSecond?: number;
  workers?: number;
}

export interface BenchFile {
  date: string;
  machine: { nproc: number; cpuModel: string; kernel: string; memTotalMb?: number };
  versions: Record<string, string>;
  rounds: number;
  seconds: number;
  pinning: string;
  cases: { id: string; title: string; note: string; connections: number; thinkMs: number; seconds: number; role?: "ceiling" | "coordination" | "steady"; date?: string; indus?: string }[];
  summary: Summary[];
  /** cases of role steady: fixed and per-request CPU apart, per tool (older bench files lack it) */
  steady?: (SteadyCost & { case: string })[];
}

/** Run lengths the steady table prices a whole run at: the bench's own 10 s, a minute, five minutes. */
const STEADY_RUN_SECONDS = [10, 60, 300];

const n = (x: number | undefined, digits = 0) =>
  x === undefined || !Number.isFinite(x) ? "–" : x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** a figure the bench could not measure is NaN, which JSON writes as null (and null / x is 0): no ratio then */
const ratio = (a: number | null, b: number | null | undefined) =>
  typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a / b) ? "" : `×${(a / b).toFixed(2)}`;

/** What a run spends once, by the build the bench measured (its --version line says which). */
export function startUpText(indusVersion: string): string {
  const jit =
    "indus's JIT build spends ~0.04 s of CPU starting and stopping (its runtime starts twice: `run` goes without JSC's FTL tier) and JSC ~0.03 s " +
    "compiling its hot code during a run's first seconds, fixed costs that weigh at low request rates (see the breakdown above)";
  if (!indusVersion.includes(AOT_MARK)) return jit.replace("indus's JIT build", "indus");
  return (
    "indus here is the linux-x64 build, compiled ahead of time (`scripts/aot.ts`): it starts once and compiles nothing while it runs. " +
    jit.charAt(0).toUpperCase() + jit.slice(1) + "; it is what the other platforms get, and `bench/aot.ts` measures the two side by side"
  );
}

/** The markdown section: where and when, then one table per case; every indus figure also as a ratio to wrk's. */
export function renderPerfTable(b: BenchFile): string {
  const m = b.machine;
  const out: string[] = [
    `Measured ${b.date.slice(0, 10)} on ${m.nproc} × ${m.cpuModel}${m.memTotalMb ? `, ${Math.round(m.memTotalMb / 1024)} GB` : ""}, Linux ${m.kernel} — a shared cloud VM, so req/s is noisy; ` +
      `CPU per request is steadier${shared(b)}. ${b.pinning.charAt(0).toUpperCase()}${b.pinning.slice(1)}; medians of up to ${b.rounds} alternating rounds of ${b.seconds} s (longer where stated). ` +
      `Rerun: \`npx bun bench/run.ts --install\`, then \`npx bun scripts/perf-table.ts --readme\`.`,
    "",
    `Versions: ${Object.entries(b.versions).map(([k, v]) => versionText(k, v)).join(" · ")}.`,
    "",
    "*CPU µs/req* is the client's user + system CPU per completed request (rusage), start-up included: " + startUpText(b.versions.indus ?? "") +
      "; *new conns* are TCP connections nginx accepted; *÷ wrk* is indus's figure divided by wrk's " +
      "(req/s: higher is better; the rest: lower). indus starts up to 256 VUs at once, as wrk does, and spreads a bigger step evenly over its first second, which costs it a little of a 10 s run's req/s at 1,000 VUs and more. " +
      "*⚠ saturated*: indus flagged its own generator (a worker thread over 90% of a core, or its process over 90% of the cores it may use, or 50 ms of event-loop lag, for 3 s), as a closed loop without think time is meant to do; " +
      "*not flagged* means it did not. *indus (fetch)* is the same plan on `--engine fetch`. *load*: the machine's 1-minute load average when the run began " +
      "(this 2-core machine is shared; above ~2, other work competed for the cores and absolute figures are noise, ratios to wrk in the same case less so).",
  ];
  for (const c of b.cases) {
    const rows = b.summary.filter((s) => s.case === c.id);
    if (rows.length === 0) continue;
    const wrk = rows.find((s) => s.tool === "wrk");
    const indus = rows.filter((s) => s.tool === "indus");
    const older = c.date !== undefined && c.date.slice(0, 10) !== b.date.slice(0, 10) ? ` *(Measured ${c.date.slice(0, 10)}${c.indus ? ` with ${c.indus}` : ""}: kept from an earlier bench run.)*` : "";
    out.push("", `**${c.title}** — ${c.note}.${older}`, "");
    const withLoad = rows.some((s) => s.load1 !== undefined);
    const perVu = c.id.startsWith("mem");
    out.push(
      `| tool | req/s | CPU µs/req | p50 ms | p99 ms | new conns | peak RSS MB${perVu ? " | RSS KB/VU" : ""} | errors${withLoad ? " | generator | load" : ""} |`,
      `|---|---:|---:|---:|---:|---:|---:${perVu ? "|---:" : ""}|---:${withLoad ? "|---|---:" : ""}|`,
    );
    for (const s of rows) {
      const mark = s.saturated ? " ⚠ saturated" : "";
      const health = s.tool !== "indus" ? "" : s.saturated ? "saturated" : "not flagged";
      out.push(
        `| ${s.label}${mark} | ${n(s.rps)} | ${n(s.cpuUsPerRequest, 2)} | ${n(s.p50, 2)} | ${n(s.p99, 2)} | ${n(s.newConnections)} | ${n(s.peakRssMb)}` +
          `${perVu ? ` | ${n((s.peakRssMb * 1024) / c.connections, 1)}` : ""} | ${n(s.errors)}${withLoad ? ` | ${health} | ${n(s.load1, 1)}` : ""} |`,
      );
    }
    // a steady case has a wrk row per run length: each indus row is divided by the wrk row of its own length
    const wrkFor = (s: Summary) => (c.role === "steady" ? sameLengthRow(rows, s, "wrk") : wrk);
    for (const s of indus) {
      const peer = wrkFor(s);
      if (peer) {
        out.push(
          `| *${s.label} ÷ wrk* | ${ratio(s.rps, peer.rps)} | ${ratio(s.cpuUsPerRequest, peer.cpuUsPerRequest)} | ${ratio(s.p50, peer.p50)} | ${ratio(s.p99, peer.p99)} | ` +
            `${ratio(s.newConnections, peer.newConnections)} | ${ratio(s.peakRssMb, peer.peakRssMb)}${perVu ? " | " : ""} | |${withLoad ? " | |" : ""}`,
        );
      }
    }
    const steady = renderSteady((b.steady ?? []).filter((s) => s.case === c.id));
    if (steady) out.push("", steady);
    const truth = rows.find((s) => s.truthP50 !== undefined);
    if (truth) out.push("", `The target's own timer: p50 ${n(truth.truthP50, 2)} ms, p99 ${n(truth.truthP99, 2)} ms — each client's excess over it is its measurement error.`);
    const ramps = rows.filter((s) => s.ramp);
    if (ramps.length > 0) {
      out.push(
        "",
        "Connection ramp (nginx accepts sampled every 50 ms): " +
          ramps.map((s) => rampSentence(s.label, s.ramp!, c.connections)).join("; ") +
          ".",
      );
    }
  }
  const projection = renderProjection(b);
  if (projection) out.push("", projection);
  return out.join("\n");
}

/**
 * Fixed and per-request CPU apart: per tool, what a request costs once running and what a run costs once, then what a
 * whole run of 10 s, a minute and five minutes costs at that rate, with indus ÷ wrk under it. Null without both tools.
 */
function renderSteady(costs: SteadyCost[]): string | null {
  const indus = costs.find((s) => s.tool === "indus");
  const wrk = costs.find((s) => s.tool === "wrk");
  if (!indus || !wrk) return null;
  const lengths = STEADY_RUN_SECONDS.map((t) => `whole ${t < 60 ? `${t} s` : `${t / 60} min`} run, ms`);
  const line = (s: SteadyCost) => `| ${s.tool} | ${n(s.steadyUsPerRequest, 2)} | ${n(s.fixedMs, 1)} | ${STEADY_RUN_SECONDS.map((t) => n(runCostMs(s, t))).join(" | ")} |`;
  return [
    `Fixed and per-request CPU apart (${indus.rounds} round(s) of a ${indus.shortSeconds} s and a ${indus.longSeconds} s run each; a whole run priced at each tool's own req/s, ` +
      `${n(indus.rps)} for indus and ${n(wrk.rps)} for wrk; the last row divides indus's figures by wrk's, for whole runs per request):`,
    "",
    `| tool | CPU µs per request, once running | CPU ms once per run | ${lengths.join(" | ")} |`,
    `|---|---:|---:|${STEADY_RUN_SECONDS.map(() => "---:").join("|")}|`,
    line(indus),
    line(wrk),
    `| *indus ÷ wrk* | ${ratio(indus.steadyUsPerRequest, wrk.steadyUsPerRequest)} | ${ratio(indus.fixedMs, wrk.fixedMs)} | ` +
      `${STEADY_RUN_SECONDS.map((t) => ratio(runCostMs(indus, t) / (indus.rps * t), runCostMs(wrk, t) / (wrk.rps * t))).join(" | ")} |`,
  ].join("\n");
}

/** Least-squares line through (x, y): CPU per second against workers. */
function fitLine(points: { x: number; y: number }[]): { slope: number; intercept: number } {
  const k = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / k;
  const my = points.reduce((a, p) => a + p.y, 0) / k;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * One agent per core, by arithmetic: one worker's CPU per request at its ceiling, the agent's CPU per second for
 * each more worker (coordination), and what N cores then serve. Null when the bench file lacks either case.
 */
export function projectAgent(b: BenchFile): { ceilingRps: number; usPerRequest: number; baseUsPerSecond: number; usPerWorkerSecond: number; cores: { cores: number; rps: number }[] } | null {
  const ceilingCase = b.cases.find((c) => c.role === "ceiling");
  const coordCase = b.cases.find((c) => c.role === "coordination");
  if (!ceilingCase || !coordCase) return null;
  const one = b.summary.find((s) => s.case === ceilingCase.id && s.label === "indus");
  const coord = b.summary.filter((s) => s.case === coordCase.id && s.tool === "indus" && s.cpuUsPerSecond !== undefined && s.workers !== undefined);
  if (!one || coord.length < 2) return null;
  const { slope, intercept } = fitLine(coord.map((s) => ({ x: s.workers!, y: s.cpuUsPerSecond! })));
  const usPerWorkerSecond = Math.max(0, slope);
  const baseUsPerSecond = Math.max(0, intercept);
  // a worker serves at most its measured ceiling, and no more than its core's CPU allows; coordination takes its share of the cores
  const perCore = Math.min(one.rps, 1e6 / one.cpuUsPerRequest);
  const cores = [4, 16, 64].map((k) => ({ cores: k, rps: Math.max(0, k * perCore * (1 - (baseUsPerSecond + k * usPerWorkerSecond) / (k * 1e6))) }));
  return { ceilingRps: one.rps, usPerRequest: one.cpuUsPerRequest, baseUsPerSecond, usPerWorkerSecond, cores };
}

function renderProjection(b: BenchFile): string | null {
  const p = projectAgent(b);
  if (!p) return null;
  return [
    "**Projected req/s per agent** (this machine has 2 cores, so more is arithmetic, not a measurement): " +
      `one worker on one core reached ${n(p.ceilingRps)} req/s at ${n(p.usPerRequest, 2)} µs of CPU per request (the *ceiling* case); ` +
      `each more worker costs the agent ${n(p.usPerWorkerSecond / 1000, 1)} ms of CPU per second, on top of ${n(p.baseUsPerSecond / 1000, 1)} ms for the first (the *coordination* case, a line through 2, 3 and 4 workers). ` +
      "`indus agent` (and `indus run`) start one worker per core the process may use, so with N cores: req/s = N × ceiling × (1 − (base + N × per-worker) ÷ N s), " +
      "the ceiling being the lower of the measured req/s and what a whole core allows at that CPU per request.",
    "",
    "| cores (workers) | projected req/s per agent |",
    "|---:|---:|",
    ...p.cores.map((c) => `| ${c.cores} | ${n(c.rps)} |`),
    "",
    "Assumptions: workers share nothing on the hot path (each has its own event loop, sockets and histograms; they meet only in the once-a-second delta), so they scale linearly; " +
      "the kernel's network stack scales with cores (a multi-queue NIC, RSS); the target and the network are not the bottleneck; the requests cost what the ceiling case's do " +
      "(a small static response over keep-alive; TLS, bigger bodies, checks and templates cost more per request); cores are physical cores (an SMT sibling gives far less than a core); " +
      "and the CPU per request measured on this shared, loaded 2-core VM holds there.",
  ].join("\n");
}

/** ", and 24 of 58 runs shared the machine with other work": how far to trust req/s. */
function shared(b: BenchFile): string {
  let runs = 0;
  let quiet = 0;
  for (const s of b.summary) {
    runs += s.rounds;
    quiet += s.quietRounds ?? s.rounds;
  }
  return runs > quiet ? ` (${runs - quiet} of ${runs} runs here shared the machine with other work, > 15% of a core)` : "";
}

/** "wrk 4.1.0", not the tool's whole banner; never an HTML-looking `<...>` in markdown. */
function versionText(name: string, raw: string): string {
  const v = raw
    .replace(/<[^>]*>/g, "")
    .replace(/Copyright.*$/i, "")
    .replace(/\[epoll\]/, "")
    .replace(/^This is /, "")
    .replace(/^nginx version: /, "")
    .replace(/,?\s+$/, "")
    .trim();
  return v.toLowerCase().includes(name.toLowerCase()) ? v : `${name} ${v}`;
}

/** README.md with the markers' content replaced (the markers stay). */
export function spliceReadme(readme: string, table: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${BEGIN} … ${END} markers`);
  return readme.slice(0, begin + BEGIN.length) + "\n" + table + "\n" + readme.slice(end);
}

if (import.meta.main) {
  const file = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? join(ROOT, "bench", "results", "bench.json");
  const table = renderPerfTable(JSON.parse(readFileSync(file, "utf8")) as BenchFile);
  console.log(table);
  if (process.argv.includes("--readme")) {
    const path = join(ROOT, "README.md");
    writeFileSync(path, spliceReadme(readFileSync(path, "utf8"), table));
    console.error(`README.md: performance section updated from ${file}`);
  }
}
