// Exact shares across agents: tables of the edges, and properties over many random splits and schedules.
import { describe, expect, test } from "bun:test";
import type { Profile } from "../../src/plan/types.ts";
import { scenarioSchedule, splitEven, splitSchedule, splitWeighted } from "../../src/schedule/index.ts";
import { randomInt, seededRandom } from "./random.ts";

const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

describe("splitEven", () => {
  test.each([
    [10, 3, 0, [4, 3, 3]],
    [10, 3, 1, [3, 4, 3]],
    [10, 3, 2, [3, 3, 4]],
    [11, 3, 2, [4, 3, 4]],
    [10, 3, 4, [3, 4, 3]], // offset wraps
    [10, 3, -1, [3, 3, 4]], // negative offset wraps too
    [9, 3, 0, [3, 3, 3]],
    [0, 3, 0, [0, 0, 0]],
    [2, 5, 0, [1, 1, 0, 0, 0]],
    [2, 5, 4, [1, 0, 0, 0, 1]],
    [7, 1, 0, [7]],
  ])("splitEven(%d, %d, %d) = %j", (total, n, offset, expected) => {
    expect(splitEven(total, n, offset)).toEqual(expected);
  });

  test.each([
    [5, 0],
    [5, -1],
    [5, 1.5],
    [-1, 3],
    [1.5, 3],
    [Number.NaN, 3],
  ])("splitEven(%d, %d) is refused", (total, n) => {
    expect(() => splitEven(total, n)).toThrow(RangeError);
  });

  test("property: exact sum, shares within one, extras go to offset, offset+1, …", () => {
    const random = seededRandom(0x1d05);
    for (let i = 0; i < 1000; i++) {
      const total = randomInt(random, 0, 1000);
      const n = randomInt(random, 1, 20);
      const offset = randomInt(random, -25, 25);
      const shares = splitEven(total, n, offset);
      const base = Math.floor(total / n);
      const extras = total % n;
      expect(shares.length).toBe(n);
      expect(sum(shares)).toBe(total);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      for (let k = 0; k < n; k++) {
        const part = (((offset + k) % n) + n) % n;
        expect(shares[part]).toBe(k < extras ? base + 1 : base);
      }
    }
  });
});

describe("splitSchedule", () => {
  test("result[part][second]", () => {
    expect(splitSchedule([0, 1, 2, 3, 4], 2)).toEqual([
      [0, 1, 1, 2, 2],
      [0, 0, 1, 1, 2],
    ]);
    expect(splitSchedule([1, 2], 2, 1)).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  test("an empty schedule splits into empty parts", () => {
    expect(splitSchedule([], 3)).toEqual([[], [], []]);
  });

  test("going up by one then down by one touches the same single part", () => {
    const parts = splitSchedule([10, 11, 10], 4, 1);
    const changed = parts.filter((p) => p[0] !== p[1]);
    expect(changed.length).toBe(1);
    expect(changed[0]![2]).toBe(changed[0]![0]);
  });

  // Random walks with jumps, plus schedules of real profiles.
  function randomSchedule(random: () => number): number[] {
    if (random() < 0.3) return scenarioSchedule({ duration: randomInt(random, 1, 180) * 1000, profile: randomProfile(random) });
    const vus = [randomInt(random, 0, 200)];
    const length = randomInt(random, 1, 120);
    for (let t = 1; t < length; t++) {
      const r = random();
      const delta = r < 0.5 ? randomInt(random, -2, 2) : r < 0.9 ? 0 : randomInt(random, -60, 60);
      vus.push(Math.max(0, vus[t - 1]! + delta));
    }
    return vus;
  }

  function randomProfile(random: () => number): Profile {
    const vus = () => randomInt(random, 0, 300);
    const ms = () => randomInt(random, 0, 60) * 1000;
    switch (randomInt(random, 0, 4)) {
      case 0:
        return { type: "constant", vus: vus() };
      case 1:
        return { type: "ramp_up", start_vus: vus(), end_vus: vus() };
      case 2:
        return { type: "ramp_down", start_vus: vus(), end_vus: vus() };
      case 3:
        return { type: "step", start_vus: vus(), step_vus: randomInt(random, 0, 30), step_duration: ms() };
      default:
        return { type: "spike", base_vus: vus(), spike_vus: vus(), spike_at: ms(), spike_duration: ms() };
    }
  }

  test("property: every second adds up exactly, shares within one, and a change of Δ moves at most |Δ| parts", () => {
    const random = seededRandom(0xa9e47);
    for (let i = 0; i < 1000; i++) {
      const vus = randomSchedule(random);
      const n = randomInt(random, 1, 12);
      const offset = randomInt(random, 0, 11);
      const parts = splitSchedule(vus, n, offset);
      expect(parts.length).toBe(n);
      for (let t = 0; t < vus.length; t++) {
        const shares = parts.map((p) => p[t]!);
        expect(sum(shares)).toBe(vus[t]!);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        if (t === 0) continue;
        const delta = vus[t]! - vus[t - 1]!;
        const changed = parts.filter((p) => p[t] !== p[t - 1]);
        expect(changed.length).toBeLessThanOrEqual(Math.min(Math.abs(delta), n));
        // Nobody moves against the schedule: on the way up no share shrinks, on the way down none grows.
        for (const p of changed) expect(Math.sign(p[t]! - p[t - 1]!)).toBe(Math.sign(delta));
      }
    }
  });
});

describe("splitWeighted", () => {
  test.each([
    [10, [1, 1, 1], [4, 3, 3]],
    [10, [0, 1, 1], [0, 5, 5]],
    [7, [2, 1], [5, 2]],
    [100, [8, 4, 4], [50, 25, 25]],
    [5, [0.5, 0.25, 0.25], [3, 1, 1]],
    [3, [1, 0, 0], [3, 0, 0]],
    [0, [3, 2], [0, 0]],
    [0, [0, 0], [0, 0]],
    [2, [1, 1, 1], [1, 1, 0]], // equal remainders: earlier parts first
  ])("splitWeighted(%d, %j) = %j", (total, weights, expected) => {
    expect(splitWeighted(total, weights)).toEqual(expected);
  });

  test.each([
    [5, [0, 0]],
    [5, []],
    [5, [1, -1]],
    [5, [1, Number.NaN]],
    [5, [1, Number.POSITIVE_INFINITY]],
    [-1, [1]],
  ])("splitWeighted(%d, %j) is refused", (total, weights) => {
    expect(() => splitWeighted(total, weights)).toThrow(RangeError);
  });

  test("property: exact sum, zero weight gets zero, each share is its quota rounded down or up", () => {
    const random = seededRandom(0x5eed);
    for (let i = 0; i < 1000; i++) {
      const total = randomInt(random, 0, 5000);
      const weights = Array.from({ length: randomInt(random, 1, 16) }, () =>
        random() < 0.2 ? 0 : random() < 0.5 ? randomInt(random, 1, 64) : random() * 3,
      );
      if (sum(weights) === 0) weights[0] = 1;
      const shares = splitWeighted(total, weights);
      const weightSum = sum(weights);
      expect(sum(shares)).toBe(total);
      shares.forEach((share, k) => {
        expect(Number.isInteger(share)).toBe(true);
        if (weights[k] === 0) expect(share).toBe(0);
        const quota = (total * weights[k]!) / weightSum;
        expect(share).toBeGreaterThanOrEqual(Math.floor(quota + 1e-9) - 0);
        expect(share).toBeLessThanOrEqual(Math.ceil(quota - 1e-9));
      });
    }
  });
});
