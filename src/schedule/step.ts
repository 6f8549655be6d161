// step: start_vus, plus step_vus at every step_duration boundary.
import { formatDuration } from "../core/duration.ts";
import { duration, vuCount } from "../core/plan-values.ts";
import { NO_VU, profileFields, vuProfile, wholeSeconds } from "./profile.ts";

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
export const step = vuProfile({
  type: "step",
  schema: profileFields("step", { start_vus: vuCount(0), step_vus: vuCount(0), step_duration: duration(1000) }),
  docs: {
    summary: "`start_vus`, plus `step_vus` more at every `step_duration` boundary (a boundary second already has the new count).",
    fields: {
      start_vus: { description: "VUs during the first step." },
      step_vus: { description: "VUs added at each step boundary." },
      step_duration: { description: "Length of each step, at least 1s, rounded to whole seconds." },
    },
  },
  check(p) {
    if (p.start_vus === 0 && p.step_vus === 0) return [{ path: ["step_vus"], message: `must be at least 1 when start_vus is 0: ${NO_VU}` }];
    return [];
  },
  checkIn(p, scenario) {
    if (p.start_vus === 0 && p.step_vus > 0 && p.step_duration >= scenario.durationMs) {
      const message = `must be shorter than the scenario's duration (${formatDuration(scenario.durationMs)}) when start_vus is 0: ${NO_VU}`;
      return [{ path: ["profile", "step_duration"], message }];
    }
    return [];
  },
  describe: (p) => `${p.start_vus} VUs, +${p.step_vus} every ${formatDuration(p.step_duration)}`,
  vusAt(p, t) {
    const stepS = wholeSeconds(p.step_duration);
    const steps = Math.floor(Math.max(0, t) / stepS);
    return Math.max(0, p.start_vus + p.step_vus * steps);
  },
});
