// The load clients the bench compares — indus, wrk, hey, ab, autocannon — each run pinned, bounded in time, and read back the same way.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { which } from "./tools.ts";

export const TOOLS = ["indus", "wrk", "hey", "ab", "autocannon"] as const;
export type Tool = (typeof TOOLS)[number];

/** How each peer does think time, or why it cannot. */
export const THINK_TIME: Record<Tool, string> = {
  indus: "think_time in the plan",
  wrk: "a Lua delay() of the think time before each request",
  hey: "-q (requests per second per worker): pacing, not a pause after the answer",
  ab: "none: ab cannot wait between requests",
  autocannon: "-r (connectionRate, requests per second per connection): pacing",
};

export type IndusFlavor = "yaml" | "script" | "script, discard";

export interface LoadSpec {
  url: string;
  /** connections (peers) or VUs (indus) */
  connections: number;
  seconds: number;
  /** ms waited after each answer; 0 for none */
  thinkMs: number;
  /** CPUs the client may run on, for taskset (e.g. "1" or "0,1") */
  cpus: string;
  /** indus only */
  workers?: number;
  /** indus only: its HTTP engine (default socket) */
  engine?: "socket" | "fetch";
  /** indus only: the plan's profile, in YAML flow style (default: constant at `connections` VUs) */
  indusProfile?: string;
  /** indus only: the request as a YAML step (default) or as a script VU's vu.http.get */
  indusFlavor?: IndusFlavor;
  /** indus only: the executable (default bin/indus; bench/aot.ts passes bin/indus-jit) */
  indusBin?: string;
  /** scratch directory for plans and scripts */
  dir: string;
}

export interface ClientRun {
  tool: Tool;
  /** requests the client says it completed */
  requests: number;
  /** ms; NaN when the tool does not say */
  p50: number;
  p99: number;
  errors: number;
  wallSeconds: number;
  /** user + system CPU of the client process and all its threads, µs (wait4 rusage) */
  cpuUs: number;
  sysUs: number;
  /** peak resident set, bytes (rusage ru_maxrss, the same as VmHWM at exit) */
  peakRssBytes: number;
  /** indus only: whether it flagged its own generator as saturated */
  saturated?: boolean;
}

/** Where autocannon was installed (npm, in a scratch dir: never the project's package.json). */
export const AUTOCANNON_DIR = "/tmp/indus-bench-autocannon";
export const AUTOCANNON_JS = join(AUTOCANNON_DIR, "node_modules", "autocannon", "autocannon.js");

export function supportsThinkTime(tool: Tool): boolean {
  return tool !== "ab";
}

/** Spawns a command under `taskset -c cpus`, kills it if it outlives the bound, returns its output and rusage. */
async function pinned(cpus: string, cmd: string[], boundMs: number) {
  const t0 = performance.now();
  // taskset execs the command: same pid, so the rusage is the client's own
  const proc = Bun.spawn(["taskset", "-c", cpus, ...cmd], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const timer = setTimeout(() => proc.kill("SIGKILL"), boundMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const wallSeconds = (performance.now() - t0) / 1000;
  const usage = proc.resourceUsage();
  if (!usage) throw new Error(`no resource usage for ${cmd[0]}`);
  return {
    stdout,
    stderr,
    code,
    wallSeconds,
    cpuUs: Number(usage.cpuTime.user) + Number(usage.cpuTime.system),
    sysUs: Number(usage.cpuTime.system),
    peakRssBytes: usage.maxRSS,
  };
}

type Pinned = Awaited<ReturnType<typeof pinned>>;

function base(tool: Tool, r: Pinned): Omit<ClientRun, "requests" | "p50" | "p99" | "errors"> {
  return { tool, wallSeconds: r.wallSeconds, cpuUs: r.cpuUs, sysUs: r.sysUs, peakRssBytes: r.peakRssBytes };
}

function fail(tool: Tool, r: Pinned, why: string): never {
  throw new Error(`${tool}: ${why} (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-2000)}`);
}

/** "1.23ms", "850.00us", "2.1s" → ms */
function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "ms" ? v : m[2] === "s" ? v * 1000 : v * 60_000;
}

export async function runClient(tool: Tool, spec: LoadSpec): Promise<ClientRun> {
  switch (tool) {
    case "indus":
      return runIndus(spec);
    case "wrk":
      return runWrk(spec);
    case "hey":
      return runHey(spec);
    case "ab":
      return runAb(spec);
    case "autocannon":
      return runAutocannon(spec);
  }
}

async function runIndus(spec: LoadSpec): Promise<ClientRun> {
  const bin = spec.indusBin ?? join(import.meta.dir, "..", "..", "bin", "indus");
  const plan = join(spec.dir, `indus-${spec.connections}.yaml`);
  const scripted = spec.indusFlavor !== undefined && spec.indusFlavor !== "yaml";
  if (scripted) {
    const discard = spec.indusFlavor === "script, discard" ? ", discard: true" : "";
    writeFileSync(join(spec.dir, "bench-flow.ts"), `export default async function (vu) {\n  await vu.http.get(${JSON.stringify(spec.url)}, { step: "get", timeout: "10s"${discard} });\n}\n`);
  }
  writeFileSync(
    plan,
    `name: bench
scenarios:
  static:
    duration: ${spec.seconds}s
    think_time: ${spec.thinkMs}ms
    profile: ${spec.indusProfile ?? `{ type: constant, vus: ${spec.connections} }`}
` +
      (scripted
        ? `    script: ./bench-flow.ts
`
        : `    steps:
      - { name: get, url: "${spec.url}", timeout: 10s }
`),
  );
  const cmd = [bin, "run", plan, "--workers", String(spec.workers ?? 1), "--quiet", "--data-dir", join(spec.dir, "store"), "--engine", spec.engine ?? "socket"];
  const r = await pinned(spec.cpus, cmd, (spec.seconds + 60) * 1000);
  // "  get   123456  12345.60  0.82  1.20  2.05  0 (0.00%)": requests, rps, p50, p95, p99, errors
  const m = /^\s*get\s+(\d+)\s+[\d.]+\s+([\d.]+|-)\s+([\d.]+|-)\s+([\d.]+|-)\s+(\d+) \(/m.exec(r.stdout);
  if (!m) fail("indus", r, "cannot read its summary");
  return {
    ...base("indus", r),
    requests: Number(m[1]),
    p50: Number(m[2]),
    p99: Number(m[4]),
    errors: Number(m[5]),
    saturated: r.stdout.includes("⚠ generator saturated"),
  };
}

async function runWrk(spec: LoadSpec): Promise<ClientRun> {
  const args = ["wrk", "-t1", `-c${spec.connections}`, `-d${spec.seconds}s`, "--latency", "--timeout", "10s"];
  if (spec.thinkMs > 0) {
    const script = join(spec.dir, `think-${spec.thinkMs}.lua`);
    // wrk calls delay() before each request: a pause between answer and next request, per connection
    writeFileSync(script, `function delay()\n  return ${spec.thinkMs}\nend\n`);
    args.push("-s", script);
  }
  const r = await pinned(spec.cpus, [...args, spec.url], (spec.seconds + 30) * 1000);
  const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout);
  if (!m) fail("wrk", r, "cannot read its request count");
  const pct = (p: string) => wrkMs(new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m").exec(r.stdout)?.[1] ?? "");
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(r.stdout);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? 0);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((n, x) => n + Number(x), 0) : 0);
  return { ...base("wrk", r), requests: Number(m[1]), p50: pct("50"), p99: pct("99"), errors };
}

async function runHey(spec: LoadSpec): Promise<ClientRun> {
  const args = ["hey", "-z", `${spec.seconds}s`, "-c", String(spec.connections), "-t", "10"];
  if (spec.thinkMs > 0) args.push("-q", String(1000 / spec.thinkMs));
  const r = await pinned(spec.cpus, [...args, spec.url], (spec.seconds + 60) * 1000);
  if (r.code !== 0) fail("hey", r, "failed");
  let requests = 0;
  for (const m of r.stdout.matchAll(/\[(\d{3})\]\s+(\d+) responses/g)) requests += Number(m[2]);
  const errors = [...r.stdout.matchAll(/\[\d+\]\s+Get .*/g)].length;
  const pct = (p: string) => 1000 * Number(new RegExp(`^\\s*${p}% in ([\\d.]+) secs`, "m").exec(r.stdout)?.[1] ?? NaN);
  return { ...base("hey", r), requests, p50: pct("50"), p99: pct("99"), errors };
}

async function runAb(spec: LoadSpec): Promise<ClientRun> {
  // -t alone implies -n 50000: ask for more than it can do, the time limit ends it
  const args = ["ab", "-k", "-q", "-r", "-s", "10", "-c", String(spec.connections), "-t", String(spec.seconds), "-n", "100000000", spec.url];
  const r = await pinned(spec.cpus, args, (spec.seconds + 30) * 1000);
  const complete = /Complete requests:\s+(\d+)/.exec(r.stdout);
  if (!complete) fail("ab", r, "cannot read its request count");
  const failed = Number(/Failed requests:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  const pct = (p: string) => Number(new RegExp(`^\\s*${p}%\\s+(\\d+)`, "m").exec(r.stdout)?.[1] ?? NaN);
  return { ...base("ab", r), requests: Number(complete[1]), p50: pct("50"), p99: pct("99"), errors: failed + non2xx };
}

async function runAutocannon(spec: LoadSpec): Promise<ClientRun> {
  const node = which("node") ?? "node";
  const args = [node, AUTOCANNON_JS, "-c", String(spec.connections), "-d", String(spec.seconds), "-t", "10", "--json"];
  if (spec.thinkMs > 0) args.push("-r", String(1000 / spec.thinkMs));
  const r = await pinned(spec.cpus, [...args, spec.url], (spec.seconds + 60) * 1000);
  const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) fail("autocannon", r, "printed no JSON");
  const j = JSON.parse(line) as { requests: { total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number };
  return { ...base("autocannon", r), requests: j.requests.total, p50: j.latency.p50, p99: j.latency.p99, errors: j.errors + j.timeouts + j.non2xx };
}
