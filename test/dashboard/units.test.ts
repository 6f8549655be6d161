// The dashboard's parts without a browser: series grown a second at a time, the fan-out's bound per watcher, the request guard.
import { describe, expect, test } from "bun:test";
import { createFanout, sseFrame } from "../../src/report/live/fanout.ts";
import { appendSecond, emptyTimelineSeries } from "../../src/report/live/append-series.ts";
import { admit, allowAction } from "../../src/report/live/guard.ts";
import { timelineSeries } from "../../src/report/series.ts";
import { appendTagSecond, tagSeries } from "../../src/report/tag-series.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";
import { openRun } from "../report/fixtures/open-run.ts";
import { createLiveRun } from "../../src/report/live/live-run.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { summarize } from "../../src/run/index.ts";

describe("appendSecond", () => {
  for (const [name, run] of [
    ["closed model, 3 scenarios, an agent lost", syntheticRun({ seconds: 40, scenarios: 3, steps: 2, loseAgentAt: 20 })],
    ["arrival rate with stalls and drops", openRun({ seconds: 30, stallAt: [10, 11], closed: true, saturatedAt: [15] })],
  ] as const) {
    test(`grown second by second equals the whole timeline's series: ${name}`, () => {
      const grown = emptyTimelineSeries(run.plan);
      let prev = 0;
      for (const entry of run.result.timeline) {
        appendSecond(grown, run.plan, prev, entry);
        prev = entry.t;
      }
      expect(grown).toEqual(timelineSeries(run.plan, run.result.timeline));
    });
  }
});

describe("the live page's summary", () => {
  test("is the run model's summary of the merge so far, every second, and empty before the first", () => {
    const run = syntheticRun({ seconds: 12, scenarios: 2, steps: 2 });
    const live = createLiveRun({ id: run.result.runId, plan: run.plan, planYaml: run.planYaml, planFile: "p.yaml", startedAt: new Date(0), agents: [] });
    const empty = live.view().input.summary;
    expect(empty.global.requests).toBe(0);
    expect(empty.scenarios.map((sc) => sc.steps.length)).toEqual(run.plan.scenarios.map((sc) => sc.steps.length));
    const merged = new SnapshotAccumulator();
    for (const entry of run.result.timeline) {
      merged.add(entry.snapshot);
      live.second(entry, merged);
      expect(live.view().input.summary).toEqual(summarize(run.plan, merged, entry.t));
    }
    expect(live.view().input.summary.global.requests).toBe(run.result.summary.global.requests);
  });
});

describe("tag series", () => {
  test("a tag's columns cover the steps carrying it; grown second by second equals the whole timeline's", () => {
    const run = syntheticRun({ seconds: 30, scenarios: 2, steps: 2 });
    const plan = structuredClone(run.plan);
    plan.scenarios[0]!.steps[0]!.tags = { kind: "read" };
    plan.scenarios[1]!.steps[0]!.tags = { kind: "read" };
    plan.scenarios[1]!.steps[1]!.tags = { kind: "write" };
    const whole = tagSeries(plan, run.result.timeline);
    expect(whole.map((s) => s.tag)).toEqual(["kind=read", "kind=write"]);
    const grown = tagSeries(plan, []);
    let prev = 0;
    for (const e of run.result.timeline) {
      appendTagSecond(grown, plan, prev, e);
      prev = e.t;
    }
    expect(grown).toEqual(whole);
    // kind=write is one step: its rps is that step's requests per second
    const [sc, st] = [plan.scenarios[1]!.name, plan.scenarios[1]!.steps[1]!.name];
    const e3 = run.result.timeline[3]!;
    expect(whole[1]!.rps[3]).toBe(e3.snapshot.scenarios[sc]!.steps[st]!.requests / (e3.t - run.result.timeline[2]!.t));
    expect(tagSeries(run.plan, run.result.timeline)).toEqual([]);
  });
});

describe("fan-out", () => {
  const read = async (stream: ReadableStream<Uint8Array>, max: number) => {
    const reader = stream.getReader();
    const out: string[] = [];
    while (out.length < max) {
      const { value, done } = await reader.read();
      if (done) break;
      out.push(new TextDecoder().decode(value));
    }
    reader.releaseLock();
    return out;
  };

  test("one encoded frame goes to every watcher, newest first (an unsent one is replaced), and the last one ends each stream", async () => {
    const f = createFanout();
    const streams = Array.from({ length: 10 }, () => f.subscribe(sseFrame("update", { n: 0 })));
    expect(f.watchers).toBe(10);
    const readers = streams.map((s) => read(s, 100));
    for (let n = 1; n <= 3; n++) {
      f.publish(sseFrame("update", { n }));
      await Bun.sleep(0);
    }
    f.close(sseFrame("update", { n: "last" }));
    for (const frames of await Promise.all(readers)) {
      expect(frames.at(-1)).toBe('event: update\ndata: {"n":"last"}\n\n');
      const ns = frames.slice(0, -1).map((f) => Number(/"n":(\d+)/.exec(f)![1]));
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
      expect(ns.at(-1)).toBe(3);
    }
    expect(f.watchers).toBe(0);
  });

  test("a watcher that does not read holds one frame at most, and is dropped after missing maxSkipped", async () => {
    const dropped: number[] = [];
    const f = createFanout({ maxSkipped: 3, onDrop: (n) => dropped.push(n) });
    const slow = f.subscribe(); // never read
    const fast = f.subscribe();
    const got = read(fast, 10);
    for (let n = 1; n <= 10; n++) {
      f.publish(sseFrame("update", { n }));
      await Bun.sleep(0);
    }
    expect(dropped).toEqual([3]);
    expect(f.watchers).toBe(1);
    expect((await got).length).toBe(10);
    // what the slow one can still read: the frame it held when dropped, then the end
    expect((await read(slow, 10)).length).toBeLessThanOrEqual(1);
  });

  test("a real socket that stops reading is dropped; memory stays flat while a good watcher gets every frame", async () => {
    const f = createFanout();
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: () => new Response(f.subscribe(), { headers: { "Content-Type": "text/event-stream" } }) });
    try {
      const stalled = await Bun.connect({
        hostname: "127.0.0.1",
        port: server.port!,
        socket: {
          data() {},
          open(s) {
            s.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            s.pause();
          },
        },
      });
      const good = fetch(`http://127.0.0.1:${server.port}/`).then(async (r) => {
        let n = 0;
        for await (const c of r.body!) n += c.length;
        return n;
      });
      // both have subscribed (not a fixed pause: a loaded machine may take longer to connect)
      while (f.watchers < 2) await Bun.sleep(5);
      const frame = sseFrame("update", { html: "x".repeat(400_000) });
      for (let i = 0; i < 40 && f.watchers > 1; i++) {
        f.publish(frame);
        await Bun.sleep(20);
      }
      expect(f.watchers).toBe(1);
      f.close(frame);
      expect(await good).toBeGreaterThan(frame.length * 5);
      stalled.end();
    } finally {
      server.stop(true);
    }
  });
});

describe("guard", () => {
  const req = (url: string, headers: Record<string, string>, method = "GET") => new Request(url, { method, headers });
  const loop = { loopback: true, token: undefined, tls: false };
  const open = { loopback: false, token: "s3cret", tls: false };

  test("on loopback: loopback Host names only (no DNS rebinding), no token needed", () => {
    expect(admit(req("http://127.0.0.1:5665/", { host: "127.0.0.1:5665" }), new URL("http://127.0.0.1:5665/"), loop).ok).toBe(true);
    expect(admit(req("http://localhost:5665/", { host: "localhost:5665" }), new URL("http://localhost:5665/"), loop).ok).toBe(true);
    expect(admit(req("http://evil.example/", { host: "evil.example" }), new URL("http://evil.example/"), loop)).toMatchObject({ ok: false, status: 421 });
  });

  test("away from loopback: the token, by bearer, cookie, or once in the address (then a cookie and a clean address)", () => {
    const u = new URL("http://10.0.0.5:5665/runs/abc");
    expect(admit(req(u.href, { host: u.host }), u, open)).toMatchObject({ ok: false, status: 401 });
    expect(admit(req(u.href, { host: u.host, authorization: "Bearer wrong" }), u, open)).toMatchObject({ ok: false, status: 401 });
    expect(admit(req(u.href, { host: u.host, authorization: "Bearer s3cret" }), u, open).ok).toBe(true);
    expect(admit(req(u.href, { host: u.host, cookie: "a=b; indus_token=s3cret" }), u, open).ok).toBe(true);
    const withToken = new URL("http://10.0.0.5:5665/runs/abc?token=s3cret");
    const v = admit(req(withToken.href, { host: u.host }), withToken, open);
    expect(v).toMatchObject({ ok: true, redirect: "/runs/abc" });
    expect(v.ok && v.setCookie).toContain("HttpOnly; SameSite=Strict");
  });

  test("a POST acts only from our own origin, same-site fetch, with the action header", () => {
    const u = new URL("http://127.0.0.1:5665/runs/abc/stop");
    const good = { origin: "http://127.0.0.1:5665", "x-indus-action": "stop", "sec-fetch-site": "same-origin" };
    expect(allowAction(req(u.href, good, "POST"), u, "stop").ok).toBe(true);
    expect(allowAction(req(u.href, { ...good, origin: "http://evil.example" }, "POST"), u, "stop").ok).toBe(false);
    expect(allowAction(req(u.href, { ...good, "sec-fetch-site": "cross-site" }, "POST"), u, "stop").ok).toBe(false);
    expect(allowAction(req(u.href, { origin: good.origin }, "POST"), u, "stop").ok).toBe(false);
    expect(allowAction(req(u.href, { "x-indus-action": "stop" }, "POST"), u, "stop").ok).toBe(false);
  });
});
