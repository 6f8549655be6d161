// ramp_up: start_vus rising linearly to end_vus, reached exactly at the last second.
import { interpolate } from "./linear.ts";
import type { ProfileMath } from "./profile.ts";

export const rampUp = {
  vusAt: (profile, t, durationS) => interpolate(profile.start_vus, profile.end_vus, t, durationS),
} satisfies ProfileMath<"ramp_up">;
