// Exact shares: split VU counts across agents or workers so the parts always add up to the whole.

/**
 * Integer shares differing by at most one, summing to total. The remainder goes to parts
 * offset, offset+1, … (mod n), so that different scenarios can rotate who gets the extras.
 * When total grows or shrinks by k, only k parts change: the extras are always handed out
 * in the same order, so shares are stable over time and Adjust messages stay few.
 */
export function splitEven(total: number, n: number, offset = 0): number[] {
  if (n <= 0) return [];
  const base = Math.floor(total / n);
  const extra = total - base * n;
  const out = new Array<number>(n).fill(base);
  const start = ((offset % n) + n) % n;
  for (let i = 0; i < extra; i++) out[(start + i) % n]!++;
  return out;
}

/** Largest-remainder split proportional to weights (zero weight → 0); sums to total exactly. */
export function splitWeighted(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (Math.max(0, w) * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).filter((o) => weights[o.i]! > 0);
  order.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]!++;
  return out;
}

/** Per part, per second: splitEven applied to each second of a schedule. */
export function splitSchedule(vus: number[], n: number, offset = 0): number[][] {
  const parts = Array.from({ length: n }, () => new Array<number>(vus.length));
  vus.forEach((total, t) => splitEven(total, n, offset).forEach((share, i) => (parts[i]![t] = share)));
  return parts;
}
