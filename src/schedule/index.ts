// Schedule: pure math from elapsed time to target VUs or arrivals per scenario, exact shares across agents, and its chart.
export type { ProfileMath, ProfileOf } from "./profile.ts";
export { profileMath, vusAt } from "./profiles.ts";
export { durationSeconds, scenarioSchedule, planSchedule, planChart, peakVus, totalVus, type ScenarioSchedule } from "./schedule.ts";
export { rateMath, scenarioRates } from "./rates.ts";
export { arrivalAt, arrivalsBefore, arrivalsPerSecond, integral, perSecond, rateAt, type RateSchedule, type RateSegment } from "./rate.ts";
export { firstArrival, rateShare, shareCount, subShare, type RateShare } from "./rate-share.ts";
export { splitEven, splitWeighted, splitSchedule } from "./shares.ts";
export { renderScheduleChart, type ChartSeries, type ChartOptions } from "./chart.ts";
