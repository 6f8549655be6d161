// constant_rate: the same number of iterations per time_unit for the whole scenario.
import { formatDuration } from "../core/duration.ts";
import { rateValue } from "../core/plan-values.ts";
import { profileFields, rateProfile } from "./profile.ts";
import { perSecond } from "./rate.ts";
import { checkRateFields, checkRateFrame, RATE_FIELD_DOCS, rateFields, withMaxVus } from "./rate-fields.ts";

export const constantRate = rateProfile({
  type: "constant_rate",
  schema: profileFields("constant_rate", { rate: rateValue(true), ...rateFields }).transform(withMaxVus),
  docs: {
    summary: "Open model: `rate` iterations start every `time_unit`, on a clock, however slow the target is; VUs are only what runs them.",
    fields: { rate: { description: "Iterations started per `time_unit` (0.5 per 1s is one every 2 s).", example: 50 }, ...RATE_FIELD_DOCS },
  },
  check: checkRateFields,
  checkIn: (_p, scenario) => checkRateFrame("constant_rate", scenario),
  describe: (p) => `${p.rate} per ${formatDuration(p.time_unit)}, ${p.pre_allocated_vus}..${p.max_vus} VUs`,
  pieces(p, durationMs) {
    const r = perSecond(p.rate, p.time_unit);
    return [{ startMs: 0, endMs: durationMs, from: r, to: r }];
  },
});
