// A script scenario on HTTP/2 (`http: "2"`, h2c): vu.http rides the scenario's own engine, as its YAML steps would.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createRealClock } from "../../src/core/clock.ts";
import { enginesForPlan } from "../../src/engine/index.ts";
import { createInThreadExecutor } from "../../src/engine/runner/executor.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { createH2Target, type H2Target } from "../engine/h2-target.ts";
import { scriptPlan } from "./fixture.ts";

let target: H2Target;
beforeAll(async () => {
  target = createH2Target();
  await target.start();
});
afterAll(() => target.stop());

test("vu.http over HTTP/2: requests recorded on the script's steps, one h2 session per VU", async () => {
  const p = await scriptPlan(
    `name: t
scenarios:
  s:
    duration: "30s"
    http: "2"
    profile: { type: constant, vus: 2 }
    script: ./flow.ts
`,
    { "flow.ts": `export default async (vu) => { const r = await vu.http.get(${JSON.stringify(target.url("/hello"))}, { step: "h2" }); vu.check("hello", r.text() === "hello\\n"); };` },
  );
  const plan = p.shipped();
  const engines = enginesForPlan(plan, "socket");
  const executor = createInThreadExecutor(plan, engines, createRealClock(), { spreadMs: 0, monitorGenerator: false });
  await executor.ready;
  executor.setVus("s", 2);
  const acc = new SnapshotAccumulator();
  const deadline = performance.now() + 10_000;
  while ((acc.stats({ scenario: "s", step: "h2" }, 1)?.requests ?? 0) < 50 && performance.now() < deadline) {
    await Bun.sleep(20);
    acc.add(await executor.takeDelta());
  }
  acc.add(await executor.stop("graceful"));
  engines.close();
  const h2 = acc.stats({ scenario: "s", step: "h2" }, 1)!;
  expect(h2.requests).toBeGreaterThanOrEqual(50);
  expect(h2.errors).toBe(0);
  expect(acc.checks("s", "h2").hello!.fails).toBe(0);
  expect(target.sessions).toBe(2);
  p.cleanup();
});
