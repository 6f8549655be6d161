// When a step's new VUs start: together up to AT_ONCE_VUS, else spread evenly over the second.
import { describe, expect, test } from "bun:test";
import { AT_ONCE_VUS, startDelayMs } from "../../src/engine/runner/stagger.ts";

const delays = (added: number, spreadMs: number) => Array.from({ length: added }, (_, i) => startDelayMs(i, added, spreadMs));

describe("startDelayMs", () => {
  test.each([
    // added, spreadMs, every VU's start delay
    [1, 1000, [0]],
    [3, 1000, [0, 0, 0]],
    [5, 0, [0, 0, 0, 0, 0]],
  ] as [number, number, number[]][])("%i VUs over %i ms", (added, spreadMs, expected) => {
    expect(delays(added, spreadMs)).toEqual(expected);
  });

  test("a step of up to AT_ONCE_VUS starts at once", () => {
    for (const added of [2, 64, AT_ONCE_VUS]) expect(new Set(delays(added, 1000))).toEqual(new Set([0]));
  });

  test("a bigger step is spread evenly over the spread, the first at once and none at its end", () => {
    for (const [added, spreadMs] of [[AT_ONCE_VUS + 1, 1000], [1000, 1000], [50_000, 1000], [10_000, 2000]]) {
      const d = delays(added!, spreadMs!);
      expect(d[0]).toBe(0);
      expect(d.at(-1)!).toBeLessThan(spreadMs!);
      const gap = spreadMs! / added!;
      for (let i = 1; i < d.length; i++) expect(d[i]! - d[i - 1]!).toBeCloseTo(gap, 9);
    }
    expect(delays(1000, 1000).slice(0, 3)).toEqual([0, 1, 2]);
  });

  test("no spread: every VU at once, however many", () => {
    expect(new Set(delays(10_000, 0))).toEqual(new Set([0]));
  });
});
