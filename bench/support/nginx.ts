// Debian's nginx for benchmarks: own temp config, one worker pinned to a CPU, a small static file, stub_status.
// Paths: STATIC_FILE (keep-alive), CLOSE_FILE (the same page, connection closed after each response),
// LIGHT_PATH (a 3-byte answer from config, no file: the lightest request nginx serves).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, rawGet, stopProcess, waitForPort } from "./nginx-process.ts";

export const STATIC_FILE = "/index.html";
export const CLOSE_FILE = "/close.html";
export const LIGHT_PATH = "/ok";
const STATUS_PATH = "/nginx_status";

export interface NginxStatus {
  accepts: number;
  requests: number;
}

export interface BenchNginx {
  port: number;
  url(path: string): string;
  /** stub_status counters; every read is itself one accepted connection and one request. */
  status(): Promise<NginxStatus>;
  /** CPU (user + system, µs) used so far by the master and its worker, to tell a busy server from a busy client. */
  cpuUs(): number;
  stop(): Promise<void>;
}

/** The process's hard limit on open files: nginx may not ask for more (no CAP_SYS_RESOURCE in containers). */
export function fileLimit(): number {
  const r = Bun.spawnSync(["sh", "-c", "ulimit -Hn"], { stdout: "pipe" });
  const n = Number(r.stdout.toString().trim());
  return Number.isFinite(n) && n > 0 ? n : 65536;
}

function config(dir: string, www: string, port: number, cpu: number): string {
  const files = Math.min(fileLimit(), 1_048_576);
  const affinity = (1n << BigInt(cpu)).toString(2);
  return `
daemon off;
worker_processes 1;
worker_cpu_affinity ${affinity};
worker_rlimit_nofile ${files};
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections ${Math.max(1024, files - 100)}; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  sendfile on;
  tcp_nodelay on;
  open_file_cache max=64;
  client_body_temp_path ${join(dir, "tmp-body")};
  proxy_temp_path ${join(dir, "tmp-proxy")};
  fastcgi_temp_path ${join(dir, "tmp-fastcgi")};
  uwsgi_temp_path ${join(dir, "tmp-uwsgi")};
  scgi_temp_path ${join(dir, "tmp-scgi")};
  types { text/html html; }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    root ${www};
    location / { }
    location = ${CLOSE_FILE} { keepalive_timeout 0; }
    location = ${LIGHT_PATH} { return 200 "ok\\n"; }
    location = ${STATUS_PATH} { stub_status; }
  }
}
`;
}

/** A ~600-byte page, the size of nginx's own welcome page. */
function page(): string {
  const line = "<p>indus benchmark static file: a small page served from nginx's file cache.</p>\n";
  return `<!DOCTYPE html>\n<html><head><title>bench</title></head><body>\n${line.repeat(7)}</body></html>\n`;
}

export async function startNginx(binary: string, cpu: number): Promise<BenchNginx> {
  const dir = mkdtempSync(join(tmpdir(), "indus-bench-nginx-"));
  const www = join(dir, "www");
  await Bun.write(join(www, STATIC_FILE), page());
  await Bun.write(join(www, CLOSE_FILE), page());
  // Workers run as nobody when the master is root: let them read the root.
  for (const d of [dir, www]) chmodSync(d, 0o755);
  const port = freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, config(dir, www, port, cpu));
  const proc = Bun.spawn(["taskset", "-c", String(cpu), binary, "-p", dir, "-c", conf, "-e", join(dir, "error.log")], {
    stdout: "ignore",
    stderr: "pipe",
  });
  await waitForPort(port, proc, dir);
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    async status() {
      const text = await rawGet(port, STATUS_PATH);
      const m = /server accepts handled requests\s+(\d+)\s+(\d+)\s+(\d+)/.exec(text);
      if (!m) throw new Error(`unexpected stub_status reply: ${text}`);
      return { accepts: Number(m[1]), requests: Number(m[3]) };
    },
    cpuUs: () => processTreeCpuUs(proc.pid),
    async stop() {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process and its direct children, from /proc (clock ticks → µs). */
function processTreeCpuUs(pid: number): number {
  const ticks = (p: number) => {
    const stat = readFileSync(`/proc/${p}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  };
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  const hz = 100; // USER_HZ: 100 on every Linux this runs on
  return ([pid, ...children].reduce((n, p) => n + ticks(p), 0) * 1_000_000) / hz;
}
