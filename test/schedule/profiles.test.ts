// Every profile passes the same edge cases: t=0, the last second, window and step boundaries.
import { describe, expect, test } from "bun:test";
import type { Profile } from "../../src/plan/types.ts";
import { durationSeconds, scenarioSchedule, vusAt } from "../../src/schedule/index.ts";

const s = (n: number) => n * 1000;
type Case = [label: string, profile: Profile, durationS: number, t: number, vus: number];

const cases: Case[] = [
  ["constant t=0", { type: "constant", vus: 10 }, 30, 0, 10],
  ["constant last second", { type: "constant", vus: 10 }, 30, 29, 10],
  ["ramp_up t=0 is start_vus", { type: "ramp_up", start_vus: 5, end_vus: 200 }, 120, 0, 5],
  ["ramp_up reaches end_vus exactly at the last second", { type: "ramp_up", start_vus: 5, end_vus: 200 }, 120, 119, 200],
  ["ramp_up midpoint rounds", { type: "ramp_up", start_vus: 0, end_vus: 10 }, 11, 5, 5],
  ["ramp_up second before last", { type: "ramp_up", start_vus: 0, end_vus: 10 }, 11, 9, 9],
  ["ramp_up one-second scenario is end_vus", { type: "ramp_up", start_vus: 1, end_vus: 9 }, 1, 0, 9],
  ["ramp_up flat", { type: "ramp_up", start_vus: 4, end_vus: 4 }, 10, 5, 4],
  ["ramp_down t=0 is start_vus", { type: "ramp_down", start_vus: 100, end_vus: 10 }, 10, 0, 100],
  ["ramp_down last second is end_vus", { type: "ramp_down", start_vus: 100, end_vus: 10 }, 10, 9, 10],
  ["ramp_down to zero", { type: "ramp_down", start_vus: 3, end_vus: 0 }, 4, 3, 0],
  ["step t=0", { type: "step", start_vus: 10, step_vus: 20, step_duration: s(30) }, 120, 0, 10],
  ["step last second of step 1", { type: "step", start_vus: 10, step_vus: 20, step_duration: s(30) }, 120, 29, 10],
  ["step boundary to step 2", { type: "step", start_vus: 10, step_vus: 20, step_duration: s(30) }, 120, 30, 30],
  ["step 3", { type: "step", start_vus: 10, step_vus: 20, step_duration: s(30) }, 120, 60, 50],
  ["step last second", { type: "step", start_vus: 10, step_vus: 20, step_duration: s(30) }, 120, 119, 70],
  ["spike before window", { type: "spike", base_vus: 5, spike_vus: 100, spike_at: s(30), spike_duration: s(15) }, 90, 29, 5],
  ["spike first second", { type: "spike", base_vus: 5, spike_vus: 100, spike_at: s(30), spike_duration: s(15) }, 90, 30, 100],
  ["spike last second", { type: "spike", base_vus: 5, spike_vus: 100, spike_at: s(30), spike_duration: s(15) }, 90, 44, 100],
  ["spike the second after", { type: "spike", base_vus: 5, spike_vus: 100, spike_at: s(30), spike_duration: s(15) }, 90, 45, 5],
  ["spike at t=0", { type: "spike", base_vus: 1, spike_vus: 9, spike_at: 0, spike_duration: s(2) }, 5, 0, 9],
  ["spike t=0 base", { type: "spike", base_vus: 5, spike_vus: 100, spike_at: s(30), spike_duration: s(15) }, 90, 0, 5],
  ["spike last second of the run", { type: "spike", base_vus: 5, spike_vus: 100, spike_at: s(30), spike_duration: s(15) }, 90, 89, 5],
];

describe("profiles", () => {
  test.each(cases)("%s", (_label, profile, durationS, t, expected) => {
    expect(vusAt(profile, t, durationS)).toBe(expected);
  });

  test("the reference's step example: 10 → 30 → 50 → 70", () => {
    const sched = scenarioSchedule({ duration: s(120), profile: { type: "step", start_vus: 10, step_vus: 20, step_duration: s(30) } });
    expect(sched.length).toBe(120);
    expect([...new Set(sched)]).toEqual([10, 30, 50, 70]);
  });

  test("ramps are monotone and never overshoot", () => {
    const up = scenarioSchedule({ duration: s(37), profile: { type: "ramp_up", start_vus: 3, end_vus: 41 } });
    for (let i = 1; i < up.length; i++) expect(up[i]!).toBeGreaterThanOrEqual(up[i - 1]!);
    expect(Math.max(...up)).toBe(41);
    const down = scenarioSchedule({ duration: s(37), profile: { type: "ramp_down", start_vus: 41, end_vus: 3 } });
    for (let i = 1; i < down.length; i++) expect(down[i]!).toBeLessThanOrEqual(down[i - 1]!);
    expect(down.at(-1)).toBe(3);
  });

  test("durations round up to whole seconds", () => {
    expect(durationSeconds({ duration: 1500 })).toBe(2);
    expect(durationSeconds({ duration: 1000 })).toBe(1);
    expect(scenarioSchedule({ duration: 2500, profile: { type: "constant", vus: 2 } })).toEqual([2, 2, 2]);
  });
});
