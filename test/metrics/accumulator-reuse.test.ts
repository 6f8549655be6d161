// An accumulator cleared and refilled (a run's open second, a worker pool's pending deltas) must read exactly as a
// fresh one filled with the same snapshots: snapshot, stats of every scope, tag sets, checks, open-model histograms.
import { describe, expect, test } from "bun:test";
import { SnapshotAccumulator, type Scope } from "../../src/metrics/accumulator.ts";
import { arbitraryRun } from "../run/arbitrary-run.ts";

const SEEDS = Number(process.env.INDUS_MODEL_SEEDS ?? 60);

function scopesOf(acc: SnapshotAccumulator): Scope[] {
  const scopes: Scope[] = [{}];
  for (const scenario of acc.scenarioNames()) {
    scopes.push({ scenario });
    for (const step of acc.stepNames(scenario)) scopes.push({ scenario, step }, { step });
    for (const tagSet of acc.tagSetKeys(scenario)) scopes.push({ scenario, tagSet }, { tagSet });
  }
  return scopes;
}

/** Everything a reader can get out of an accumulator. */
function reading(acc: SnapshotAccumulator) {
  return {
    snapshot: acc.toSnapshot(),
    generator: acc.generator(),
    stats: scopesOf(acc).map((scope) => ({ scope, stats: acc.stats(scope, 3), scoped: acc.scope(scope)?.latency.totalCount })),
  };
}

describe("a cleared accumulator", () => {
  test(`reads as a fresh one, second after second (${SEEDS} arbitrary runs)`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { result } = arbitraryRun(seed);
      const reused = new SnapshotAccumulator();
      for (const entry of result.timeline) {
        const fresh = new SnapshotAccumulator();
        fresh.add(entry.snapshot);
        reused.add(entry.snapshot);
        // twice into one: the merge of equal seconds, through the reused histograms too
        if (entry.t % 2 === 0) {
          fresh.add(entry.snapshot);
          reused.add(entry.snapshot);
        }
        const want = reading(fresh);
        expect({ seed, t: entry.t, ...reading(reused) }).toEqual({ seed, t: entry.t, ...want });
        reused.clear();
        expect(reused.isEmpty()).toBe(true);
        expect(reused.toSnapshot()).toEqual({ scenarios: {} });
      }
    }
  });

  test("a scope of one step is read in place; stats of several steps do not disturb it", () => {
    const { result } = arbitraryRun(3);
    const acc = new SnapshotAccumulator();
    for (const entry of result.timeline) acc.add(entry.snapshot);
    const [scenario] = acc.scenarioNames();
    const [step] = acc.stepNames(scenario!);
    const one = acc.scope({ scenario, step })!.latency;
    const before = one.totalCount;
    acc.stats({}, 1);
    acc.stats({ scenario }, 1);
    expect(acc.scope({ scenario, step })!.latency).toBe(one);
    expect(one.totalCount).toBe(before);
  });
});
