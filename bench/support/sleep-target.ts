// A 50 ms target for measurement accuracy: Bun.serve answers each request after setTimeout(50), and its own timer is the truth.
//   bun bench/support/sleep-target.ts <delayMs>   (prints its port; GET /__stats → its measured delays; GET /__reset)
// Each request's delay is measured by the server from the handler's start to the moment it returns the response:
// what a client reports beyond that is the network (loopback) plus the client's own overhead.
import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";

const STATS = "/__stats";
const RESET = "/__reset";

export interface SleepStats {
  count: number;
  /** ms, as the server's own clock measured them */
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function serve(delayMs: number): void {
  let delays = new Float64Array(1 << 20);
  let n = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 120,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === STATS) {
        const sorted = delays.slice(0, n).sort();
        const stats: SleepStats = { count: n, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[n - 1] ?? NaN };
        return Response.json(stats);
      }
      if (path === RESET) {
        n = 0;
        return new Response("reset\n");
      }
      const t0 = performance.now();
      return new Promise<Response>((resolve) =>
        setTimeout(() => {
          if (n === delays.length) {
            const grown = new Float64Array(delays.length * 2);
            grown.set(delays);
            delays = grown;
          }
          delays[n++] = performance.now() - t0;
          resolve(new Response("slept\n"));
        }, delayMs),
      );
    },
  });
  process.stdout.write(`${server.port}\n`);
  // bounded: the bench kills it; it goes by itself after an hour at worst
  setTimeout(() => process.exit(0), 3_600_000);
}

export interface SleepTarget {
  url: string;
  stats(): Promise<SleepStats>;
  reset(): Promise<void>;
  /** CPU (user + system) used so far, µs */
  cpuUs(): number;
  stop(): Promise<void>;
}

/** Starts the target in its own process, pinned to `cpu`. */
export async function startSleepTarget(delayMs: number, cpu: number): Promise<SleepTarget> {
  const proc: Subprocess<"ignore", "pipe", "inherit"> = Bun.spawn(["taskset", "-c", String(cpu), process.execPath, import.meta.path, String(delayMs)], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let text = "";
  const deadline = performance.now() + 10_000;
  while (!text.includes("\n")) {
    if (performance.now() > deadline) throw new Error("sleep target did not start within 10 s");
    const { value, done } = await reader.read();
    if (done) throw new Error("sleep target exited before printing its port");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const base = `http://127.0.0.1:${Number(text.trim())}`;
  return {
    url: `${base}/`,
    stats: async () => (await (await fetch(base + STATS)).json()) as SleepStats,
    reset: async () => void (await fetch(base + RESET)).text(),
    cpuUs: () => {
      const stat = readFileSync(`/proc/${proc.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100; // utime + stime, USER_HZ 100
    },
    async stop() {
      proc.kill("SIGTERM");
      await Promise.race([proc.exited, Bun.sleep(3000)]);
      proc.kill("SIGKILL");
    },
  };
}

if (import.meta.main) serve(Number(process.argv[2] ?? 50));
