// Shares add up to the schedule every second, differ by at most one, and change as little as possible.
import { describe, expect, test } from "bun:test";
import { splitEven, splitSchedule, splitWeighted } from "../../src/schedule/index.ts";

function rng(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

describe("shares", () => {
  test.each([
    [10, 2, 0, [5, 5]],
    [11, 2, 0, [6, 5]],
    [11, 2, 1, [5, 6]],
    [7, 3, 2, [2, 2, 3]],
    [0, 3, 0, [0, 0, 0]],
    [2, 4, 3, [1, 0, 0, 1]],
  ])("splitEven(%d, %d, %d) = %p", (total, n, offset, expected) => {
    expect(splitEven(total, n, offset)).toEqual(expected);
  });

  test("property: random schedules split exactly, evenly and stably", () => {
    const r = rng(42);
    for (let trial = 0; trial < 1000; trial++) {
      const n = 1 + Math.floor(r() * 12);
      const offset = Math.floor(r() * 20);
      const len = 1 + Math.floor(r() * 30);
      const vus = Array.from({ length: len }, () => Math.floor(r() * 500));
      const parts = splitSchedule(vus, n, offset);
      for (let t = 0; t < len; t++) {
        const shares = parts.map((p) => p[t]!);
        expect(sum(shares)).toBe(vus[t]!);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        if (t > 0) {
          const changed = parts.filter((p) => p[t] !== p[t - 1]).length;
          expect(changed).toBeLessThanOrEqual(Math.min(n, Math.abs(vus[t]! - vus[t - 1]!)));
        }
      }
    }
  });

  test("a change of one VU moves exactly one share", () => {
    for (let total = 0; total < 50; total++) {
      const a = splitEven(total, 4, 1);
      const b = splitEven(total + 1, 4, 1);
      expect(a.filter((x, i) => x !== b[i]).length).toBe(1);
    }
  });

  test("splitWeighted sums exactly and gives zero weight nothing", () => {
    const r = rng(7);
    for (let trial = 0; trial < 500; trial++) {
      const weights = Array.from({ length: 1 + Math.floor(r() * 8) }, () => (r() < 0.2 ? 0 : r() * 10));
      const total = Math.floor(r() * 1000);
      const out = splitWeighted(total, weights);
      if (weights.some((w) => w > 0)) expect(sum(out)).toBe(total);
      weights.forEach((w, i) => w === 0 && expect(out[i]).toBe(0));
    }
    expect(splitWeighted(10, [1, 1, 2])).toEqual([3, 2, 5]);
  });
});
