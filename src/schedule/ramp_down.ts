// ramp_down: start_vus falling linearly to end_vus, reached exactly at the last second.
import { interpolate } from "./linear.ts";
import type { ProfileMath } from "./profile.ts";

export const rampDown = {
  vusAt: (profile, t, durationS) => interpolate(profile.start_vus, profile.end_vus, t, durationS),
} satisfies ProfileMath<"ramp_down">;
