// indus's HTTP/2 engine against h2load on nginx serving h2 over TLS: same target, same run, alternating rounds.
//   npx bun run build && npx bun bench/h2.ts [--seconds 10] [--rounds 2]
// Writes bench/results/h2.json; `npx bun scripts/perf-h2-table.ts --readme` puts it in the README.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileLimit } from "./support/nginx.ts";
import { freePort, stopProcess, waitForPort } from "./support/nginx-process.ts";
import { machine, machineBusyUs, median, version, which } from "./support/tools.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = join(ROOT, "bin", "indus");
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg("seconds", 10);
const ROUNDS = arg("rounds", 2);
const CONNECTIONS = [64, 1000];
const PATH = "/index.html";

interface Run {
  tool: "indus" | "h2load";
  connections: number;
  requests: number;
  errors: number;
  cpuUs: number;
  wallSeconds: number;
  rps: number;
  cpuUsPerRequest: number;
  /** other work on the machine while this ran, beyond client + nginx, in cores */
  otherCores: number;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const proc = Bun.spawn(["openssl", ...args], { cwd: dir, stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`openssl failed: ${await new Response(proc.stderr).text()}`);
}

/** nginx 1.22 (Debian bookworm) predates `http2 on` (1.25.1): h2 is switched on by the listen parameter. */
async function startNginx(dir: string) {
  const www = join(dir, "www");
  const line = "<p>indus benchmark static file: a small page served from nginx's file cache.</p>\n";
  await Bun.write(join(www, PATH), `<!DOCTYPE html>\n<html><head><title>bench</title></head><body>\n${line.repeat(7)}</body></html>\n`);
  for (const d of [dir, www]) chmodSync(d, 0o755);
  await openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", "key.pem", "-out", "cert.pem"]);
  chmodSync(join(dir, "key.pem"), 0o644);
  const port = freePort();
  const files = Math.min(fileLimit(), 1_048_576);
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, `
daemon off;
worker_processes 1;
worker_cpu_affinity 01;
worker_rlimit_nofile ${files};
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections ${Math.max(1024, files - 100)}; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  http2_max_requests 1000000;
  http2_max_concurrent_streams 128;
  open_file_cache max=64;
  client_body_temp_path ${join(dir, "tmp-body")};
  proxy_temp_path ${join(dir, "tmp-proxy")};
  fastcgi_temp_path ${join(dir, "tmp-fastcgi")};
  uwsgi_temp_path ${join(dir, "tmp-uwsgi")};
  scgi_temp_path ${join(dir, "tmp-scgi")};
  types { text/html html; }
  server {
    listen 127.0.0.1:${port} ssl http2 backlog=4096;
    ssl_certificate ${join(dir, "cert.pem")};
    ssl_certificate_key ${join(dir, "key.pem")};
    root ${www};
    location / { }
  }
}
`);
  const nginx = which("nginx");
  if (nginx === null) throw new Error("nginx is not installed (apt-get install -y nginx)");
  const proc = Bun.spawn(["taskset", "-c", "0", nginx, "-p", dir, "-c", conf, "-e", join(dir, "error.log")], { stdout: "ignore", stderr: "pipe" });
  await waitForPort(port, proc, dir);
  return { port, stop: () => stopProcess(proc) };
}

async function pinned(cmd: string[], boundMs: number) {
  const t0 = performance.now();
  const busy0 = machineBusyUs();
  const proc = Bun.spawn(["taskset", "-c", "1", ...cmd], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const timer = setTimeout(() => proc.kill("SIGKILL"), boundMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const wallSeconds = (performance.now() - t0) / 1000;
  const usage = proc.resourceUsage()!;
  const cpuUs = Number(usage.cpuTime.user) + Number(usage.cpuTime.system);
  const busyCores = (machineBusyUs() - busy0) / (wallSeconds * 1e6);
  return { stdout, stderr, code, wallSeconds, cpuUs, busyCores };
}

async function runIndus(url: string, connections: number, dir: string): Promise<Run> {
  const plan = join(dir, `indus-h2-${connections}.yaml`);
  writeFileSync(plan, `name: bench-h2
http: "2"
tls: { insecure_skip_verify: true }
scenarios:
  static:
    duration: ${SECONDS}s
    profile: { type: constant, vus: ${connections} }
    steps:
      - { name: get, url: "${url}", timeout: 10s }
`);
  const r = await pinned([BIN, "run", plan, "--workers", "1", "--quiet", "--data-dir", join(dir, "store")], (SECONDS + 60) * 1000);
  const m = /^\s*get\s+(\d+)\s+[\d.]+\s+([\d.]+|-)\s+([\d.]+|-)\s+([\d.]+|-)\s+(\d+) \(/m.exec(r.stdout);
  if (!m) throw new Error(`indus: cannot read its summary (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-2000)}`);
  const requests = Number(m[1]);
  return summarize("indus", connections, requests, Number(m[5]), r, SECONDS);
}

async function runH2load(url: string, connections: number): Promise<Run> {
  // -m 1: one stream at a time per connection, as each indus VU sends its next request after the answer
  const r = await pinned(["h2load", "-t", "1", "-c", String(connections), "-m", "1", "-D", String(SECONDS), url], (SECONDS + 60) * 1000);
  const m = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(r.stdout);
  if (!m) throw new Error(`h2load: cannot read its output (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-2000)}`);
  return summarize("h2load", connections, Number(m[4]), Number(m[5]) + Number(m[6]), r, SECONDS);
}

function summarize(tool: Run["tool"], connections: number, requests: number, errors: number, r: Awaited<ReturnType<typeof pinned>>, seconds: number): Run {
  // both tools run for `seconds` of load; indus's start-up and summary are in its CPU, not in its req/s
  return {
    tool,
    connections,
    requests,
    errors,
    cpuUs: r.cpuUs,
    wallSeconds: r.wallSeconds,
    rps: requests / seconds,
    cpuUsPerRequest: r.cpuUs / Math.max(1, requests),
    otherCores: Math.max(0, r.busyCores - 2 * Math.min(1, r.cpuUs / (r.wallSeconds * 1e6)) - 1),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "indus-bench-h2-"));
  const nginx = await startNginx(dir);
  const url = `https://127.0.0.1:${nginx.port}${PATH}`;
  const runs: Run[] = [];
  try {
    for (const connections of CONNECTIONS) {
      for (let round = 0; round < ROUNDS; round++) {
        // alternate who goes first, so drift on a shared machine does not favour one tool
        const order = round % 2 === 0 ? (["h2load", "indus"] as const) : (["indus", "h2load"] as const);
        for (const tool of order) {
          const run = tool === "indus" ? await runIndus(url, connections, dir) : await runH2load(url, connections);
          runs.push(run);
          console.error(`${tool} c=${connections}: ${Math.round(run.rps)} req/s, ${run.cpuUsPerRequest.toFixed(2)} CPU µs/req, ${run.errors} errors`);
        }
      }
    }
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = CONNECTIONS.flatMap((connections) =>
    (["h2load", "indus"] as const).map((tool) => {
      const mine = runs.filter((r) => r.tool === tool && r.connections === connections);
      return {
        tool,
        connections,
        rounds: mine.length,
        rps: median(mine.map((r) => r.rps)),
        cpuUsPerRequest: median(mine.map((r) => r.cpuUsPerRequest)),
        errors: mine.reduce((n, r) => n + r.errors, 0),
      };
    }),
  );
  const out = {
    date: new Date().toISOString(),
    machine: machine(),
    versions: { indus: version([BIN, "--version"]), h2load: version(["h2load", "--version"]), nginx: version(["nginx", "-v"]) },
    seconds: SECONDS,
    rounds: ROUNDS,
    runs,
    summary,
  };
  const file = join(ROOT, "bench", "results", "h2.json");
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.error(`wrote ${file}`);
}

await main();
