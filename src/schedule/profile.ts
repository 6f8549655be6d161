// The contract every load profile's math fulfils: target VUs at a whole second of a scenario.
import type { Profile, ProfileType, VuProfileType } from "../plan/types.ts";

/** The plan's profile of one type, e.g. ProfileOf<"spike">. */
export type ProfileOf<T extends ProfileType> = Extract<Profile, { type: T }>;

export interface ProfileMath<T extends VuProfileType> {
  /**
   * Target VUs at whole second t (0 ≤ t < durationS) of a scenario lasting durationS seconds.
   * Pure: the same arguments always give the same whole, non-negative number.
   */
  vusAt(profile: ProfileOf<T>, t: number, durationS: number): number;
}

/** Milliseconds from the plan to whole seconds, never below one (a 200ms step still lasts a second). */
export function wholeSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}
