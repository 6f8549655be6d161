// Every arrival of an arrival-rate part is run or counted dropped, on every path by which a part ends or changes.
import { describe, expect, test } from "bun:test";
import type { Clock } from "../../src/core/clock.ts";
import { compileScenario } from "../../src/engine/steps/program.ts";
import { splitAssignment, type RateAssignment } from "../../src/engine/runner/rate-assignment.ts";
import { RateRunner } from "../../src/engine/runner/rate-runner.ts";
import { emptyResult, type Engine } from "../../src/engine/types.ts";
import { ScenarioRecorder } from "../../src/metrics/recorder.ts";
import { parsePlan } from "../../src/plan/index.ts";
import type { RateProfile } from "../../src/plan/types.ts";
import { arrivalsBefore, scenarioRates } from "../../src/schedule/index.ts";

/** Real time plus a skew the test moves: jumps stand for a part whose clock runs late or a busy event loop. */
function skewedClock(): Clock & { skew: number } {
  const c = { skew: 0, now: () => performance.now() + c.skew, wallNow: () => Date.now(), sleep: () => Promise.resolve() };
  return c;
}

/** Answers at once, or (hold) only when the run is aborted; counts requests cut by the abort. */
function fakeEngine(hold: boolean): Engine & { cut: number } {
  const e = {
    name: "fake",
    cut: 0,
    createClient: () => ({
      close() {},
      send(_req: unknown, signal?: AbortSignal) {
        if (!hold) return Promise.resolve({ ...emptyResult(), status: 200 });
        return new Promise<ReturnType<typeof emptyResult>>((resolve) => {
          signal?.addEventListener("abort", () => {
            e.cut++;
            resolve(emptyResult());
          });
        });
      },
    }),
  };
  return e;
}

interface Part {
  runner: RateRunner;
  recorder: ScenarioRecorder;
  clock: Clock & { skew: number };
}

function setup(profile: string, duration: string, hold = false, abort = new AbortController()) {
  const plan = parsePlan(`name: r\nscenarios:\n  s:\n    duration: ${duration}\n    profile: ${profile}\n    steps:\n      - { name: h, url: "http://127.0.0.1:9/" }\n`, "r.yaml");
  const sc = plan.scenarios[0]!;
  const engine = fakeEngine(hold);
  const program = compileScenario(sc);
  const part = (): Part => {
    const recorder = new ScenarioRecorder("s", [{ name: "h" }], true);
    const clock = skewedClock();
    return { runner: new RateRunner(program, sc.profile as RateProfile, sc.duration, recorder, engine, clock, abort.signal), recorder, clock };
  };
  return { part, engine, abort, schedule: scenarioRates(sc.profile as RateProfile, sc.duration) };
}

const RATE = "{ type: constant_rate, rate: 100, pre_allocated_vus: 5, max_vus: 1000 }";
const whole = (from = 0, maxVus = 1000): RateAssignment => ({ offset: 0, stride: 1, from, preAllocatedVus: Math.min(5, maxVus), maxVus });
const ended = (p: Part) => p.recorder.iterations + p.recorder.droppedIterations;

describe("rate runner: iterations + dropped == scheduled arrivals", () => {
  test.each([
    ["natural end: the part's clock passed the schedule's end before the stop", 3000, 0],
    ["graceful stop at the controller's end, the part's clock 600 ms late", 1400, 1],
    ["graceful stop at the controller's end, the part's clock 1.9 s late", 100, 1],
  ] as const)("%s", async (_name, skewAtStop, minDropped) => {
    const { part } = setup(RATE, "2s");
    const p = part();
    p.runner.assign(whole());
    p.clock.skew = skewAtStop;
    await p.runner.stop(true);
    expect(ended(p)).toBe(200);
    expect(p.recorder.droppedIterations).toBeGreaterThanOrEqual(minDropped);
  });

  /** A part of a 60 s schedule whose clock reads `atMs` when the stop comes: `scheduleEnd` says whether it is the end. */
  async function stopAt(atMs: number, scheduleEnd: boolean) {
    const { part, schedule } = setup(RATE, "60s");
    const p = part();
    p.runner.assign(whole());
    p.clock.skew = atMs;
    await p.runner.stop(scheduleEnd);
    return { p, schedule };
  }

  test.each([
    ["well before the end", 10_000],
    ["3 s before the end, however close", 57_000],
  ] as const)("a user's graceful stop %s: only the arrivals due by the stop are owed", async (_name, atMs) => {
    const { p, schedule } = await stopAt(atMs, false);
    // due by the stop plus the 250 ms grace and the real time the test took
    expect(ended(p)).toBeGreaterThanOrEqual(arrivalsBefore(schedule, atMs));
    expect(ended(p)).toBeLessThan(arrivalsBefore(schedule, atMs + 2000));
  });

  test("the schedule's end reaching a part whose clock started 8 s late: the rest of its share is counted dropped", async () => {
    // the controller says it is the end; the part's own clock (52 s of 60) cannot tell, however late it is
    const { p, schedule } = await stopAt(52_000, true);
    expect(ended(p)).toBe(schedule.total);
    expect(p.recorder.droppedIterations).toBeGreaterThanOrEqual(schedule.total - arrivalsBefore(schedule, 54_000));
  });

  test.each([
    ["abort with every VU busy (max_lateness 0)", "{ type: constant_rate, rate: 100, pre_allocated_vus: 2, max_vus: 4 }"],
    ["abort with arrivals waiting for a VU (max_lateness 5s)", "{ type: constant_rate, rate: 100, pre_allocated_vus: 2, max_vus: 4, max_lateness: 5s }"],
  ] as const)("%s: what was due and not started is dropped, cut iterations were started", async (_name, profile) => {
    const { part, engine, abort, schedule } = setup(profile, "60s", true);
    const p = part();
    p.runner.assign(whole(0, 4));
    p.clock.skew = 500;
    p.runner.assign(whole(0, 4)); // the pacer catches up: 4 start, the rest wait or are dropped
    p.clock.skew = 1000; // then the event loop is busy: arrivals due by 1 s are not paced yet
    const since = performance.now();
    abort.abort();
    await p.runner.stop(false);
    // arrivals due by the abort: 0 … 100 at 1 s, and any that fell due in the real time the test took
    const dueByAbort = arrivalsBefore(schedule, 1000 + performance.now() - since) + 1;
    expect(engine.cut).toBe(4);
    expect(ended(p) + engine.cut).toBeGreaterThanOrEqual(arrivalsBefore(schedule, 1000) + 1);
    expect(ended(p) + engine.cut).toBeLessThanOrEqual(dueByAbort);
  });

  test.each([
    ["the controller's clock ahead: old-share arrivals before `from` are still run", 1000, 100, 50 + 100],
    ["the part paced past `from`: new-share arrivals it skipped are handed to it", 500, 20, 200 - 10],
  ] as const)("re-assignment mid-run, %s", async (_name, skewBefore, from, expected) => {
    const { part } = setup(RATE, "2s");
    const p = part();
    const old: RateAssignment = { offset: 0, stride: 2, from: 0, preAllocatedVus: 5, maxVus: 1000 };
    p.runner.assign(old);
    if (from < 50) {
      p.clock.skew = skewBefore;
      p.runner.assign(old); // paces through 500 ms: arrivals 0, 2, …, 50
    }
    p.runner.assign(whole(from));
    p.clock.skew = 3000;
    await p.runner.stop(true);
    expect(ended(p)).toBe(expected);
  });

  test("a worker split: three parts, one of them 600 ms late, stopped at the end", async () => {
    const { part } = setup(RATE, "2s");
    const parts = splitAssignment(whole(), 3).map((a, i) => {
      const p = part();
      p.runner.assign(a);
      p.clock.skew = i === 1 ? 1400 : 2000;
      return p;
    });
    await Promise.all(parts.map((p) => p.runner.stop(true)));
    expect(parts.reduce((sum, p) => sum + ended(p), 0)).toBe(200);
    expect(parts[1]!.recorder.droppedIterations).toBeGreaterThan(0);
  });
});
