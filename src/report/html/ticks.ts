// Axis ticks at round values: 1, 2 or 5 times a power of ten for quantities, whole minutes and hours for time.

/** Ticks from 0 covering max, about `target` of them, and the axis top (the last tick). */
export function niceTicks(max: number, target = 5): { ticks: number[]; top: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { ticks: [0, 1], top: 1 };
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(+v.toPrecision(12));
  return { ticks, top };
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Time ticks in seconds from 0 to `end`, at a step a reader counts in. */
export function timeTicks(end: number, target = 8): number[] {
  if (!(end > 0)) return [0];
  const step = TIME_STEPS.find((s) => end / s <= target) ?? Math.ceil(end / target / 86400) * 86400;
  const ticks: number[] = [];
  for (let v = 0; v <= end + 1e-9; v += step) ticks.push(v);
  return ticks;
}
