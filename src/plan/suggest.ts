// "Did you mean": the closest known word to a misspelt one, by edit distance.

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** How far a word may be from a known one and still be taken for a typo of it. */
function tolerance(word: string): number {
  return Math.max(1, Math.floor(word.length / 4));
}

const letters = (word: string): string => [...word].sort().join("");

const KEY_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/** Same length, and every letter that differs was typed with the key beside the right one ("p96" for "p95"). */
function slipOfTheFinger(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const row = KEY_ROWS.find((r) => r.includes(a[i]!) && r.includes(b[i]!));
    if (row === undefined || Math.abs(row.indexOf(a[i]!) - row.indexOf(b[i]!)) !== 1) return false;
  }
  return true;
}

/**
 * The known word closest to `word` (ignoring case), if it is close enough to be a typo. On a tie the
 * one with the same letters wins ("p59" → "p95", not "p50"), then one a neighbouring key away ("p96" →
 * "p95", not "p90"), then the first.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w === "") return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const distance = editDistance(w, c);
    if (distance > tolerance(candidate)) continue;
    const score = distance - (letters(c) === letters(w) ? 0.5 : 0) - (slipOfTheFinger(w, c) ? 0.25 : 0);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or "" when nothing known is close. */
export function didYouMean(word: string, known: readonly string[]): string {
  const match = closest(word, known);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
