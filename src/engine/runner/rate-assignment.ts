// What an arrival-rate scenario's part needs to run: which arrivals are its own, and its VU bounds.
import { splitEven, subShare, type RateShare } from "../../schedule/index.ts";

export interface RateAssignment extends RateShare {
  /** VUs made ready before the first arrival */
  preAllocatedVus: number;
  /** VUs this part never exceeds */
  maxVus: number;
}

/** Part i of n of an assignment: the arrivals split again, the VU bounds shared out exactly. */
export function splitAssignment(a: RateAssignment, n: number): RateAssignment[] {
  const pre = splitEven(a.preAllocatedVus, n);
  // every part with arrivals needs at least one VU to run them
  const max = splitEven(Math.max(a.maxVus, n), n);
  return Array.from({ length: n }, (_, i) => ({ ...subShare(a, i, n), preAllocatedVus: pre[i]!, maxVus: max[i]! }));
}
