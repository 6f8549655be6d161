// ramp_down: from start_vus down to end_vus, linearly, reaching end_vus at the last second.
import type { Profile } from "../plan/types.ts";
import { interpolate } from "./linear.ts";
import type { ProfileMath } from "./profile.ts";

export const rampDown = {
  vusAt: (p, t, durationS) => interpolate(p.start_vus, p.end_vus, t, durationS),
} satisfies ProfileMath<Extract<Profile, { type: "ramp_down" }>>;
