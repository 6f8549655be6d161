// step: start_vus, plus step_vus at every step_duration boundary.
//
//   70 ┤            ┌───      120 s, step_duration 30 s:
//   50 ┤        ┌───┘         t 0..29 → 10, 30..59 → 30,
//   30 ┤    ┌───┘             60..89 → 50, 90..119 → 70
//   10 ┤────┘
//      └────┴───┴───┴───▶ t (s)
import type { Profile } from "../plan/types.ts";
import { toSeconds, type ProfileMath } from "./profile.ts";

export const step = {
  vusAt: (p, t) => p.start_vus + p.step_vus * Math.floor(t / toSeconds(p.step_duration)),
} satisfies ProfileMath<Extract<Profile, { type: "step" }>>;
