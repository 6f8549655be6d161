// The explicit registry of open-model profile math, and a scenario's rate schedule from it.
import type { RateProfile, RateProfileType } from "../plan/types.ts";
import { constantRate } from "./constant_rate.ts";
import { rampingRate } from "./ramping_rate.ts";
import { rateSchedule, type RateProfileMath, type RateSchedule } from "./rate.ts";

export const rateMath = {
  constant_rate: constantRate,
  ramping_rate: rampingRate,
} as const satisfies { readonly [T in RateProfileType]: RateProfileMath<T> };

/** A rate profile over a scenario lasting durationMs, as straight pieces with their arrivals. */
export function scenarioRates(profile: RateProfile, durationMs: number): RateSchedule {
  const math = rateMath[profile.type] as RateProfileMath<RateProfileType>;
  return rateSchedule(math.pieces(profile, durationMs), durationMs);
}
