// Fleet simulation: thousands of seeded fault schedules through the real run and session machines; a failure names its seed.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRunStore } from "../../src/store/index.ts";
import { drawCase } from "./scenario.ts";
import { simulate, Violation } from "./world.ts";

/** Seeds from here on draw a 1,000-agent fleet. */
const BIG = 1_000_000;
const SEEDS = 2000;
const BIG_SEEDS = 6;
const only = process.env.INDUS_SIM_SEED;

const dir = mkdtempSync(join(tmpdir(), "indus-sim-"));
const store = openRunStore(dir);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(seed: number) {
  const c = drawCase(seed, seed >= BIG ? "big" : undefined);
  try {
    return simulate(c, c.controllerCrashAt !== undefined ? store : undefined);
  } catch (e) {
    const what = e instanceof Violation ? e.message : (e as Error).stack;
    throw new Error(`fleet simulation failed for seed ${seed}: ${what}\n  replay: INDUS_SIM_SEED=${seed} bun test test/sim/fleet.test.ts`);
  }
}

function runAll(seeds: number[]) {
  const tally = { runs: 0, refused: 0, crashed: 0, lost: 0, aborted: 0, events: 0 };
  for (const seed of seeds) {
    const out = run(seed);
    tally.runs++;
    tally.events += out.events;
    if (out.refused) tally.refused++;
    if (out.controllerCrashed) tally.crashed++;
    if (out.result?.state === "aborted" || out.result?.state === "failed") tally.aborted++;
    tally.lost += out.result?.agents.filter((a) => a.state === "lost").length ?? 0;
  }
  return tally;
}

describe("fleet simulator", () => {
  if (only !== undefined) {
    test(`seed ${only}`, () => {
      const out = run(Number(only));
      console.log(JSON.stringify({ seed: Number(only), state: out.result?.state, reason: out.result?.reason, refused: out.refused, crashed: out.controllerCrashed, events: out.events, simulated_ms: out.simulatedMs }));
    });
    return;
  }

  const CHUNK = 250;
  for (let from = 1; from <= SEEDS; from += CHUNK) {
    test(`seeds ${from}–${from + CHUNK - 1}, fleets of 1–100 agents: exact shares, no orphan load, every snapshot once, lost agents named, crashed runs stored aborted`, () => {
      const tally = runAll(Array.from({ length: CHUNK }, (_, i) => from + i));
      console.log(`fleet sim ${from}–${from + CHUNK - 1}: ${JSON.stringify(tally)}`);
      expect(tally.runs).toBe(CHUNK);
      // the schedules do reach the faults they are meant to exercise
      expect(tally.crashed).toBeGreaterThan(2);
      expect(tally.lost).toBeGreaterThan(5);
    });
  }

  test(`${BIG_SEEDS} seeded fleets of 1,000 agents`, () => {
    const tally = runAll(Array.from({ length: BIG_SEEDS }, (_, i) => BIG + i));
    console.log(`fleet sim (1,000 agents): ${JSON.stringify(tally)}`);
    expect(tally.runs).toBe(BIG_SEEDS);
  });

  test("the same seed gives the same run", () => {
    const a = simulate(drawCase(77));
    const b = simulate(drawCase(77));
    expect(b.events).toBe(a.events);
    expect(b.result?.summary.global.requests).toBe(a.result?.summary.global.requests);
  });
});
