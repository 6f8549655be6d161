// ramping_rate: from start_rate, each stage moves the rate linearly to its target; the last target holds to the end.
import { z } from "zod";
import { formatDuration } from "../core/duration.ts";
import { duration, mapping, rateValue } from "../core/plan-values.ts";
import { profileFields, rateProfile } from "./profile.ts";
import { perSecond } from "./rate.ts";
import { checkRateFields, checkRateFrame, RATE_FIELD_DOCS, rateFields, withMaxVus } from "./rate-fields.ts";

const stages = z
  .array(mapping({ target: rateValue(false), duration: duration(0) }), { error: "must be a list of stages ({ target, duration })" })
  .min(1, { error: "must list at least one stage" });

/*
 * start_rate 0, stages [{target 100, duration 10s}, {target 100, duration 20s}, {target 20, duration 10s}],
 * duration 50s (per second):
 *
 *  rate
 *  100 ┤      ┌───────────┐
 *      │     /             \
 *   20 ┤    /               └─────   ← the last target holds until the scenario ends
 *    0 ┼───/───┬───────────┬──┬────▶ t (s)
 *      0      10          30 40   50
 *
 * A stage of duration 0 jumps to its target at once.
 */
export const rampingRate = rateProfile({
  type: "ramping_rate",
  schema: profileFields("ramping_rate", { start_rate: rateValue(false).prefault(0), stages, ...rateFields }).transform(withMaxVus),
  docs: {
    summary: "Open model: the rate moves from `start_rate` through each stage's `target`, linearly over the stage's `duration`.",
    fields: {
      start_rate: { description: "Iterations per `time_unit` at second 0." },
      stages: { description: "The rate's path: each stage moves to its `target` over its `duration`." },
      ...RATE_FIELD_DOCS,
    },
  },
  check(p) {
    const problems = checkRateFields(p);
    if ([p.start_rate, ...p.stages.map((s) => s.target)].every((r) => r === 0)) {
      problems.push({ path: ["stages"], message: "every rate is 0: the profile never starts an iteration" });
    }
    return problems;
  },
  checkIn(p, scenario) {
    const problems = checkRateFrame("ramping_rate", scenario);
    const total = p.stages.reduce((sum, s) => sum + s.duration, 0);
    if (total > scenario.durationMs) {
      const message = `the stages last ${formatDuration(total)}, longer than the scenario's duration (${formatDuration(scenario.durationMs)})`;
      problems.push({ path: ["profile", "stages"], message });
    }
    return problems;
  },
  describe: (p) => `${p.start_rate}→${p.stages.at(-1)?.target} per ${formatDuration(p.time_unit)}, ${p.pre_allocated_vus}..${p.max_vus} VUs`,
  pieces(profile, durationMs) {
    const unit = profile.time_unit;
    const pieces = [];
    let at = 0;
    let rate = perSecond(profile.start_rate, unit);
    for (const stage of profile.stages) {
      const target = perSecond(stage.target, unit);
      if (stage.duration > 0) pieces.push({ startMs: at, endMs: at + stage.duration, from: rate, to: target });
      at += stage.duration;
      rate = target;
    }
    if (at < durationMs) pieces.push({ startMs: at, endMs: durationMs, from: rate, to: rate });
    return pieces;
  },
});
