// A scenario's and a plan's schedule: target VUs for every second, as plain data.
import type { ChartSeries } from "./chart.ts";
import { isRateProfile, scenarioRates, vusAt, type Profile } from "./profiles.ts";
import { arrivalsPerSecond } from "./rate.ts";

/** What the schedule needs of a scenario: its name, its duration (ms) and its profile. */
interface Scenario {
  name: string;
  duration: number;
  profile: Profile;
}

export interface ScenarioSchedule {
  name: string;
  /** target VUs for each second 0..durationS-1 */
  vus: number[];
}

/** Whole seconds a scenario runs; a partial last second counts. */
export function durationSeconds(scenario: Pick<Scenario, "duration">): number {
  return Math.max(0, Math.ceil(scenario.duration / 1000));
}

/**
 * Target VUs for each second 0..durationS-1. An arrival-rate scenario has none (all 0): its VUs
 * follow the arrivals, between pre_allocated_vus and max_vus (see scenarioRates).
 */
export function scenarioSchedule(scenario: Pick<Scenario, "duration" | "profile">): number[] {
  const durationS = durationSeconds(scenario);
  const profile = scenario.profile;
  if (isRateProfile(profile)) return new Array<number>(durationS).fill(0);
  return Array.from({ length: durationS }, (_, t) => vusAt(profile, t, durationS));
}

/** What `indus validate` draws: VUs per second, or iterations per second for an arrival-rate scenario. */
export function planChart(scenarios: readonly Pick<Scenario, "name" | "duration" | "profile">[]): ChartSeries[] {
  return scenarios.map((scenario) =>
    isRateProfile(scenario.profile)
      ? { name: scenario.name, vus: arrivalsPerSecond(scenarioRates(scenario.profile, scenario.duration)), unit: "iterations/s" }
      : { name: scenario.name, vus: scenarioSchedule(scenario) },
  );
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
