// 50 browsers' worth of SSE watchers cost the run nothing: a rate-limited run sends the same requests (±5%), drops no arrival, with or without them.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ProcGroup } from "../distributed/harness.ts";
import { writePlan } from "../helpers.ts";

// modest: the machine running the tests is shared, and a run alone must drop nothing either
const RATE = 200;
const SECONDS = 8;
const WATCHERS = 50;

describe("50 SSE watchers on indus run --dashboard", () => {
  const group = new ProcGroup();
  const hits = { n: 0 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => {
      hits.n++;
      return new Response("ok");
    },
  });
  const plan = writePlan(
    `name: watched-rate
scenarios:
  paced:
    duration: ${SECONDS}s
    profile: { type: constant_rate, rate: ${RATE}, pre_allocated_vus: 20, max_vus: 80, max_lateness: 5s }
    steps:
      - { name: hit, url: "http://127.0.0.1:${server.port}/" }
`,
    group.dir(),
  );

  afterAll(async () => {
    await group.stop();
    server.stop(true);
  });

  /** one run; with watchers, each one reads the run's event stream to its end; returns requests seen and dropped iterations */
  async function run(watchers: number): Promise<{ requests: number; dropped: number; frames: number[] }> {
    const report = join(group.dir(), "report.json");
    const before = hits.n;
    const proc = group.spawn("run", ["run", plan, "--data-dir", group.dataDir, "--report", report, ...(watchers > 0 ? ["--dashboard=127.0.0.1:0"] : [])]);
    let frames: Promise<number[]> = Promise.resolve([]);
    if (watchers > 0) {
      const url = /Dashboard: (\S+)/.exec(await proc.waitFor(/^Dashboard: /, 20_000, "err"))![1]!;
      const id = /Run started: ([0-9a-f]{8})/.exec(await proc.waitFor(/Run started: /, 20_000, "out"))![1]!;
      frames = Promise.all(
        Array.from({ length: watchers }, async () => {
          const res = await fetch(new URL(`/runs/${id}/events`, url));
          // counted on whole lines: a chunk may end in the middle of one (or of a UTF-8 character)
          let n = 0;
          let rest = "";
          const decoder = new TextDecoder();
          for await (const chunk of res.body!) {
            const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
            rest = lines.pop()!;
            n += lines.filter((l) => l === "event: update").length;
          }
          return n;
        }),
      );
    }
    expect(await proc.exited).toBe(0);
    const json = JSON.parse(readFileSync(report, "utf8"));
    return { requests: hits.n - before, dropped: json.summary.global.dropped_iterations ?? 0, frames: await frames };
  }

  test(`requests within 5% of a run with none, no dropped iteration, every watcher fed each second`, async () => {
    const alone = await run(0);
    const watched = await run(WATCHERS);
    console.log(`requests: ${alone.requests} alone, ${watched.requests} with ${WATCHERS} watchers; frames per watcher: min ${Math.min(...watched.frames)}`);
    expect(alone.dropped).toBe(0);
    expect(watched.dropped).toBe(0);
    expect(alone.requests).toBeGreaterThan(RATE * SECONDS * 0.9);
    expect(Math.abs(watched.requests - alone.requests) / alone.requests).toBeLessThanOrEqual(0.05);
    expect(watched.frames.length).toBe(WATCHERS);
    // the first frame on connect, one per second, the last one: nobody was dropped or starved
    for (const n of watched.frames) expect(n).toBeGreaterThanOrEqual(SECONDS - 2);
  }, 90_000);
});
