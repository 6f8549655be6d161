// step: start_vus, plus step_vus at every step_duration boundary.
import { type ProfileMath, wholeSeconds } from "./profile.ts";

/*
 * start_vus 10, step_vus 20, step_duration 30s, duration 120s:
 *
 * VUs
 *  70 ┤                              ┌─────────
 *  50 ┤                    ┌─────────┘
 *  30 ┤          ┌─────────┘
 *  10 ┤──────────┘
 *     └──────────┬─────────┬─────────┬────────▶ t (s)
 *     0          30        60        90     119
 *
 * A boundary second belongs to the new step: t=30 is already 30 VUs.
 * step_duration is rounded to whole seconds (at least one) because the schedule ticks once a second.
 */
export const step = {
  vusAt(profile, t, _durationS) {
    const stepS = wholeSeconds(profile.step_duration);
    const steps = Math.floor(Math.max(0, t) / stepS);
    return Math.max(0, profile.start_vus + profile.step_vus * steps);
  },
} satisfies ProfileMath<"step">;
