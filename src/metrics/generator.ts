// Load-generator health: how busy the generator itself was, and the rule that calls it saturated (pure).

/** One agent's generator over one interval (about a second): its busiest worker. */
export interface GeneratorHealth {
  /** worst event-loop lag (timer drift) of any worker, ms */
  lagMs: number;
  /** CPU of the busiest worker thread, % of one core */
  cpuPct: number;
  /** over the limits for SATURATION.seconds consecutive seconds, on at least one worker */
  saturated: boolean;
}

/** A generator is saturated when CPU > 90% (a worker thread of one core, or its process of the cores it may use) or lag > 50 ms for 3 consecutive seconds. */
export const SATURATION = { cpuPct: 90, lagMs: 50, seconds: 3 } as const;

/** Per agent id. Executors report under LOCAL_GENERATOR; the agent names it before sending. */
export type GeneratorByAgent = Record<string, GeneratorHealth>;

/** The key an executor reports its own health under, before an agent gives it its id. */
export const LOCAL_GENERATOR = "";

/** One measured interval of one worker. */
export interface GeneratorSample {
  cpuPct: number;
  lagMs: number;
  /** how long the interval lasted, ms (a blocked loop makes one interval of several seconds) */
  intervalMs: number;
}

export function overLimits(s: Pick<GeneratorSample, "cpuPct" | "lagMs">): boolean {
  return s.cpuPct > SATURATION.cpuPct || s.lagMs > SATURATION.lagMs;
}

/**
 * The saturation rule as a fold: `streak` is the consecutive seconds over the limits so far.
 * An interval (about a second: one per heartbeat) counts as one second, or as several when the
 * loop was blocked for that long (a loop stuck 3 s in one go is saturated at once); one lag spike
 * in a long interval still counts once. Any interval within the limits resets the streak.
 */
export function nextStreak(streak: number, s: GeneratorSample): number {
  if (!overLimits(s)) return 0;
  return streak + Math.max(1, Math.round(Math.min(s.intervalMs, s.lagMs) / 1000));
}

export function saturatedAfter(streak: number): boolean {
  return streak >= SATURATION.seconds;
}

/** Which intervals of a series are saturated: the rule applied in order. */
export function saturationSeries(samples: readonly GeneratorSample[]): boolean[] {
  let streak = 0;
  return samples.map((s) => saturatedAfter((streak = nextStreak(streak, s))));
}

/** Worst of both: max lag, max CPU, saturated if either is (coalescing intervals, or workers of one agent). */
export function worstOf(a: GeneratorHealth, b: GeneratorHealth): GeneratorHealth {
  return { lagMs: Math.max(a.lagMs, b.lagMs), cpuPct: Math.max(a.cpuPct, b.cpuPct), saturated: a.saturated || b.saturated };
}

/** Merges `from` into `into`, agent by agent, keeping the worst. */
export function mergeGenerators(into: GeneratorByAgent, from: GeneratorByAgent | undefined): GeneratorByAgent {
  if (from) for (const [agent, h] of Object.entries(from)) into[agent] = into[agent] ? worstOf(into[agent]!, h) : { ...h };
  return into;
}

/** The same health under one name (an agent naming what its executor reported). */
export function renameGenerators(g: GeneratorByAgent | undefined, agent: string): GeneratorByAgent | undefined {
  if (!g) return undefined;
  let merged: GeneratorHealth | undefined;
  for (const h of Object.values(g)) merged = merged ? worstOf(merged, h) : { ...h };
  return merged ? { [agent]: merged } : undefined;
}

/** Saturated agents of one second, worst first. */
export function saturatedAgents(g: GeneratorByAgent | undefined): Array<GeneratorHealth & { agent: string }> {
  return Object.entries(g ?? {})
    .filter(([, h]) => h.saturated)
    .map(([agent, h]) => ({ agent, ...h }))
    .sort((a, b) => b.cpuPct - a.cpuPct || b.lagMs - a.lagMs);
}

/** What the whole run saw, from its per-second generator records. */
export interface GeneratorSummary {
  /** seconds that carried generator health */
  seconds: number;
  /** seconds in which at least one agent was saturated */
  saturatedSeconds: number;
  /** per agent: its worst second, and how many of its seconds were saturated */
  agents: Record<string, GeneratorHealth & { saturatedSeconds: number }>;
}

export function summarizeGenerators(seconds: ReadonlyArray<GeneratorByAgent | undefined>): GeneratorSummary {
  const out: GeneratorSummary = { seconds: 0, saturatedSeconds: 0, agents: {} };
  for (const g of seconds) {
    if (!g || Object.keys(g).length === 0) continue;
    out.seconds++;
    let any = false;
    for (const [agent, h] of Object.entries(g)) {
      const a = (out.agents[agent] ??= { lagMs: 0, cpuPct: 0, saturated: false, saturatedSeconds: 0 });
      Object.assign(a, worstOf(a, h));
      if (h.saturated) {
        a.saturatedSeconds++;
        any = true;
      }
    }
    if (any) out.saturatedSeconds++;
  }
  return out;
}

/** generator_saturation: the fraction of measured seconds with a saturated generator; NaN when none was measured. */
export function saturationFraction(summary: GeneratorSummary): number {
  return summary.seconds > 0 ? summary.saturatedSeconds / summary.seconds : Number.NaN;
}

/**
 * "⚠ generator saturated on agent-1 (cpu 97%, lag 120 ms): latencies are inflated by the load generator itself".
 * `during` adds how long, for the verdict: "for 12 of 30 s".
 */
export function formatSaturationWarning(agents: ReadonlyArray<GeneratorHealth & { agent: string }>, during?: { saturated: number; of: number }): string {
  const who = agents.map((a) => `${a.agent} (cpu ${Math.round(a.cpuPct)}%, lag ${Math.round(a.lagMs)} ms)`).join(", ");
  const when = during ? ` for ${during.saturated} of ${during.of} s` : "";
  return `⚠ generator saturated on ${who}${when}: latencies are inflated by the load generator itself`;
}
