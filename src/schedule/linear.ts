// Linear interpolation shared by ramp_up and ramp_down.
//
//  end ┤            ●     start_vus at t=0, end_vus exactly at the last second
//      │        ●         (t = durationS-1), rounded to the nearest VU in between
//      │    ●
// start┤●
//      └┬───┬───┬───┬─▶ t (s)
//       0           D-1
export function interpolate(start: number, end: number, t: number, durationS: number): number {
  if (durationS <= 1 || t >= durationS - 1) return end;
  if (t <= 0) return start;
  return Math.round(start + ((end - start) * t) / (durationS - 1));
}
