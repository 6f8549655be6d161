// Watches the thread that runs VUs: its event-loop lag (timer drift) and CPU, closed into one health record per take.
import os from "node:os";
import { nextStreak, SATURATION, saturatedAfter, type GeneratorHealth } from "../../metrics/generator.ts";

/**
 * How often the lag probe runs while the thread is busy: how late it fires is the lag. At 50 ms, a stall longer than
 * the 50 ms that counts as lag (SATURATION.lagMs) always holds a probe's due time.
 */
const PROBE_MS = 50;

/**
 * How often it runs while the thread is mostly idle. Every probe wakes the event loop, and a wake-up of an idle Bun
 * process costs ~80 µs of CPU on this VM (measured: a compiled `setInterval(() => {}, 50)` costs 1.6 ms a second), so
 * 20 probes a second cost a waiting run ~3 ms of CPU a second (measured: 1 VU thinking for 13 s against 3 s, with and
 * without the monitor: 4.3 against ~1 ms a second).
 */
const IDLE_PROBE_MS = 250;

/**
 * The period of the next probe, from the thread's CPU over the window since the last one: a thread that used less
 * than the lag that counts (SATURATION.lagMs) in every idleMs (20% of 250 ms) cannot have stalled that long in an
 * idle period, so the probes can be idleMs apart; busier, they are busyMs apart. A stall that holds a probe's due
 * time is always measured; one inside an idle window between two due times is not, but it used that CPU, so the
 * probes after it are close again.
 */
export function nextProbeMs(threadCpuUs: number, windowMs: number, busyMs: number, idleMs: number): number {
  return threadCpuUs / 1000 >= (windowMs * SATURATION.lagMs) / idleMs ? busyMs : idleMs;
}

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
  /** probe period while the thread is busy (default 50 ms) */
  probeMs?: number;
  /** probe period while it is mostly idle (default 250 ms; see nextProbeMs) */
  idleProbeMs?: number;
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
  const idleProbeMs = Math.max(probeMs, options.idleProbeMs ?? IDLE_PROBE_MS);
  let windowStart = performance.now();
  let cpuStart = cpuUs();
  let processStart = processUs();
  /** when the pending probe was asked for: it is due `period` later, and how late it runs is the lag */
  let armedAt = windowStart;
  let period = probeMs;
  let cpuAtArm = cpuStart;
  let maxLag = 0;
  let streak = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A chain of timeouts, not an interval: an interval that runs late every time keeps its spacing,
  // and spacing alone would hide a loop that is busy most of each period.
  const arm = (ms: number) => {
    armedAt = performance.now();
    period = ms;
    timer = setTimeout(probe, ms);
    (timer as { unref?: () => void }).unref?.();
  };
  const probe = () => {
    const now = performance.now();
    const lag = now - armedAt - period;
    if (lag > maxLag) maxLag = lag;
    if (stopped) return;
    const cpu = cpuUs();
    const next = nextProbeMs(cpu - cpuAtArm, now - armedAt, probeMs, idleProbeMs);
    cpuAtArm = cpu;
    arm(next);
  };
  arm(probeMs);

  return {
    take() {
      const now = performance.now();
      // a loop blocked until now has not run its probe yet: the take itself sees the drift
      const lag = Math.max(maxLag, now - armedAt - period, 0);
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
