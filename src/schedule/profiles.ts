// The explicit registry of profile math, keyed by the plan's profile type.
import type { Profile, ProfileType } from "../plan/types.ts";
import { constant } from "./constant.ts";
import type { ProfileMath } from "./profile.ts";
import { rampDown } from "./ramp_down.ts";
import { rampUp } from "./ramp_up.ts";
import { spike } from "./spike.ts";
import { step } from "./step.ts";

export const profileMath = {
  constant,
  ramp_up: rampUp,
  ramp_down: rampDown,
  step,
  spike,
} as const satisfies { readonly [T in ProfileType]: ProfileMath<T> };

/** Target VUs of any profile at whole second t of a scenario lasting durationS seconds. */
export function vusAt(profile: Profile, t: number, durationS: number): number {
  // The registry is keyed by profile.type, so the math always matches the profile it is given.
  const math = profileMath[profile.type] as ProfileMath<ProfileType>;
  return math.vusAt(profile, t, durationS);
}
