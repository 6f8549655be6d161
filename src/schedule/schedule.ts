// A scenario's schedule: the VUs of every second, printed, charted and split across agents.
import type { Profile, Scenario } from "../plan/types.ts";
import { constant } from "./constant.ts";
import type { ProfileMath, ProfileRegistry } from "./profile.ts";
import { rampDown } from "./ramp_down.ts";
import { rampUp } from "./ramp_up.ts";
import { spike } from "./spike.ts";
import { step } from "./step.ts";

/** The explicit registry of profile math (no self-registration). */
export const PROFILES: ProfileRegistry = {
  constant,
  ramp_up: rampUp,
  ramp_down: rampDown,
  step,
  spike,
};

export function durationSeconds(scenario: Pick<Scenario, "duration">): number {
  return Math.max(1, Math.ceil(scenario.duration / 1000));
}

export function vusAt(profile: Profile, t: number, durationS: number): number {
  return (PROFILES[profile.type] as ProfileMath<Profile>).vusAt(profile, t, durationS);
}

export function scenarioSchedule(scenario: Pick<Scenario, "duration" | "profile">): number[] {
  const d = durationSeconds(scenario);
  return Array.from({ length: d }, (_, t) => vusAt(scenario.profile, t, d));
}

export interface ScheduleSeries {
  name: string;
  vus: number[];
}

export function planSchedule(scenarios: Scenario[]): ScheduleSeries[] {
  return scenarios.map((s) => ({ name: s.name, vus: scenarioSchedule(s) }));
}

export function peakVus(vus: number[]): number {
  return vus.reduce((a, b) => Math.max(a, b), 0);
}
