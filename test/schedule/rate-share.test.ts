// Rate shares: every arrival goes to exactly one part, across agents and their workers, and the parts interleave.
import { describe, expect, test } from "bun:test";
import type { RateProfile } from "../../src/plan/types.ts";
import { arrivalAt, firstArrival, rateShare, scenarioRates, shareCount, subShare, type RateShare } from "../../src/schedule/index.ts";
import { randomInt, seededRandom } from "./random.ts";

/** The arrival indexes a share takes among [0, total). */
function indexesOf(share: RateShare, total: number): number[] {
  const out: number[] = [];
  for (let k = firstArrival(share, 0); k < total; k += share.stride) out.push(k);
  return out;
}

describe("rate shares", () => {
  test.each([
    // share, k, first arrival at or after k
    [{ offset: 0, stride: 1, from: 0 }, 5, 5],
    [{ offset: 1, stride: 3, from: 0 }, 0, 1],
    [{ offset: 1, stride: 3, from: 0 }, 2, 4],
    [{ offset: 2, stride: 4, from: 9 }, 0, 10],
    [{ offset: 0, stride: 2, from: 0 }, 7, 8],
  ])("firstArrival(%j, %d) = %d", (share, k, expected) => expect(firstArrival(share, k)).toBe(expected));

  test("agent 1 of 2, split over 2 workers: (1, 2) → (1, 4) and (3, 4)", () => {
    const agent = rateShare(1, 2);
    expect([subShare(agent, 0, 2), subShare(agent, 1, 2)]).toEqual([
      { offset: 1, stride: 4, from: 0 },
      { offset: 3, stride: 4, from: 0 },
    ]);
  });

  test("refuses parts that do not exist", () => {
    expect(() => rateShare(0, 0)).toThrow(RangeError);
    expect(() => rateShare(3, 3)).toThrow(RangeError);
  });

  test("property: agents × workers take every arrival exactly once, and their due times are the single-process sequence", () => {
    const random = seededRandom(0x5ba2e);
    for (let round = 0; round < 200; round++) {
      const profile: RateProfile = {
        type: "ramping_rate",
        start_rate: randomInt(random, 0, 500),
        stages: [{ target: randomInt(random, 0, 500), duration: randomInt(random, 0, 3) * 1000 }],
        time_unit: 1000,
        pre_allocated_vus: 1,
        max_vus: 1,
        max_lateness: 0,
      };
      const schedule = scenarioRates(profile, randomInt(random, 1, 4) * 1000);
      const agents = randomInt(random, 1, 7);
      const from = randomInt(random, 0, 20);
      const seen = new Map<number, number>();
      const times: number[] = [];
      let counted = 0;
      for (let a = 0; a < agents; a++) {
        const workers = randomInt(random, 1, 5);
        const agentShare = rateShare(a, agents, from);
        let agentCount = 0;
        for (let w = 0; w < workers; w++) {
          const share = subShare(agentShare, w, workers);
          const mine = indexesOf(share, schedule.total);
          expect(shareCount(share, schedule.total)).toBe(mine.length);
          agentCount += mine.length;
          for (const k of mine) {
            seen.set(k, (seen.get(k) ?? 0) + 1);
            times.push(arrivalAt(schedule, k));
          }
        }
        expect(shareCount(agentShare, schedule.total)).toBe(agentCount);
        counted += agentCount;
        // an agent's share is within one arrival of an even split
        const even = Math.max(0, schedule.total - from) / agents;
        expect(Math.abs(agentCount - even)).toBeLessThanOrEqual(1);
      }
      const expected = Array.from({ length: Math.max(0, schedule.total - from) }, (_, i) => from + i);
      expect(counted).toBe(expected.length);
      expect([...seen.keys()].sort((x, y) => x - y)).toEqual(expected);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(times.sort((x, y) => x - y)).toEqual(expected.map((k) => arrivalAt(schedule, k)));
    }
  });

  test("at a constant rate each of n parts runs at rate/n, phase-shifted by one period per part", () => {
    const schedule = scenarioRates({ type: "constant_rate", rate: 1000, time_unit: 1000, pre_allocated_vus: 1, max_vus: 1, max_lateness: 0 }, 1000);
    for (let part = 0; part < 4; part++) {
      const due = indexesOf(rateShare(part, 4), schedule.total).map((k) => arrivalAt(schedule, k));
      expect(due.length).toBe(250);
      expect(due[0]).toBe(part);
      expect(due[1]! - due[0]!).toBe(4);
    }
  });
});
