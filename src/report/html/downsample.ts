// Thinning long series for charts: per bucket of seconds keep the lowest and the highest point, in time order,
// so a one-hour run draws in ~600 points and no spike or dip disappears.

export interface Points {
  x: number[];
  /** NaN breaks the line */
  y: number[];
}

export const MAX_POINTS = 600;

export function minMax(x: readonly number[], y: readonly number[], maxPoints = MAX_POINTS): Points {
  if (x.length <= maxPoints) return { x: [...x], y: [...y] };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = x.length / buckets;
  const out: Points = { x: [], y: [] };
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(x.length, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = y[i]!;
      if (Number.isNaN(v)) continue;
      if (lo < 0 || v < y[lo]!) lo = i;
      if (hi < 0 || v > y[hi]!) hi = i;
    }
    if (lo < 0) {
      // a bucket without values stays a gap
      out.x.push(x[from]!);
      out.y.push(NaN);
      continue;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) {
      out.x.push(x[i]!);
      out.y.push(y[i]!);
    }
  }
  return out;
}

/** For stacked series: every column keeps its bucket's maximum at the bucket's middle, so the stack stays aligned. */
export function bucketMax(x: readonly number[], columns: readonly (readonly number[])[], maxPoints = MAX_POINTS): { x: number[]; columns: number[][] } {
  if (x.length <= maxPoints) return { x: [...x], columns: columns.map((c) => [...c]) };
  const size = x.length / maxPoints;
  const outX: number[] = [];
  const out = columns.map(() => [] as number[]);
  for (let b = 0; b < maxPoints; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(x.length, Math.floor((b + 1) * size));
    if (to <= from) continue;
    outX.push(x[Math.floor((from + to - 1) / 2)]!);
    columns.forEach((c, k) => {
      let m = 0;
      for (let i = from; i < to; i++) m = Math.max(m, c[i]!);
      out[k]!.push(m);
    });
  }
  return { x: outX, columns: out };
}

/** One layer of a stack: its column's values on top of the layers below. */
export interface StackedBand {
  name: string;
  color: string;
  x: number[];
  lower: number[];
  upper: number[];
}

/**
 * Per-second counts stacked into bands (first layer at the bottom), thinned together with bucketMax.
 * `thinned` says whether a point stands for several seconds.
 */
export function stackedBands(
  x: readonly number[],
  layers: readonly { name: string; color: string; column: readonly number[] }[],
  maxPoints = MAX_POINTS,
): { bands: StackedBand[]; thinned: boolean } {
  const thin = bucketMax(x, layers.map((l) => l.column), maxPoints);
  const bands: StackedBand[] = [];
  let lower = thin.x.map(() => 0);
  layers.forEach((layer, k) => {
    const upper = lower.map((v, i) => v + thin.columns[k]![i]!);
    bands.push({ name: layer.name, color: layer.color, x: thin.x, lower, upper });
    lower = upper;
  });
  return { bands, thinned: thin.x.length < x.length };
}
