// Schedule: pure math from elapsed seconds to target VUs per scenario, exact shares across agents, and its chart.
export type { ProfileMath, ProfileOf } from "./profile.ts";
export { profileMath, vusAt } from "./profiles.ts";
export { durationSeconds, scenarioSchedule, planSchedule, peakVus, totalVus, type ScenarioSchedule } from "./schedule.ts";
export { splitEven, splitWeighted, splitSchedule } from "./shares.ts";
export { renderScheduleChart, type ChartSeries, type ChartOptions } from "./chart.ts";
