// ramp_up: start_vus rising linearly to end_vus, reached exactly at the last second.
import { vuCount } from "../core/plan-values.ts";
import { interpolate } from "./linear.ts";
import { NO_VU, profileFields, vuProfile } from "./profile.ts";

export const rampUp = vuProfile({
  type: "ramp_up",
  schema: profileFields("ramp_up", { start_vus: vuCount(0), end_vus: vuCount(0) }),
  docs: {
    summary: "From `start_vus` up to `end_vus` in a straight line; `end_vus` is reached exactly at the last second, each second rounded to whole VUs.",
    fields: {
      start_vus: { description: "VUs at second 0." },
      end_vus: { description: "VUs at the last second; at least `start_vus` and at least 1." },
    },
  },
  check(p) {
    if (p.end_vus < p.start_vus) return [{ path: ["end_vus"], message: `must be at least start_vus (${p.start_vus}) for ramp_up; to go down use ramp_down` }];
    if (p.end_vus === 0) return [{ path: ["end_vus"], message: `must be at least 1: ${NO_VU}` }];
    return [];
  },
  describe: (p) => `${p.start_vus}→${p.end_vus} VUs`,
  vusAt: (p, t, durationS) => interpolate(p.start_vus, p.end_vus, t, durationS),
});
