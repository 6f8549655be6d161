// Watches the thread that runs VUs: its event-loop lag (timer drift) and CPU, closed into one health record per take.
import os from "node:os";
import { nextStreak, saturatedAfter, type GeneratorHealth } from "../../metrics/generator.ts";

/**
 * How often the lag probe runs: how late it fires is the lag. Every probe wakes the event loop, which costs a
 * waiting run more than the probe's own work (50 a second cost ~2-5 ms of CPU a second here); at 50 ms, a stall
 * longer than the 50 ms that counts as lag always holds a probe's due time.
 */
const PROBE_MS = 50;

export interface GeneratorMonitor {
  /** Health since the previous take (about a second: one per heartbeat), with the saturation rule applied. */
  take(): GeneratorHealth;
  stop(): void;
}

export interface GeneratorMonitorOptions {
  /** CPU time of this thread so far, µs (default: process.threadCpuUsage, else the process's as a fallback). */
  cpuUs?: () => number;
  /** CPU time of the whole process so far, µs (default: process.cpuUsage) */
  processCpuUs?: () => number;
  /** cores the process may run on (default: os.availableParallelism(), which follows the CPU affinity) */
  cores?: number;
  probeMs?: number;
}

/**
 * Bun has process.threadCpuUsage in workers too (measured: a 1 s busy loop in a worker reads
 * 0.99 s there while the main thread reads ~0): each worker sees its own CPU, not the process's.
 */
export function threadCpuUs(): number {
  const p = process as typeof process & { threadCpuUsage?: () => { user: number; system: number } };
  const u = p.threadCpuUsage ? p.threadCpuUsage() : process.cpuUsage();
  return u.user + u.system;
}

/** CPU time of the whole process so far (every thread: VUs, JIT compilers, the collector), µs. */
export function processCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * The thread's CPU is the busier of two shares: the thread's own share of one core, and the process's share of the
 * cores it may run on. The second catches a generator that owns its cores but cannot get 90% of one for its VU
 * thread, because its JIT compiler and collector threads take the rest (measured: one worker pinned to one core at
 * its ceiling ran its thread at ~85% while the process used the whole core).
 */
export function startGeneratorMonitor(options: GeneratorMonitorOptions = {}): GeneratorMonitor {
  const cpuUs = options.cpuUs ?? threadCpuUs;
  const processUs = options.processCpuUs ?? processCpuUs;
  const cores = Math.max(1, options.cores ?? os.availableParallelism?.() ?? 1);
  const probeMs = options.probeMs ?? PROBE_MS;
  let windowStart = performance.now();
  let cpuStart = cpuUs();
  let processStart = processUs();
  /** when the pending probe was asked for: it is due probeMs later, and how late it runs is the lag */
  let armedAt = windowStart;
  let maxLag = 0;
  let streak = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A chain of timeouts, not an interval: an interval that runs late every time keeps its spacing,
  // and spacing alone would hide a loop that is busy most of each period.
  const arm = () => {
    armedAt = performance.now();
    timer = setTimeout(probe, probeMs);
    (timer as { unref?: () => void }).unref?.();
  };
  const probe = () => {
    const lag = performance.now() - armedAt - probeMs;
    if (lag > maxLag) maxLag = lag;
    if (!stopped) arm();
  };
  arm();

  return {
    take() {
      const now = performance.now();
      // a loop blocked until now has not run its probe yet: the take itself sees the drift
      const lag = Math.max(maxLag, now - armedAt - probeMs, 0);
      const cpu = cpuUs();
      const whole = processUs();
      const intervalMs = Math.max(now - windowStart, 1e-3);
      const threadPct = (cpu - cpuStart) / 10 / intervalMs;
      const processPct = (whole - processStart) / 10 / intervalMs / cores;
      const cpuPct = Math.min(100, Math.max(0, threadPct, processPct));
      streak = nextStreak(streak, { cpuPct, lagMs: lag, intervalMs });
      windowStart = now;
      cpuStart = cpu;
      processStart = whole;
      maxLag = 0;
      return { lagMs: Math.round(lag * 10) / 10, cpuPct: Math.round(cpuPct * 10) / 10, saturated: saturatedAfter(streak) };
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
