// Exact shares of VUs across agents: whole numbers that always add up to the total.

/*
 * splitEven gives part i (rank r = (i - offset) mod n) the share floor((total + n-1-r) / n).
 * As total grows by one, exactly one of those floors steps up — the part of the next rank
 * in the rotation — so a change of Δ in the schedule changes at most |Δ| parts' shares,
 * and the controller sends Adjust only to those agents:
 *
 *   total  7  8  9  10  11        (n = 3, offset = 0)
 *   part0  3  3  3   4   4
 *   part1  2  3  3   3   4
 *   part2  2  2  3   3   3
 */

/** Splits total into n whole shares that differ by at most one; extras go to parts offset, offset+1, … (mod n). */
export function splitEven(total: number, n: number, offset = 0): number[] {
  assertWhole("total", total);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`cannot split into ${n} parts`);
  assertInteger("offset", offset);
  return Array.from({ length: n }, (_, i) => Math.floor((total + n - 1 - rank(i, n, offset)) / n));
}

/**
 * Splits total in proportion to weights by largest remainder: exact sum, a zero weight gets 0,
 * ties go to the earlier part. Not stable over time (a total one higher can move more than one part);
 * use splitEven for shares that follow a schedule.
 */
export function splitWeighted(total: number, weights: readonly number[]): number[] {
  assertWhole("total", total);
  for (const w of weights) if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${w} is not a finite number ≥ 0`);
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError(`cannot split ${total} by weights that are all zero`);
  }
  const quotas = weights.map((w) => (total * w) / sum);
  const shares = quotas.map(Math.floor);
  const order = weights
    .map((w, i) => ({ i, remainder: quotas[i]! - shares[i]!, w }))
    .filter((p) => p.w > 0)
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  // Float quotas can leave the floors a unit off in either direction; walk the remainders until exact.
  let missing = total - shares.reduce((a, s) => a + s, 0);
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) shares[order[k]!.i]! += 1;
  for (let k = order.length - 1; missing < 0; k = (k - 1 + order.length) % order.length) {
    const i = order[k]!.i;
    if (shares[i]! > 0) {
      shares[i]! -= 1;
      missing++;
    }
  }
  return shares;
}

/** Splits a schedule (VUs per second) into n parts: result[part][second], each second adding up exactly. */
export function splitSchedule(vus: readonly number[], n: number, offset = 0): number[][] {
  const perSecond = vus.map((total) => splitEven(total, n, offset));
  return Array.from({ length: n }, (_, part) => perSecond.map((shares) => shares[part]!));
}

function rank(i: number, n: number, offset: number): number {
  return (((i - offset) % n) + n) % n;
}

function assertWhole(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} ${value} is not a whole number ≥ 0`);
}

function assertInteger(name: string, value: number): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} ${value} is not an integer`);
}
