// A scenario's and a plan's schedule: target VUs for every second, as plain data.
import type { Scenario } from "../plan/types.ts";
import { vusAt } from "./profiles.ts";

export interface ScenarioSchedule {
  name: string;
  /** target VUs for each second 0..durationS-1 */
  vus: number[];
}

/** Whole seconds a scenario runs; a partial last second counts. */
export function durationSeconds(scenario: Pick<Scenario, "duration">): number {
  return Math.max(0, Math.ceil(scenario.duration / 1000));
}

/** Target VUs for each second 0..durationS-1. */
export function scenarioSchedule(scenario: Pick<Scenario, "duration" | "profile">): number[] {
  const durationS = durationSeconds(scenario);
  return Array.from({ length: durationS }, (_, t) => vusAt(scenario.profile, t, durationS));
}

/** Every scenario's schedule, in plan order. */
export function planSchedule(scenarios: readonly Pick<Scenario, "name" | "duration" | "profile">[]): ScenarioSchedule[] {
  return scenarios.map((scenario) => ({ name: scenario.name, vus: scenarioSchedule(scenario) }));
}

/** The most VUs of one schedule, or (given several) of all scenarios running together, second by second. */
export function peakVus(schedule: readonly number[] | readonly ScenarioSchedule[]): number {
  const totals = isSeries(schedule) ? totalVus(schedule) : schedule;
  return totals.reduce((peak, vus) => Math.max(peak, vus), 0);
}

/** All scenarios' VUs added up, second by second; as long as the longest scenario. */
export function totalVus(schedules: readonly { vus: readonly number[] }[]): number[] {
  const length = schedules.reduce((max, s) => Math.max(max, s.vus.length), 0);
  const totals = new Array<number>(length).fill(0);
  for (const s of schedules) s.vus.forEach((vus, t) => (totals[t]! += vus));
  return totals;
}

function isSeries(schedule: readonly number[] | readonly ScenarioSchedule[]): schedule is readonly ScenarioSchedule[] {
  return typeof schedule[0] === "object";
}
