// constant: the same VUs for the whole scenario.
import { vuCount } from "../core/plan-values.ts";
import { profileFields, vuProfile } from "./profile.ts";

export const constant = vuProfile({
  type: "constant",
  schema: profileFields("constant", { vus: vuCount(1) }),
  docs: {
    summary: "The same number of VUs for the whole scenario.",
    fields: { vus: { description: "VUs for the whole scenario." } },
  },
  describe: (p) => `${p.vus} VUs`,
  vusAt: (profile) => profile.vus,
});
