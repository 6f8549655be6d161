// The explicit registry of closed-model profile math (VUs per second), keyed by the plan's profile type.
import type { VuProfile, VuProfileType } from "../plan/types.ts";
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
} as const satisfies { readonly [T in VuProfileType]: ProfileMath<T> };

/** Target VUs of any profile at whole second t of a scenario lasting durationS seconds. */
export function vusAt(profile: VuProfile, t: number, durationS: number): number {
  // The registry is keyed by profile.type, so the math always matches the profile it is given.
  const math = profileMath[profile.type] as ProfileMath<VuProfileType>;
  return math.vusAt(profile, t, durationS);
}
