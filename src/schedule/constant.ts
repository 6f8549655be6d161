// constant: the same number of VUs for the whole scenario.
import type { Profile } from "../plan/types.ts";
import type { ProfileMath } from "./profile.ts";

export const constant = {
  vusAt: (p) => p.vus,
} satisfies ProfileMath<Extract<Profile, { type: "constant" }>>;
