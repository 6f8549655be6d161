// Schedule: the load profiles (one object each: fields, checks, docs, math), pure math from elapsed time to target VUs or arrivals per scenario, exact shares across agents, and its chart.
export type { ProfileDocs, ProfileProblem, RateProfileDef, ScenarioFrame, VuProfileDef } from "./profile.ts";
export {
  PROFILES, PROFILE_FIELDS, PROFILE_TYPES, profileSchema, describeProfile, isRateProfile, isVuProfile, vusAt, scenarioRates,
  type Profile, type ProfileDefinition, type ProfileOf, type ProfileType, type RateProfile, type RateProfileType, type RateStage, type VuProfile, type VuProfileType,
} from "./profiles.ts";
export { durationSeconds, scenarioSchedule, planSchedule, planChart, peakVus, totalVus, type ScenarioSchedule } from "./schedule.ts";
export { arrivalAt, arrivalsBefore, arrivalsPerSecond, integral, perSecond, rateAt, type RateSchedule, type RateSegment } from "./rate.ts";
export { firstArrival, rateShare, shareCount, subShare, type RateShare } from "./rate-share.ts";
export { splitEven, splitWeighted, splitSchedule } from "./shares.ts";
export { renderScheduleChart, type ChartSeries, type ChartOptions } from "./chart.ts";
