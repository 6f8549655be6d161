// Arrival-rate math: the rate and exact arrival counts of each profile as tables, and properties over random ramps.
import { describe, expect, test } from "bun:test";
import type { RateProfile } from "../../src/plan/types.ts";
import { arrivalAt, arrivalsBefore, arrivalsPerSecond, integral, rateAt, scenarioRates } from "../../src/schedule/index.ts";
import { randomInt, seededRandom } from "./random.ts";

const rateFields = { time_unit: 1000, pre_allocated_vus: 1, max_vus: 1, max_lateness: 0 };
const constant = (rate: number, time_unit = 1000): RateProfile => ({ type: "constant_rate", rate, ...rateFields, time_unit });
const ramping = (start_rate: number, stages: [number, number][], time_unit = 1000): RateProfile => ({
  type: "ramping_rate",
  start_rate,
  stages: stages.map(([target, duration]) => ({ target, duration })),
  ...rateFields,
  time_unit,
});

describe("constant_rate", () => {
  test("2,000/s for 10 s is exactly 20,000 arrivals, every 0.5 ms", () => {
    const s = scenarioRates(constant(2000), 10_000);
    expect(s.total).toBe(20_000);
    expect(arrivalsBefore(s, 1000)).toBe(2000);
    expect(arrivalsBefore(s, 10_000)).toBe(20_000);
    expect([0, 1, 2, 19_999].map((k) => arrivalAt(s, k))).toEqual([0, 0.5, 1, 9999.5]);
    expect(arrivalAt(s, 20_000)).toBe(Infinity);
    expect(arrivalsPerSecond(s)).toEqual(new Array(10).fill(2000));
  });

  test.each([
    // rate, time_unit ms, duration ms, arrivals, first due times
    [3, 1000, 10_000, 30, [0, 1000 / 3, 2000 / 3]],
    [30, 60_000, 10_000, 5, [0, 2000, 4000]],
    [0.5, 1000, 9_000, 5, [0, 2000, 4000]],
    [1, 1000, 1500, 2, [0, 1000, Infinity]],
    [10, 100, 1000, 100, [0, 10, 20]],
  ])("rate %d per %d ms over %d ms: %d arrivals", (rate, unit, duration, total, firsts) => {
    const s = scenarioRates(constant(rate, unit), duration);
    expect(s.total).toBe(total);
    firsts.forEach((t, k) => expect(arrivalAt(s, k)).toBeCloseTo(t, 9));
  });

  test("the rate is flat inside the scenario and 0 outside it", () => {
    const s = scenarioRates(constant(50), 5000);
    expect([0, 2500, 4999, 5000, -1].map((t) => rateAt(s, t))).toEqual([50, 50, 50, 0, 0]);
  });
});

describe("ramping_rate", () => {
  test("0 → 100/s over 10 s: the integral is a parabola, then the last target holds", () => {
    const s = scenarioRates(ramping(0, [[100, 10_000]]), 15_000);
    expect(integral(s, 5000)).toBeCloseTo(125, 9);
    expect(arrivalsBefore(s, 5000)).toBe(125);
    expect(arrivalsBefore(s, 10_000)).toBe(500);
    expect(s.total).toBe(1000);
    expect(rateAt(s, 5000)).toBe(50);
    expect(rateAt(s, 12_000)).toBe(100);
    // arrival k of a ramp from 0 is due at sqrt(2k/c) with c = 0.01 per ms²/1000: k = 125 at exactly 5 s
    expect(arrivalAt(s, 125)).toBeCloseTo(5000, 6);
  });

  test.each([
    // start, stages [target, ms], duration ms, arrivals per second
    [10, [[10, 3000]], 3000, [10, 10, 10]],
    [0, [[20, 2000]], 2000, [5, 15]],
    [20, [[0, 2000]], 3000, [15, 5, 0]],
    [0, [[10, 0], [10, 2000]], 2000, [10, 10]], // a stage of 0 s jumps at once
    [5, [[5, 1000], [15, 0]], 3000, [5, 15, 15]],
    [0, [[0, 2000], [10, 0]], 3000, [0, 0, 10]],
  ] as [number, [number, number][], number, number[]][])("start %d, stages %j over %d ms: %j per second", (start, stages, duration, perSecond) => {
    expect(arrivalsPerSecond(scenarioRates(ramping(start, stages), duration))).toEqual(perSecond);
  });

  test("stages cut off by the scenario's end stop at the rate they reached", () => {
    const s = scenarioRates(ramping(0, [[100, 10_000]]), 5000);
    expect(s.total).toBe(125);
    expect(rateAt(s, 4999.999)).toBeCloseTo(50, 3);
  });

  test("time_unit scales every rate: 600 per minute is 10/s", () => {
    expect(arrivalsPerSecond(scenarioRates(ramping(600, [[600, 3000]], 60_000), 3000))).toEqual([10, 10, 10]);
  });
});

describe("every rate profile: arrivals and due times agree", () => {
  const random = seededRandom(0xa771);
  const profiles: [string, RateProfile, number][] = [];
  for (let i = 0; i < 60; i++) {
    const duration = randomInt(random, 1, 40) * 250;
    if (i % 3 === 0) {
      profiles.push([`constant #${i}`, constant(randomInt(random, 1, 5000) / randomInt(random, 1, 7)), duration]);
    } else {
      const stages: [number, number][] = Array.from({ length: randomInt(random, 1, 4) }, () => [randomInt(random, 0, 3000), randomInt(random, 0, 4) * 500]);
      profiles.push([`ramping #${i}`, ramping(randomInt(random, 0, 3000), stages), duration]);
    }
  }

  test.each(profiles)("%s", (_, profile, duration) => {
    const s = scenarioRates(profile, duration);
    expect(arrivalsPerSecond(s).reduce((a, n) => a + n, 0)).toBe(s.total);
    let previous = -Infinity;
    for (let k = 0; k < s.total; k += Math.max(1, Math.floor(s.total / 500))) {
      const t = arrivalAt(s, k);
      expect(t).toBeGreaterThanOrEqual(previous);
      expect(t).toBeLessThan(duration);
      // exactly k arrivals are due before arrival k, and k+1 between it and the next
      expect(arrivalsBefore(s, t)).toBe(k);
      const next = arrivalAt(s, k + 1);
      if (next > t) expect(arrivalsBefore(s, Math.min((t + next) / 2, duration))).toBe(k + 1);
      previous = t;
    }
    expect(arrivalAt(s, s.total)).toBe(Infinity);
  });
});
