// constant_rate: the same number of iterations per time_unit for the whole scenario.
import { perSecond, type RateProfileMath } from "./rate.ts";

export const constantRate = {
  pieces: (profile, durationMs) => {
    const r = perSecond(profile.rate, profile.time_unit);
    return [{ startMs: 0, endMs: durationMs, from: r, to: r }];
  },
} satisfies RateProfileMath<"constant_rate">;
