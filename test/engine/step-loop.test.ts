// The YAML VU loop (src/engine/runner/step-loop.ts): driven by callbacks, it must never hold the thread, recurse per
// iteration, or lose a step's failure; the socket engine's sendThen and a promise-only client run the same loop.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createRealClock } from "../../src/core/clock.ts";
import { createFetchEngine, createSocketEngine } from "../../src/engine/index.ts";
import { createInThreadExecutor } from "../../src/engine/runner/executor.ts";
import { StepLoop, type LoopOwner } from "../../src/engine/runner/step-loop.ts";
import { compileScenario } from "../../src/engine/steps/program.ts";
import { emptyResult, type Engine, type HttpClient, type PreparedRequest, type RequestResult } from "../../src/engine/types.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { Recorder } from "../../src/metrics/recorder.ts";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { until } from "../script/fixture.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

const plan = (steps: string, extra = "") =>
  parsePlan(
    `name: p
scenarios:
  s:
    duration: 30s
    profile: { type: constant, vus: 1 }
${extra}    steps:
${steps}`,
    "p.yaml",
  );

/** A turn of the event loop: it comes only if no VU holds the thread. */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe("the step loop", () => {
  test("a step whose URL renders into no URL, without think time, does not hold the thread; each attempt is an error with its reason", async () => {
    const p = plan(`      - { name: bad, url: "{{base}}/x", extract: { base: { json: base } } }\n`);
    const executor = createInThreadExecutor(p, createSocketEngine(), createRealClock(), { spreadMs: 0, monitorGenerator: false });
    executor.setVus("s", 2);
    // before the change this never came: the VU looped without ever returning to the event loop
    for (let i = 0; i < 5; i++) await turn();
    const acc = new SnapshotAccumulator();
    acc.add(await executor.stop("graceful"));
    const bad = acc.stats({ scenario: "s", step: "bad" }, 1)!;
    expect(bad.errors).toBeGreaterThan(0);
    expect(bad.errors).toBe(bad.requests);
    expect(bad.errorsByClass.other).toBe(bad.errors);
    expect(bad.errorKinds).toEqual({ 'other: the URL rendered as "/x", which is not a URL': bad.errors });
  });

  for (const [name, engine] of [
    ["socket engine (sendThen)", createSocketEngine],
    ["fetch engine (a promise per request)", createFetchEngine],
  ] as const) {
    test(`${name}: steps in order, every response recorded, iterations counted, stopped softly`, async () => {
      const p = plan(`      - { name: one, url: "${target.url}/api/users" }\n      - { name: two, url: "${target.url}/healthz" }\n`);
      const before = target.stats().requests;
      const executor = createInThreadExecutor(p, engine(), createRealClock(), { spreadMs: 0, monitorGenerator: false });
      executor.setVus("s", 4);
      await until(() => target.stats().requests - before >= 200, 10_000, "200 requests");
      const acc = new SnapshotAccumulator();
      acc.add(await executor.stop("graceful"));
      const one = acc.stats({ scenario: "s", step: "one" }, 1)!;
      const two = acc.stats({ scenario: "s", step: "two" }, 1)!;
      // a VU retired between its steps stops there: step two ran at most once less per VU than step one
      expect(one.requests - two.requests).toBeGreaterThanOrEqual(0);
      expect(one.requests - two.requests).toBeLessThanOrEqual(4);
      expect(one.errors + two.errors).toBe(0);
      // a graceful stop lets the request in flight finish: everything the target served was recorded
      expect(one.requests + two.requests).toBe(target.stats().requests - before);
      expect(acc.stats({ scenario: "s" }, 1)!.iterations).toBe(two.requests);
    });
  }
});

/** A client that answers every request at once, inside sendThen (as a socket client does for an aborted send). */
function instantEngine(): Engine & { sends: number } {
  const engine = {
    name: "instant",
    sends: 0,
    createClient(): HttpClient {
      const result: RequestResult = { ...emptyResult(), status: 200 };
      return {
        send: () => Promise.resolve(result),
        sendThen(_request: PreparedRequest, _signal: AbortSignal, callback: (r: RequestResult) => void) {
          engine.sends++;
          callback(result);
        },
        close() {},
      };
    },
  };
  return engine;
}

describe("the step loop's own stack", () => {
  test("a client that answers inside sendThen: no recursion per request, and the event loop still turns between iterations", async () => {
    const p = plan(`      - { name: a, url: "http://127.0.0.1:9/a" }\n      - { name: b, url: "http://127.0.0.1:9/b" }\n`);
    const program = compileScenario(p.scenarios[0]!);
    const recorder = new Recorder([{ name: "s", open: false, steps: program.steps.map((st) => ({ name: st.name, checkNames: [] })), scriptTags: "" }]);
    const scenario = recorder.scenario("s");
    const abort = new AbortController();
    let retiring = false;
    const owner: LoopOwner = {
      get retiring() {
        return retiring;
      },
      pauseThen: (_ms, then) => then(),
    };
    const engine = instantEngine();
    const loop = new StepLoop(owner, program, scenario, engine, abort.signal, 1, null, 0);
    // each iteration's answers came at once, so it gave the event loop a turn: these turns come, and iterations go on
    for (let i = 0; i < 20; i++) await turn();
    expect(engine.sends).toBeGreaterThanOrEqual(2 * 20);
    retiring = true;
    await loop.done;
    const sends = engine.sends;
    await turn();
    expect(engine.sends).toBe(sends);
    expect(scenario.iterations).toBe(sends / 2);
  });

  test("an exception in a step's bookkeeping ends the VU (its done rejects) instead of escaping into the socket's event", async () => {
    const p = plan(`      - { name: a, url: "http://127.0.0.1:9/a" }\n`);
    const program = compileScenario(p.scenarios[0]!);
    const recorder = new Recorder([{ name: "s", open: false, steps: [{ name: "a", checkNames: [] }], scriptTags: "" }]);
    const scenario = recorder.scenario("s");
    scenario.steps[0]!.record = () => {
      throw new Error("recorder broke");
    };
    let closed = 0;
    const engine: Engine = {
      name: "later",
      createClient: () => ({
        send: () => Promise.reject(new Error("unused")),
        sendThen: (_r, _s, callback) => setTimeout(() => callback({ ...emptyResult(), status: 200 }), 0),
        close: () => void closed++,
      }),
    };
    const owner: LoopOwner = { retiring: false, pauseThen: (_ms, then) => then() };
    const loop = new StepLoop(owner, program, scenario, engine, new AbortController().signal, 1, null, 0);
    await expect(loop.done).rejects.toThrow("recorder broke");
    expect(closed).toBe(1);
  });
});
