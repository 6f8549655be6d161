// Watches the thread that runs VUs: its event-loop lag (timer drift) and CPU, closed into one health record per take.
import { nextStreak, saturatedAfter, type GeneratorHealth } from "../../metrics/generator.ts";

/** How often the lag probe runs: how late it fires is the lag (short, so a loop busy in long stretches cannot hide between probes). */
const PROBE_MS = 20;

export interface GeneratorMonitor {
  /** Health since the previous take (about a second: one per heartbeat), with the saturation rule applied. */
  take(): GeneratorHealth;
  stop(): void;
}

export interface GeneratorMonitorOptions {
  /** CPU time of this thread so far, µs (default: process.threadCpuUsage, else the process's as a fallback). */
  cpuUs?: () => number;
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

export function startGeneratorMonitor(options: GeneratorMonitorOptions = {}): GeneratorMonitor {
  const cpuUs = options.cpuUs ?? threadCpuUs;
  const probeMs = options.probeMs ?? PROBE_MS;
  let windowStart = performance.now();
  let cpuStart = cpuUs();
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
      const intervalMs = Math.max(now - windowStart, 1e-3);
      const cpuPct = Math.min(100, Math.max(0, (cpu - cpuStart) / 10 / intervalMs));
      streak = nextStreak(streak, { cpuPct, lagMs: lag, intervalMs });
      windowStart = now;
      cpuStart = cpu;
      maxLag = 0;
      return { lagMs: Math.round(lag * 10) / 10, cpuPct: Math.round(cpuPct * 10) / 10, saturated: saturatedAfter(streak) };
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
