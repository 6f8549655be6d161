// mapConcurrent: results in order, never more than `limit` calls in flight, a rejection stops new calls.
import { describe, expect, test } from "bun:test";
import { mapConcurrent } from "../../src/core/concurrent.ts";

/** fn whose calls each wait for a turn of the microtask queue `delays[i]` times, counting how many run at once. */
function tracked(delays: number[]) {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const fn = async (x: number, i: number): Promise<number> => {
    started.push(i);
    running++;
    most = Math.max(most, running);
    for (let k = 0; k < delays[i]!; k++) await Promise.resolve();
    running--;
    return x * 10;
  };
  return { fn, most: () => most, started };
}

describe("mapConcurrent", () => {
  const cases: { name: string; items: number[]; delays: number[]; limit: number; most: number }[] = [
    { name: "fewer items than the limit: all at once", items: [1, 2, 3], delays: [3, 1, 2], limit: 8, most: 3 },
    { name: "more items than the limit: never more than the limit", items: [1, 2, 3, 4, 5, 6, 7], delays: [5, 1, 4, 2, 6, 1, 3], limit: 3, most: 3 },
    { name: "a limit of one: one after the other", items: [1, 2, 3, 4], delays: [2, 2, 2, 2], limit: 1, most: 1 },
    { name: "no items", items: [], delays: [], limit: 4, most: 0 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const t = tracked(c.delays);
      expect(await mapConcurrent(c.items, c.limit, t.fn)).toEqual(c.items.map((x) => x * 10));
      expect(t.most()).toBe(c.most);
      expect(t.started.length).toBe(c.items.length);
    });
  }

  test("a rejection rejects the whole and starts nothing more", async () => {
    const started: number[] = [];
    const run = mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (_, i) => {
      started.push(i);
      await Promise.resolve();
      if (i === 1) throw new Error("agent 1 broke");
      return i;
    });
    await expect(run).rejects.toThrow("agent 1 broke");
    expect(started.length).toBeLessThan(6);
  });

  test("a limit that is not a positive integer is refused", async () => {
    await expect(mapConcurrent([1], 0, async (x) => x)).rejects.toThrow("limit must be an integer ≥ 1");
  });
});
