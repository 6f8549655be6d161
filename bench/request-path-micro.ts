// indus's own work per request, without the kernel: the in-thread executor (VU loop, socket client, parser, recorder,
// generator monitor) at 64 VUs over a fake network that answers every request with nginx's static-file response, the
// answers of all sockets written to since the last turn delivered together on the next turn of the event loop (as one
// epoll wake-up hands a busy client ~63 responses). Beside it, in the same rounds, a bare client on the same fake
// network (the next request written when a response's bytes arrive): the difference is what indus's JavaScript adds
// to a request, measured without the kernel's 10-12 µs and its 20-30% swings (bench/bare-client.ts), so a change of
// 50 ns shows.
//   npx bun bench/request-path-micro.ts [--rounds=5] [--seconds=3] [--vus=64]   (this JIT build of Bun)
//   npx bun bench/request-path-micro.ts --aot                                   (compiled ahead of time, as bin/indus)
//   npx bun bench/request-path-micro.ts --aot --delay=50                        (answers 50 ms after the request, as
//     bench/support/sleep-target.ts: a few responses a wake-up, the loop asleep in between; 10 s rounds)
import type { SocketHandler } from "bun";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { scriptCommand } from "../scripts/aot.ts";
import { createRealClock } from "../src/core/clock.ts";
import { createEngine } from "../src/engine/index.ts";
import { createInThreadExecutor } from "../src/engine/runner/executor.ts";
import { snapshotRequests } from "../src/metrics/snapshot.ts";
import { parsePlan } from "../src/plan/index.ts";
import { NGINX_STATIC_RESPONSE } from "./support/nginx-response.ts";
import { argValue, median } from "./support/tools.ts";

const CHILD = "--child=";
const WARM_UP_MS = 1000;
const REQUEST = new TextEncoder().encode("GET /static HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n");

type Client = "bare" | "indus";

/** Sockets that answer every write with one response, delivered with the other sockets' on the next turn of the loop. */
class FakeNetwork {
  private ready: FakeSocket[] = [];
  private scheduled = false;
  private readonly response = new TextEncoder().encode(NGINX_STATIC_RESPONSE);
  /** delayMs 0: the answers come on the next turn of the loop; more: that many ms after the first write of a turn */
  constructor(private readonly delayMs: number) {}

  private readonly deliver = (): void => {
    const batch = this.ready;
    this.ready = [];
    this.scheduled = false;
    for (const socket of batch) {
      // Bun hands every data event a fresh buffer
      if (!socket.closed) socket.handlers.data!(socket as never, this.response.slice() as never);
    }
  };

  connect(options: { data: unknown; socket: SocketHandler<unknown> }): Promise<FakeSocket> {
    const socket = new FakeSocket(this, options.socket, options.data);
    queueMicrotask(() => options.socket.open!(socket as never));
    return Promise.resolve(socket);
  }

  answer(socket: FakeSocket): void {
    this.ready.push(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.delayMs > 0) setTimeout(this.deliver, this.delayMs);
      else setImmediate(this.deliver);
    }
  }
}

class FakeSocket {
  closed = false;
  constructor(
    private readonly network: FakeNetwork,
    readonly handlers: SocketHandler<unknown>,
    readonly data: unknown,
  ) {}
  write(bytes: Uint8Array, offset = 0, length = bytes.length - offset): number {
    if (this.closed) return -1;
    this.network.answer(this);
    return length;
  }
  end(): void {
    this.closed = true;
  }
  terminate(): void {
    this.closed = true;
  }
}

interface Measured {
  requests: number;
  cpuUs: number;
}

async function bare(network: FakeNetwork, vus: number, seconds: number): Promise<Measured> {
  let requests = 0;
  let counting = false;
  const handlers: SocketHandler<unknown> = {
    open(socket) {
      socket.write(REQUEST);
    },
    data(socket) {
      if (counting) requests++;
      socket.write(REQUEST);
    },
  };
  for (let i = 0; i < vus; i++) void network.connect({ data: null, socket: handlers });
  await Bun.sleep(WARM_UP_MS);
  counting = true;
  const cpu0 = process.cpuUsage();
  await Bun.sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  return { requests, cpuUs: cpu.user + cpu.system };
}

async function indus(vus: number, seconds: number): Promise<Measured> {
  const plan = parsePlan(
    `name: request-path-micro
scenarios:
  static:
    duration: ${seconds + 10}s
    profile: { type: constant, vus: ${vus} }
    steps:
      - { name: get, url: "http://127.0.0.1:1/static", timeout: 10s }
`,
    "request-path-micro.yaml",
  );
  const executor = createInThreadExecutor(plan, createEngine("socket"), createRealClock(), { spreadMs: 0 });
  executor.setVus("static", vus);
  await Bun.sleep(WARM_UP_MS);
  await executor.takeDelta();
  const cpu0 = process.cpuUsage();
  await Bun.sleep(seconds * 1000);
  const requests = snapshotRequests(await executor.takeDelta());
  const cpu = process.cpuUsage(cpu0);
  await executor.stop("abort");
  return { requests, cpuUs: cpu.user + cpu.system };
}

/** One client in this process: prints {requests, cpuUs}. */
async function child(client: Client, vus: number, seconds: number, delayMs: number): Promise<void> {
  const network = new FakeNetwork(delayMs);
  (Bun as { connect: unknown }).connect = (options: { data: unknown; socket: SocketHandler<unknown> }) => network.connect(options);
  const measured = client === "bare" ? await bare(network, vus, seconds) : await indus(vus, seconds);
  console.log(JSON.stringify(measured));
}

function runChild(command: string[], client: Client, vus: number, seconds: number, delayMs: number): Measured {
  const run = Bun.spawnSync(["taskset", "-c", "1", ...command, `${CHILD}${client}`, `--vus=${vus}`, `--seconds=${seconds}`, `--delay=${delayMs}`], { stdout: "pipe", stderr: "inherit" });
  if (run.exitCode !== 0) throw new Error(`request-path-micro: the ${client} child exited ${run.exitCode}`);
  return JSON.parse(run.stdout.toString().trim().split("\n").pop()!) as Measured;
}

async function main(): Promise<number> {
  const vus = Number(argValue("vus") ?? 64);
  const delayMs = Number(argValue("delay") ?? 0);
  const seconds = Number(argValue("seconds") ?? (delayMs > 0 ? 10 : 3));
  const which = argValue("child");
  if (which === "bare" || which === "indus") {
    await child(which, vus, seconds, delayMs);
    return 0;
  }
  const rounds = Number(argValue("rounds") ?? 5);
  const aot = process.argv.includes("--aot");
  const { command, remove } = scriptCommand(resolve(import.meta.dir, ".."), import.meta.path, aot);
  try {
    const ns: Record<Client, number[]> = { bare: [], indus: [] };
    for (let r = 0; r < rounds; r++) {
      for (const client of ["bare", "indus"] as const) {
        const m = runChild(command, client, vus, seconds, delayMs);
        ns[client].push((m.cpuUs * 1000) / m.requests);
      }
      console.log(`round ${r + 1}: bare ${ns.bare[r]!.toFixed(0)} ns/req, indus ${ns.indus[r]!.toFixed(0)} ns/req`);
    }
    const b = median(ns.bare);
    const i = median(ns.indus);
    console.log(`medians of ${rounds} rounds (${vus} VUs, ${seconds} s each, answers ${delayMs > 0 ? `${delayMs} ms` : "at once"}): bare ${b.toFixed(0)} ns/req, indus ${i.toFixed(0)} ns/req, indus's own work ${(i - b).toFixed(0)} ns/req`);
    const out = resolve(import.meta.dir, "results", `request-path-micro${aot ? "-aot" : ""}${delayMs > 0 ? `-delay${delayMs}` : ""}.json`);
    const result = { date: new Date().toISOString(), vus, seconds, delayMs, build: aot ? "compiled ahead of time" : "Bun's JIT", nsPerRequest: ns, medians: { bare: b, indus: i, own: i - b } };
    writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    console.log(`wrote ${out}`);
    return 0;
  } finally {
    remove();
  }
}

process.exit(await main());
