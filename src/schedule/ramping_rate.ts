// ramping_rate: from start_rate, each stage moves the rate linearly to its target; the last target holds to the end.
import { perSecond, type RateProfileMath } from "./rate.ts";

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
export const rampingRate = {
  pieces: (profile, durationMs) => {
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
} satisfies RateProfileMath<"ramping_rate">;
