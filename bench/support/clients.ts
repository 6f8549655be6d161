// Runs one load client (wrk, or the compiled indus) pinned to a CPU and reports its requests and CPU time.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ClientRun {
  /** requests the client says it completed */
  requests: number;
  /** wall-clock seconds of the client process */
  wallSeconds: number;
  /** user + system CPU of the client process and all its threads, µs (wait4 rusage) */
  cpuUs: number;
  /** the system (kernel) part of cpuUs */
  sysUs: number;
}

/** Spawns a command under `taskset -c cpu`, kills it if it outlives the bound, returns stdout and its rusage. */
async function pinned(cpu: number, cmd: string[], boundMs: number): Promise<{ stdout: string; wallSeconds: number; cpuUs: number; sysUs: number }> {
  const t0 = performance.now();
  // taskset execs the command: same pid, so the rusage is the client's own
  const proc = Bun.spawn(["taskset", "-c", String(cpu), ...cmd], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const timer = setTimeout(() => proc.kill("SIGKILL"), boundMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const wallSeconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}:\n${stdout}${stderr}`);
  const usage = proc.resourceUsage();
  if (!usage) throw new Error(`no resource usage for ${cmd[0]}`);
  return { stdout, wallSeconds, cpuUs: Number(usage.cpuTime.user) + Number(usage.cpuTime.system), sysUs: Number(usage.cpuTime.system) };
}

export async function runWrk(cpu: number, url: string, connections: number, seconds: number): Promise<ClientRun> {
  const r = await pinned(cpu, ["wrk", "-t1", `-c${connections}`, `-d${seconds}s`, url], (seconds + 20) * 1000);
  const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout);
  if (!m) throw new Error(`cannot read wrk's request count:\n${r.stdout}`);
  if (/Non-2xx|Socket errors/.test(r.stdout)) process.stderr.write(`wrk reported errors:\n${r.stdout}\n`);
  return { requests: Number(m[1]), wallSeconds: r.wallSeconds, cpuUs: r.cpuUs, sysUs: r.sysUs };
}

export async function runIndus(cpu: number, bin: string, dir: string, url: string, vus: number, seconds: number): Promise<ClientRun> {
  const plan = join(dir, `indus-${vus}.yaml`);
  writeFileSync(
    plan,
    `name: nginx-bench
scenarios:
  static:
    duration: ${seconds}s
    think_time: 0s
    profile: { type: constant, vus: ${vus} }
    steps:
      - { name: get, url: "${url}", timeout: 10s }
`,
  );
  const r = await pinned(cpu, [bin, "run", plan, "--workers", "1", "--quiet"], (seconds + 40) * 1000);
  const m = /^\s*get\s+(\d+)\s.*\s(\d+) \(([\d.]+)%\)\s*$/m.exec(r.stdout);
  if (!m) throw new Error(`cannot read indus's request count:\n${r.stdout}`);
  if (Number(m[2]) > 0) process.stderr.write(`indus reported ${m[2]} errors:\n${r.stdout}\n`);
  return { requests: Number(m[1]), wallSeconds: r.wallSeconds, cpuUs: r.cpuUs, sysUs: r.sysUs };
}
