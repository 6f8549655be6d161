// Seeded randomness for the mock: repeatable error decisions and latencies that vary like real ones.

/** Uniform draws in [0, 1) from mulberry32: tiny, fast, and the same sequence for the same seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Latency draws: normally distributed around the mean with `jitter` as standard deviation,
 * clamped at 0 (a response cannot come back before it was asked for).
 * With no jitter every draw is the mean and no random number is spent.
 */
export function createLatencySampler(mean: number, jitter: number, random: () => number): () => number {
  if (jitter === 0) return () => mean;
  return () => {
    // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const u1 = 1 - random();
    const u2 = random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(0, mean + jitter * z);
  };
}
