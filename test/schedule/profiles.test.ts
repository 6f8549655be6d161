// Every closed-model profile's math (arrival rates: rate.test.ts): table tests of each edge, and one suite that every profile passes.
import { describe, expect, test } from "bun:test";
import type { VuProfile as Profile, VuProfileType as ProfileType } from "../../src/plan/types.ts";
import { constant } from "../../src/schedule/constant.ts";
import { PROFILES, vusAt } from "../../src/schedule/profiles.ts";
import { rampDown } from "../../src/schedule/ramp_down.ts";
import { rampUp } from "../../src/schedule/ramp_up.ts";
import { spike } from "../../src/schedule/spike.ts";
import { step } from "../../src/schedule/step.ts";

type Case = [label: string, t: number, durationS: number, expected: number];

describe("constant", () => {
  const profile = { type: "constant", vus: 10 } as const;
  test.each<Case>([
    ["t=0", 0, 30, 10],
    ["middle", 15, 30, 10],
    ["last second", 29, 30, 10],
    ["durationS=1", 0, 1, 10],
  ])("%s", (_, t, d, expected) => expect(constant.vusAt(profile, t, d)).toBe(expected));
});

describe("ramp_up", () => {
  const reference = { type: "ramp_up", start_vus: 5, end_vus: 200 } as const;
  test.each<Case>([
    ["t=0 is start_vus", 0, 120, 5],
    ["second 1", 1, 120, 7], // 5 + 195/119 = 6.64
    ["middle rounds to nearest", 60, 120, 103], // 5 + 195·60/119 = 103.32
    ["last second is end_vus exactly", 119, 120, 200],
    ["past the end stays at end_vus", 500, 120, 200],
    ["durationS=1 is end_vus", 0, 1, 200],
    ["durationS=2 ends at end_vus", 1, 2, 200],
  ])("%s", (_, t, d, expected) => expect(rampUp.vusAt(reference, t, d)).toBe(expected));

  test("halves round up: 0 → 10 over 5 s", () => {
    const p = { type: "ramp_up", start_vus: 0, end_vus: 10 } as const;
    expect([0, 1, 2, 3, 4].map((t) => rampUp.vusAt(p, t, 5))).toEqual([0, 3, 5, 8, 10]);
  });

  test("never overshoots and never goes down", () => {
    const p = { type: "ramp_up", start_vus: 3, end_vus: 97 } as const;
    const vus = Array.from({ length: 61 }, (_, t) => rampUp.vusAt(p, t, 61));
    expect(Math.max(...vus)).toBe(97);
    expect(vus.every((v, t) => t === 0 || v >= vus[t - 1]!)).toBe(true);
  });

  test("start_vus equal to end_vus is flat", () => {
    const p = { type: "ramp_up", start_vus: 4, end_vus: 4 } as const;
    expect([0, 5, 9].map((t) => rampUp.vusAt(p, t, 10))).toEqual([4, 4, 4]);
  });
});

describe("ramp_down", () => {
  const profile = { type: "ramp_down", start_vus: 10, end_vus: 0 } as const;
  test.each<Case>([
    ["t=0 is start_vus", 0, 5, 10],
    ["second 1 (7.5 rounds up)", 1, 5, 8],
    ["middle", 2, 5, 5],
    ["second 3 (2.5 rounds up)", 3, 5, 3],
    ["last second is end_vus exactly", 4, 5, 0],
    ["durationS=1 is end_vus", 0, 1, 0],
  ])("%s", (_, t, d, expected) => expect(rampDown.vusAt(profile, t, d)).toBe(expected));

  test("to a non-zero floor over a long scenario", () => {
    const p = { type: "ramp_down", start_vus: 200, end_vus: 20 } as const;
    const vus = Array.from({ length: 600 }, (_, t) => rampDown.vusAt(p, t, 600));
    expect(vus[0]).toBe(200);
    expect(vus[599]).toBe(20);
    expect(vus.every((v, t) => t === 0 || v <= vus[t - 1]!)).toBe(true);
  });
});

describe("step", () => {
  // The reference: 120 s, 30 s steps → 10, 30, 50, 70.
  const reference = { type: "step", start_vus: 10, step_vus: 20, step_duration: 30_000 } as const;
  test.each<Case>([
    ["t=0", 0, 120, 10],
    ["last second of step 1", 29, 120, 10],
    ["first second of step 2", 30, 120, 30],
    ["last second of step 2", 59, 120, 30],
    ["first second of step 3", 60, 120, 50],
    ["first second of step 4", 90, 120, 70],
    ["last second", 119, 120, 70],
    ["durationS=1", 0, 1, 10],
  ])("%s", (_, t, d, expected) => expect(step.vusAt(reference, t, d)).toBe(expected));

  test("the reference plan walks 10 → 30 → 50 → 70", () => {
    const vus = Array.from({ length: 120 }, (_, t) => step.vusAt(reference, t, 120));
    expect([...new Set(vus)]).toEqual([10, 30, 50, 70]);
  });

  test("a step shorter than a second still lasts one second", () => {
    const p = { type: "step", start_vus: 1, step_vus: 2, step_duration: 200 } as const;
    expect([0, 1, 2, 3].map((t) => step.vusAt(p, t, 4))).toEqual([1, 3, 5, 7]);
  });

  test("step_duration rounds to whole seconds (1.5 s → 2 s)", () => {
    const p = { type: "step", start_vus: 0, step_vus: 5, step_duration: 1500 } as const;
    expect([0, 1, 2, 3, 4].map((t) => step.vusAt(p, t, 5))).toEqual([0, 0, 5, 5, 10]);
  });

  test("a falling step never goes below zero", () => {
    const p = { type: "step", start_vus: 10, step_vus: -4, step_duration: 1000 } as const;
    expect([0, 1, 2, 3, 4].map((t) => step.vusAt(p, t, 5))).toEqual([10, 6, 2, 0, 0]);
  });
});

describe("spike", () => {
  // The reference: 90 s, 5 base VUs, 100 spike VUs at 30 s for 15 s.
  const reference = { type: "spike", base_vus: 5, spike_vus: 100, spike_at: 30_000, spike_duration: 15_000 } as const;
  test.each<Case>([
    ["t=0 is base", 0, 90, 5],
    ["the second before the spike", 29, 90, 5],
    ["first spike second", 30, 90, 100],
    ["last spike second", 44, 90, 100],
    ["the second after the spike", 45, 90, 5],
    ["last second", 89, 90, 5],
  ])("%s", (_, t, d, expected) => expect(spike.vusAt(reference, t, d)).toBe(expected));

  test("the window holds exactly spike_duration seconds", () => {
    const vus = Array.from({ length: 90 }, (_, t) => spike.vusAt(reference, t, 90));
    expect(vus.filter((v) => v === 100).length).toBe(15);
  });

  test("a spike at t=0", () => {
    const p = { ...reference, spike_at: 0, spike_duration: 2000 };
    expect([0, 1, 2].map((t) => spike.vusAt(p, t, 10))).toEqual([100, 100, 5]);
  });

  test("a spike running past the end is cut by the scenario, not extended", () => {
    const p = { ...reference, spike_at: 85_000, spike_duration: 15_000 };
    expect([84, 85, 89].map((t) => spike.vusAt(p, t, 90))).toEqual([5, 100, 100]);
  });

  test("a spike shorter than a second lasts one second", () => {
    const p = { ...reference, spike_at: 3000, spike_duration: 400 };
    expect([2, 3, 4].map((t) => spike.vusAt(p, t, 10))).toEqual([5, 100, 5]);
  });

  test("a zero-length spike never happens", () => {
    const p = { ...reference, spike_at: 3000, spike_duration: 0 };
    expect([2, 3, 4].map((t) => spike.vusAt(p, t, 10))).toEqual([5, 5, 5]);
  });
});

// The shared suite: whatever the profile, a schedule is whole, non-negative, pure and starts where the profile says.
const EXAMPLES: { [T in ProfileType]: Extract<Profile, { type: T }> } = {
  constant: { type: "constant", vus: 7 },
  ramp_up: { type: "ramp_up", start_vus: 1, end_vus: 33 },
  ramp_down: { type: "ramp_down", start_vus: 33, end_vus: 1 },
  step: { type: "step", start_vus: 2, step_vus: 3, step_duration: 7000 },
  spike: { type: "spike", base_vus: 2, spike_vus: 40, spike_at: 10_000, spike_duration: 5000 },
};

describe.each(Object.values(PROFILES).flatMap((p) => (p.model === "vus" ? [p.type] : [])) as ProfileType[])("every profile: %s", (type) => {
  const profile = EXAMPLES[type];
  test.each([1, 2, 7, 60, 3601])("durationS=%d: whole, non-negative VUs each second", (durationS) => {
    for (let t = 0; t < durationS; t++) {
      const v = vusAt(profile, t, durationS);
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  test("pure: the same second gives the same VUs", () => {
    for (const t of [0, 13, 59]) expect(vusAt(profile, t, 60)).toBe(vusAt(profile, t, 60));
  });

  test("the registry dispatches to the profile's own math", () => {
    const own = PROFILES[type] as { vusAt(p: Profile, t: number, d: number): number };
    for (const t of [0, 11, 59]) expect(vusAt(profile, t, 60)).toBe(own.vusAt(profile, t, 60));
  });
});
