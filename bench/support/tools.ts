// The machine and the tools a benchmark needs: where each binary is, how to install it, what machine this is.
import { readFileSync } from "node:fs";
import os from "node:os";

export function which(name: string): string | null {
  return Bun.which(name, { PATH: `${process.env.PATH ?? ""}:/usr/sbin:/usr/local/sbin` });
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  kernel: string;
  memTotalMb: number;
}

export function machine(): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const mem = /MemTotal:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8"));
  return {
    nproc: os.availableParallelism(),
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown",
    kernel: os.release(),
    memTotalMb: mem ? Math.round(Number(mem[1]) / 1024) : 0,
  };
}

/** The first non-empty line a version command prints (on stdout or stderr). */
export function version(cmd: string[]): string {
  try {
    const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
    return `${r.stdout}${r.stderr}`.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** CPU busy on the whole machine so far, µs (/proc/stat: user, nice, system, irq, softirq, steal). */
export function machineBusyUs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
  return (busy * 1_000_000) / 100; // USER_HZ
}

/** The value of a `--name=value` argument of this benchmark, or undefined. */
export function argValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
