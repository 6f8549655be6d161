// Process metrics measured here, because prom-client's defaults read 0 or Node's numbers under Bun.
import { availableParallelism, cpus } from "node:os";
import { Counter, Gauge, type Registry } from "prom-client";

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Registers process_cpu_seconds_total, process_resident_memory_bytes and process_start_time_seconds.
 * Idempotent per registry, so both a role's metrics and its wiring may ask for them.
 */
export function registerProcessMetrics(registry: Registry): void {
  if (registry.getSingleMetric("process_cpu_seconds_total")) return;
  let reported = 0;
  new Counter({
    name: "process_cpu_seconds_total",
    help: "Total user and system CPU time spent in seconds (all threads of this process).",
    registers: [registry],
    collect() {
      const now = cpuSeconds();
      if (now > reported) this.inc(now - reported);
      reported = Math.max(reported, now);
    },
  });
  new Gauge({
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes.",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  const start = new Gauge({
    name: "process_start_time_seconds",
    help: "Start time of the process since unix epoch in seconds.",
    registers: [registry],
  });
  start.set(Math.round(Date.now() / 1000 - process.uptime()));
}

export interface ProcessSampler {
  /** the longest event-loop delay seen during the last complete window, in seconds */
  loopLagSeconds(): number;
  /** CPU time over wall time × cores during the last complete window: 0..1 of the whole machine */
  cpuUtilization(): number;
  stop(): void;
}

export interface ProcessSamplerOptions {
  /** how often the drift timer ticks (default 20 ms) */
  tickMs?: number;
  /** the window the maximum and the utilization are taken over (default 1000 ms) */
  windowMs?: number;
  cores?: number;
}

/**
 * A timer that should fire every tickMs: how late it fires is the event loop's lag. Its maximum over
 * each window, and the CPU used in it, are published when the window closes. The timer is unref'd.
 */
export function startProcessSampler(options: ProcessSamplerOptions = {}): ProcessSampler {
  const tickMs = options.tickMs ?? 20;
  const windowMs = options.windowMs ?? 1000;
  const cores = options.cores ?? (typeof availableParallelism === "function" ? availableParallelism() : cpus().length);
  let last = performance.now();
  let windowStart = last;
  let windowCpu = cpuSeconds();
  let windowMax = 0;
  let lag = 0;
  let utilization = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    windowMax = Math.max(windowMax, now - last - tickMs);
    last = now;
    if (now - windowStart >= windowMs) {
      const cpu = cpuSeconds();
      lag = windowMax / 1000;
      utilization = Math.min(1, Math.max(0, (cpu - windowCpu) / (((now - windowStart) / 1000) * cores)));
      windowStart = now;
      windowCpu = cpu;
      windowMax = 0;
    }
  }, tickMs);
  timer.unref?.();
  return {
    loopLagSeconds: () => lag,
    cpuUtilization: () => utilization,
    stop: () => clearInterval(timer),
  };
}
