// Schedule: pure per-second VU math per profile, exact shares, and the ASCII chart.
export { PROFILES, durationSeconds, vusAt, scenarioSchedule, planSchedule, peakVus, type ScheduleSeries } from "./schedule.ts";
export { splitEven, splitWeighted, splitSchedule } from "./shares.ts";
export { renderScheduleChart, renderSeriesChart, type ChartOptions } from "./chart.ts";
export type { ProfileMath, ProfileRegistry } from "./profile.ts";
