// The shape every load profile's math has: VUs as a pure function of whole seconds since the scenario began.
import type { Profile, ProfileType } from "../plan/types.ts";

export interface ProfileMath<P extends Profile> {
  /** VUs at second t (0 ≤ t < durationS). */
  vusAt(profile: P, t: number, durationS: number): number;
}

export type ProfileRegistry = { [T in ProfileType]: ProfileMath<Extract<Profile, { type: T }>> };

/** Whole seconds of a duration in ms, at least 1 for anything positive. */
export function toSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}
