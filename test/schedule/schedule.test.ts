// Scenario and plan schedules: seconds, lengths, order and peaks.
import { describe, expect, test } from "bun:test";
import type { Profile } from "../../src/plan/types.ts";
import { durationSeconds, peakVus, planSchedule, scenarioSchedule, totalVus } from "../../src/schedule/index.ts";

const scenario = (name: string, duration: number, profile: Profile) => ({ name, duration, profile });

describe("durationSeconds", () => {
  test.each([
    [0, 0],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [1500, 2],
    [90_000, 90],
  ])("%d ms → %d s", (ms, s) => expect(durationSeconds({ duration: ms })).toBe(s));
});

describe("scenarioSchedule", () => {
  test("one entry per second", () => {
    const vus = scenarioSchedule(scenario("a", 90_000, { type: "constant", vus: 3 }));
    expect(vus.length).toBe(90);
    expect(new Set(vus)).toEqual(new Set([3]));
  });

  test("a partial last second counts, and the ramp ends on it", () => {
    const vus = scenarioSchedule(scenario("a", 4500, { type: "ramp_up", start_vus: 0, end_vus: 8 }));
    expect(vus).toEqual([0, 2, 4, 6, 8]);
  });

  test("a one-second ramp is end_vus", () => {
    expect(scenarioSchedule(scenario("a", 1000, { type: "ramp_up", start_vus: 1, end_vus: 9 }))).toEqual([9]);
  });

  test("a zero-length scenario has an empty schedule", () => {
    expect(scenarioSchedule(scenario("a", 0, { type: "constant", vus: 3 }))).toEqual([]);
  });

  test("the reference spike", () => {
    const vus = scenarioSchedule(
      scenario("checkout-spike", 90_000, { type: "spike", base_vus: 5, spike_vus: 100, spike_at: 30_000, spike_duration: 15_000 }),
    );
    expect(vus.slice(28, 32)).toEqual([5, 5, 100, 100]);
    expect(vus.slice(43, 47)).toEqual([100, 100, 5, 5]);
  });
});

describe("planSchedule", () => {
  const plan = [
    scenario("steady", 3000, { type: "constant", vus: 2 }),
    scenario("burst", 5000, { type: "spike", base_vus: 1, spike_vus: 10, spike_at: 1000, spike_duration: 2000 }),
  ];

  test("each scenario by name, in plan order", () => {
    expect(planSchedule(plan)).toEqual([
      { name: "steady", vus: [2, 2, 2] },
      { name: "burst", vus: [1, 10, 10, 1, 1] },
    ]);
  });

  test("totals add the scenarios that run together, as long as the longest", () => {
    expect(totalVus(planSchedule(plan))).toEqual([3, 12, 12, 1, 1]);
  });

  test("peakVus of one schedule, and of scenarios together", () => {
    const schedules = planSchedule(plan);
    expect(peakVus(schedules[1]!.vus)).toBe(10);
    expect(peakVus(schedules)).toBe(12);
    expect(peakVus([])).toBe(0);
  });
});
