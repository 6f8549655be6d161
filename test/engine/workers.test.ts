// The worker pool: counts match a real server, VU shares add up, stops are prompt, late deltas are kept, crashes reject.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "bun";
import { snapshotRequests, snapshotVus, type Snapshot } from "../../src/metrics/snapshot.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { createWorkerPoolExecutor, defaultWorkerCount, openWorkerPool, type WorkerPoolOptions } from "../../src/engine/workers/index.ts";
import { splitEven } from "../../src/schedule/index.ts";
import { ROOT, writePlan } from "../helpers.ts";

/** Zero-latency target that counts every request it answers; /slow (not counted) never answers within a test. */
let server: Server<undefined>;
let served = 0;
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      if (req.url.endsWith("/slow")) {
        await Bun.sleep(10_000);
        return new Response("late\n");
      }
      served++;
      return new Response("ok\n");
    },
  });
});
afterAll(() => server.stop(true));

const base = () => `http://127.0.0.1:${server.port}`;

function plan(scenarios: Record<string, string>) {
  const body = Object.entries(scenarios)
    .map(([name, path]) => `  ${name}:\n    duration: 3s\n    profile: { type: constant, vus: 1 }\n    steps:\n      - { name: get, url: ${base()}${path} }\n`)
    .join("");
  return parsePlan(`name: pool\nscenarios:\n${body}`, "pool.yaml");
}

/** Drives a pool for `seconds`, taking a delta each second like an agent does. */
async function drive(options: WorkerPoolOptions, vus: number, seconds: number) {
  const before = served;
  const pool = await createWorkerPoolExecutor(plan({ hammer: "/hello" }), { spreadMs: 0, ...options });
  pool.setVus("hammer", vus);
  const deltas: Snapshot[] = [];
  const takeMs: number[] = [];
  for (let s = 0; s < seconds; s++) {
    await Bun.sleep(1000);
    const t = performance.now();
    deltas.push(await pool.takeDelta());
    takeMs.push(performance.now() - t);
  }
  const shares = pool.reportedVus();
  deltas.push(await pool.stop("graceful"));
  return { deltas, takeMs, shares, served: served - before, counted: deltas.reduce((n, d) => n + snapshotRequests(d), 0) };
}

describe("worker pool", () => {
  for (const workers of [1, 2, 4]) {
    test(`${workers} worker(s): requests counted equal requests served (±0.5%), VUs add up`, async () => {
      const r = await drive({ workers, engine: "socket" }, 16, 3);
      expect(r.counted).toBeGreaterThan(1000);
      expect(Math.abs(r.counted - r.served) / r.served).toBeLessThanOrEqual(0.005);
      expect(r.shares.map((s) => s.hammer)).toEqual(splitEven(16, workers, 0));
      for (const d of r.deltas.slice(0, -1)) expect(snapshotVus(d)).toBe(16);
      expect(snapshotVus(r.deltas.at(-1)!)).toBe(0);
    }, 15_000);
  }

  test("shares of several scenarios rotate their remainders and add up exactly", async () => {
    const pool = await createWorkerPoolExecutor(plan({ a: "/hello", b: "/hello", c: "/hello" }), { workers: 4, engine: "socket", spreadMs: 0 });
    const targets = { a: 7, b: 5, c: 2 };
    for (const [name, n] of Object.entries(targets)) pool.setVus(name, n);
    const delta = await pool.takeDelta();
    const shares = pool.reportedVus();
    await pool.stop("abort");
    expect(shares.map((s) => s.a)).toEqual(splitEven(7, 4, 0));
    expect(shares.map((s) => s.b)).toEqual(splitEven(5, 4, 1));
    expect(shares.map((s) => s.c)).toEqual(splitEven(2, 4, 2));
    // every worker carries 3 or 4 of the 14 VUs: rotation spreads the extras
    expect(shares.map((s) => (s.a ?? 0) + (s.b ?? 0) + (s.c ?? 0))).toEqual([3, 4, 4, 3]);
    for (const [name, n] of Object.entries(targets)) expect(delta.scenarios[name]?.vus).toBe(n);
  }, 10_000);

  test("the fetch engine runs in workers too", async () => {
    const r = await drive({ workers: 2, engine: "fetch" }, 4, 1);
    expect(r.counted).toBeGreaterThan(100);
    expect(Math.abs(r.counted - r.served) / r.served).toBeLessThanOrEqual(0.005);
  }, 10_000);

  test("stop('abort') returns within 1 s while every request hangs", async () => {
    const pool = await createWorkerPoolExecutor(plan({ hang: "/slow" }), { workers: 2, engine: "socket", spreadMs: 0 });
    pool.setVus("hang", 16);
    await Bun.sleep(300);
    const t = performance.now();
    const last = await pool.stop("abort");
    expect(performance.now() - t).toBeLessThan(1000);
    expect(snapshotRequests(last)).toBe(0);
  }, 10_000);

  test("stop('abort') during a graceful stop cancels what is in flight and ends it at once", async () => {
    const pool = await createWorkerPoolExecutor(plan({ hang: "/slow" }), { workers: 2, engine: "socket", spreadMs: 0 });
    pool.setVus("hang", 4);
    await Bun.sleep(300);
    const graceful = pool.stop("graceful");
    await Bun.sleep(200);
    const t = performance.now();
    const aborted = pool.stop("abort");
    expect(aborted).toBe(graceful);
    expect(snapshotVus(await aborted)).toBe(0);
    expect(performance.now() - t).toBeLessThan(1000);
  }, 10_000);

  test("a busy worker's delta is not lost: it arrives late and joins a later takeDelta", async () => {
    // worker 1 blocks its thread 1.2 s before each reply: well past the 500 ms the pool waits
    const r = await drive({ workers: 2, engine: "socket", faults: { 0: { stallTakeMs: 1200 } } }, 8, 3);
    for (const ms of r.takeMs) expect(ms).toBeLessThan(1000);
    expect(r.takeMs.some((ms) => ms >= 450)).toBe(true);
    expect(r.counted).toBe(r.served);
  }, 15_000);

  test("a crashing worker rejects takeDelta and stop with a clear message, without hanging", async () => {
    // opened without waiting: commands queue behind each worker's start
    const pool = openWorkerPool(plan({ hammer: "/hello" }), { workers: 2, engine: "socket", faults: { 1: { crashOnTake: true } } });
    pool.setVus("hammer", 4);
    await Bun.sleep(200);
    await expect(pool.takeDelta()).rejects.toThrow(/worker 2 of 2 failed: injected crash/);
    await expect(pool.stop("graceful")).rejects.toThrow(/worker 2 of 2 failed/);
  }, 10_000);

  test("bad steps and bad worker counts fail before any worker starts", async () => {
    const bad = plan({ s: "/hello" });
    bad.scenarios[0]!.steps[0]!.url = "ftp://127.0.0.1/"; // past the plan's own checks, as a programmatic caller could
    expect(() => openWorkerPool(bad, { workers: 1, engine: "socket" })).toThrow(/unsupported URL scheme/);
    await expect(createWorkerPoolExecutor(bad, { workers: 1, engine: "socket" })).rejects.toThrow(/unsupported URL scheme/);
    expect(() => openWorkerPool(plan({ s: "/hello" }), { workers: 0, engine: "socket" })).toThrow(/workers/);
    const pool = openWorkerPool(plan({ s: "/hello" }), { workers: 1, engine: "socket" });
    expect(() => pool.setVus("nope", 1)).toThrow(/unknown scenario/);
    await pool.stop("abort");
    // a worker that cannot build its executor: the pool does not start, and says which worker and why
    const started = createWorkerPoolExecutor(plan({ s: "/hello" }), { workers: 2, engine: "gopher" as never });
    await expect(started).rejects.toThrow(/worker \d of 2 failed: unknown engine "gopher"/);
  });

  test("defaultWorkerCount is one per available core", () => {
    expect(defaultWorkerCount()).toBeGreaterThanOrEqual(1);
  });
});

describe("worker pool inside the compiled binary", () => {
  let dir = "";
  let bin = "";
  beforeAll(() => {
    // Its own binary, not bin/indus: other test files may be running that one right now.
    dir = mkdtempSync(join(tmpdir(), "indus-workers-bin-"));
    bin = join(dir, "indus");
    const build = Bun.spawnSync([process.execPath, "scripts/build.ts", "", bin], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("indus run --workers 2 counts what the server served", async () => {
    const file = writePlan(`name: compiled
scenarios:
  hammer:
    duration: 2s
    profile: { type: constant, vus: 8 }
    steps:
      - { name: hello, url: ${base()}/hello }
`);
    const before = served;
    const proc = Bun.spawn([bin, "run", file, "--workers", "2"], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    const count = served - before;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const row = /^\s*hello\s+(\d+)\s/m.exec(stdout);
    expect(row).not.toBeNull();
    const counted = Number(row![1]);
    expect(count).toBeGreaterThan(1000);
    expect(Math.abs(counted - count) / count).toBeLessThanOrEqual(0.005);
  }, 60_000);
});

describe("the schedule's end through a worker pool", () => {
  // 100 arrivals a second for 60 s, stopped after a moment: at the end ("end") every arrival of the share is run or
  // counted dropped, however early each worker's clock says it is; a stop asked for before the end ("graceful")
  // owes only the arrivals due by then
  const ratePlan = () =>
    parsePlan(
      `name: pool-rate\nscenarios:\n  s:\n    duration: 60s\n    profile: { type: constant_rate, rate: 100, pre_allocated_vus: 2, max_vus: 8 }\n    steps:\n      - { name: get, url: ${base()}/hello }\n`,
      "pool-rate.yaml",
    );
  const ended = (deltas: Snapshot[]) => deltas.reduce((n, d) => n + d.scenarios.s!.iterations + (d.scenarios.s!.droppedIterations ?? 0), 0);

  for (const mode of ["end", "graceful"] as const) {
    test(`stop "${mode}" on two workers`, async () => {
      const pool = await createWorkerPoolExecutor(ratePlan(), { workers: 2, engine: "socket", spreadMs: 0 });
      pool.setRate!("s", { offset: 0, stride: 1, from: 0, preAllocatedVus: 2, maxVus: 8 });
      await Bun.sleep(300);
      const deltas = [await pool.takeDelta(), await pool.stop(mode)];
      if (mode === "end") expect(ended(deltas)).toBe(6000);
      else expect(ended(deltas)).toBeLessThan(1000);
    });
  }
});
