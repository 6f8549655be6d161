// The explicit registry of load profiles, and what is derived from it: the plan's profile schema and types,
// the list of types, each type's fields, the model predicates, and the math dispatch.
import { z } from "zod";
import { constant } from "./constant.ts";
import { constantRate } from "./constant_rate.ts";
import type { RateProfileDef, VuProfileDef } from "./profile.ts";
import { rampDown } from "./ramp_down.ts";
import { rampUp } from "./ramp_up.ts";
import { rampingRate } from "./ramping_rate.ts";
import { rateSchedule, type RateSchedule } from "./rate.ts";
import { spike } from "./spike.ts";
import { step } from "./step.ts";

/** Every profile, in the order the docs list them. Adding a profile: one file, one line here. */
export const PROFILES = {
  constant,
  ramp_up: rampUp,
  ramp_down: rampDown,
  step,
  spike,
  constant_rate: constantRate,
  ramping_rate: rampingRate,
} as const;

type Registry = typeof PROFILES;
export type ProfileType = keyof Registry;
export type ProfileDefinition = Registry[ProfileType];

export const PROFILE_TYPES = Object.keys(PROFILES) as [ProfileType, ...ProfileType[]];

/** The plan's `profile:` mapping: one of the registry's, by `type`. */
export const profileSchema = z.discriminatedUnion(
  "type",
  [constant.schema, rampUp.schema, rampDown.schema, step.schema, spike.schema, constantRate.schema, rampingRate.schema],
  { error: `must be a mapping with a type (${PROFILE_TYPES.join(", ")})` },
);

export type Profile = z.output<typeof profileSchema>;
/** The plan's profile of one type, e.g. ProfileOf<"spike">. */
export type ProfileOf<T extends ProfileType> = Extract<Profile, { type: T }>;
export type VuProfileType = { [K in ProfileType]: Registry[K] extends { model: "vus" } ? K : never }[ProfileType];
export type RateProfileType = Exclude<ProfileType, VuProfileType>;
/** Closed model: a number of VUs, each running the steps in a loop. */
export type VuProfile = ProfileOf<VuProfileType>;
/** Open model: iterations start on a clock, whatever the target's latency. */
export type RateProfile = ProfileOf<RateProfileType>;
/** One stage of ramping_rate: the rate moves linearly to `target` over `duration` (ms). */
export type RateStage = ProfileOf<"ramping_rate">["stages"][number];

/** The keys each profile type takes besides `type`. */
export const PROFILE_FIELDS = Object.fromEntries(
  PROFILE_TYPES.map((type) => [type, Object.keys(fieldsOf(PROFILES[type].schema)).filter((k) => k !== "type")]),
) as Record<ProfileType, string[]>;

function fieldsOf(schema: z.ZodType): Record<string, unknown> {
  // a rate profile's mapping sits inside the pipe that fills in max_vus
  const inner = schema instanceof z.ZodPipe ? schema.in : schema;
  return inner instanceof z.ZodObject ? inner.shape : {};
}

export function isRateProfile(profile: Profile): profile is RateProfile {
  return PROFILES[profile.type].model === "rate";
}

export function isVuProfile(profile: Profile): profile is VuProfile {
  return PROFILES[profile.type].model === "vus";
}

/** The load in a few words ("5→200 VUs", "50 per 1s, 20..100 VUs"), by the profile's own object. */
export function describeProfile(profile: Profile): string {
  return (PROFILES[profile.type] as { describe(p: Profile): string }).describe(profile);
}

/** Target VUs of any closed-model profile at whole second t of a scenario lasting durationS seconds. */
export function vusAt(profile: VuProfile, t: number, durationS: number): number {
  // The registry is keyed by profile.type, so the math always matches the profile it is given.
  return (PROFILES[profile.type] as VuProfileDef).vusAt(profile, t, durationS);
}

/** A rate profile over a scenario lasting durationMs, as straight pieces with their arrivals. */
export function scenarioRates(profile: RateProfile, durationMs: number): RateSchedule {
  return rateSchedule((PROFILES[profile.type] as RateProfileDef).pieces(profile, durationMs), durationMs);
}
