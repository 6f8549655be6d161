// Sanity benchmark: 64 clients in this process against a Bun.serve hello target in a child process; prints req/s and client CPU per request.
//   bun bench/engine-micro.ts [socket|fetch|both] [seconds] [clients]
import { createEngine, prepareRequest, type EngineName } from "../src/engine/index.ts";

const SERVE_FLAG = "--serve";

async function serve(): Promise<void> {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("hello\n") });
  process.stdout.write(`${server.port}\n`);
  // Bounded: the benchmark kills this child when done; it exits by itself at worst after 5 minutes.
  setTimeout(() => process.exit(0), 300_000);
}

async function startTarget(): Promise<{ port: number; stop(): void }> {
  const child = Bun.spawn([process.execPath, import.meta.path, SERVE_FLAG], { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("target exited before printing its port");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { port: Number(text.trim()), stop: () => child.kill() };
}

async function run(engineName: EngineName, port: number, seconds: number, clients: number): Promise<void> {
  const engine = createEngine(engineName);
  const request = prepareRequest({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: {}, timeout: 5000 });
  const stop = new AbortController();
  let requests = 0;
  let errors = 0;
  let connects = 0;
  // Warm up (connections, JIT) before measuring.
  const warm = Array.from({ length: clients }, () => engine.createClient());
  await Promise.all(warm.map((c) => c.send(request)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  setTimeout(() => stop.abort(), seconds * 1000);
  await Promise.all(
    warm.map(async (client) => {
      while (!stop.signal.aborted) {
        const r = await client.send(request, stop.signal);
        if (stop.signal.aborted) break;
        requests++;
        if (r.error !== null) errors++;
        if (r.connected) connects++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const c of warm) c.close();
  const cpuUs = cpu.user + cpu.system;
  console.log(
    `${engineName.padEnd(6)} ${clients} clients ${elapsed.toFixed(1)} s: ${Math.round(requests / elapsed)} req/s, ` +
      `${(cpuUs / requests).toFixed(2)} µs CPU/request (user ${(cpu.user / requests).toFixed(2)}, sys ${(cpu.system / requests).toFixed(2)}), ` +
      `${errors} errors, ${connects} new connections`,
  );
}

async function main(): Promise<void> {
  if (process.argv.includes(SERVE_FLAG)) return serve();
  const which = process.argv[2] ?? "socket";
  const seconds = Number(process.argv[3] ?? "5");
  const clients = Number(process.argv[4] ?? "64");
  const target = await startTarget();
  try {
    const engines: EngineName[] = which === "both" ? ["socket", "fetch"] : [which as EngineName];
    for (const name of engines) await run(name, target.port, seconds, clients);
  } finally {
    target.stop();
  }
}

await main();
