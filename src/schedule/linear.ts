// Linear interpolation shared by ramp_up and ramp_down: start_vus at t=0, end_vus at the last second.

/*
 * VUs
 *  end_vus ┤                    ●   ← reached exactly at t = durationS-1
 *          │               ●
 *          │          ●
 *          │     ●
 * start_vus┤●                      each second rounded to the nearest whole VU
 *          └┬────┬────┬────┬────┬─▶ t (s)
 *           0                durationS-1
 *
 * With durationS = 1 there is no ramp to walk: the single second is end_vus.
 */
export function interpolate(startVus: number, endVus: number, t: number, durationS: number): number {
  const last = durationS - 1;
  if (last <= 0 || t >= last) return endVus;
  if (t <= 0) return startVus;
  // Integer numerator over integer denominator: round half up without float drift.
  const numerator = startVus * last + (endVus - startVus) * t;
  return Math.floor((2 * numerator + last) / (2 * last));
}
