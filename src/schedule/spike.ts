// spike: base_vus, except spike_vus inside the window [spike_at, spike_at + spike_duration).
//
//  spike ┤      ┌─────┐
//        │      │     │
//   base ┤──────┘     └──────
//        └──────┬─────┬─────▶ t (s)
//            spike_at  spike_at + spike_duration (first second back at base)
import type { Profile } from "../plan/types.ts";
import { toSeconds, type ProfileMath } from "./profile.ts";

export const spike = {
  vusAt: (p, t) => {
    const from = Math.round(p.spike_at / 1000);
    return t >= from && t < from + toSeconds(p.spike_duration) ? p.spike_vus : p.base_vus;
  },
} satisfies ProfileMath<Extract<Profile, { type: "spike" }>>;
