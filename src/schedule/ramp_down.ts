// ramp_down: start_vus falling linearly to end_vus, reached exactly at the last second.
import { vuCount } from "../core/plan-values.ts";
import { interpolate } from "./linear.ts";
import { NO_VU, profileFields, vuProfile } from "./profile.ts";

export const rampDown = vuProfile({
  type: "ramp_down",
  schema: profileFields("ramp_down", { start_vus: vuCount(0), end_vus: vuCount(0) }),
  docs: {
    summary: "From `start_vus` down to `end_vus` in a straight line, reaching `end_vus` at the last second.",
    fields: {
      start_vus: { description: "VUs at second 0; at least 1." },
      end_vus: { description: "VUs at the last second; at most `start_vus`." },
    },
  },
  check(p) {
    if (p.end_vus > p.start_vus) return [{ path: ["end_vus"], message: `must be at most start_vus (${p.start_vus}) for ramp_down; to go up use ramp_up` }];
    if (p.start_vus === 0) return [{ path: ["start_vus"], message: `must be at least 1: ${NO_VU}` }];
    return [];
  },
  describe: (p) => `${p.start_vus}→${p.end_vus} VUs`,
  vusAt: (p, t, durationS) => interpolate(p.start_vus, p.end_vus, t, durationS),
});
