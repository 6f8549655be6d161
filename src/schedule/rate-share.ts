// Exact shares of an arrival sequence: part i of n takes arrivals i, i+n, i+2n, … so the parts interleave.

/*
 * Arrival k of the whole sequence goes to the part with k ≡ offset (mod stride). Shares compose:
 * agent a of A takes (a, A); worker w of W inside it takes (a + w·A, A·W). The union of every
 * part's arrivals is the single-process sequence, each arrival exactly once, and at a constant
 * rate each part runs at rate/n, phase-shifted by offset·period.
 *
 *   k:        0  1  2  3  4  5  6  7  8 …
 *   agent 0:  ●     ●     ●     ●     ●        (0, 2)
 *   agent 1:     ●     ●     ●     ●           (1, 2)
 *     worker 0 of agent 1:  ●           ●      (1, 4)
 *     worker 1 of agent 1:        ●            (3, 4)
 */
export interface RateShare {
  offset: number;
  stride: number;
  /** arrivals before this index are not this share's (a share handed over mid-run starts here) */
  from: number;
}

/** The share of part i of n. */
export function rateShare(i: number, n: number, from = 0): RateShare {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`cannot split arrivals into ${n} parts`);
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`part ${i} is not one of ${n}`);
  return { offset: i, stride: n, from };
}

/** Part i of n of a share: the share split again (an agent's share across its workers). */
export function subShare(share: RateShare, i: number, n: number): RateShare {
  const inner = rateShare(i, n);
  return { offset: share.offset + inner.offset * share.stride, stride: share.stride * n, from: share.from };
}

/** The first arrival index of the share at or after k. */
export function firstArrival(share: RateShare, k: number): number {
  const start = Math.max(k, share.from);
  const rem = (((start - share.offset) % share.stride) + share.stride) % share.stride;
  return rem === 0 ? start : start + share.stride - rem;
}

/** How many of the arrivals [0, total) are the share's. */
export function shareCount(share: RateShare, total: number): number {
  const first = firstArrival(share, 0);
  return first >= total ? 0 : Math.floor((total - 1 - first) / share.stride) + 1;
}
