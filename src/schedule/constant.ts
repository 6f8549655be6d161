// constant: the same VUs for the whole scenario.
import type { ProfileMath } from "./profile.ts";

export const constant = {
  vusAt: (profile, _t, _durationS) => profile.vus,
} satisfies ProfileMath<"constant">;
