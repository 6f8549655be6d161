// What a client costs per request once running, and what it costs once per run, from a short and a long run of the
// same load in the same round: the long run's extra CPU over its extra requests is the steady cost per request; what
// the short run spent beyond that is the fixed cost (start-up, compiling, shut-down). Pure: the bench measures, this divides.
import { median } from "./tools.ts";

/** One client run: how long it was asked to last, what it completed and what it spent. */
export interface SteadyRun {
  tool: string;
  round: number;
  seconds: number;
  requests: number;
  /** user + system CPU of the whole run, µs */
  cpuUs: number;
}

export interface SteadyCost {
  tool: string;
  /** rounds that had both a short and a long run */
  rounds: number;
  shortSeconds: number;
  longSeconds: number;
  /** CPU per request once running, µs: (cpu long − cpu short) ÷ (requests long − requests short), median of the rounds */
  steadyUsPerRequest: number;
  /** CPU spent once per run, ms: the short run's CPU less its requests at the steady cost, median of the rounds */
  fixedMs: number;
  /** the long runs' requests per second (median), to say what a run of any length costs at this rate */
  rps: number;
}

/** One SteadyCost per tool that has, in some round, runs of two different lengths with different request counts. */
export function steadyCosts(runs: readonly SteadyRun[]): SteadyCost[] {
  const tools = [...new Set(runs.map((r) => r.tool))];
  const out: SteadyCost[] = [];
  for (const tool of tools) {
    const mine = runs.filter((r) => r.tool === tool);
    const lengths = [...new Set(mine.map((r) => r.seconds))].sort((a, b) => a - b);
    if (lengths.length < 2) continue;
    const shortSeconds = lengths[0]!;
    const longSeconds = lengths[lengths.length - 1]!;
    const perRequest: number[] = [];
    const fixed: number[] = [];
    const rps: number[] = [];
    for (const round of new Set(mine.map((r) => r.round))) {
      const short = mine.find((r) => r.round === round && r.seconds === shortSeconds);
      const long = mine.find((r) => r.round === round && r.seconds === longSeconds);
      if (!short || !long || long.requests <= short.requests) continue;
      const us = (long.cpuUs - short.cpuUs) / (long.requests - short.requests);
      perRequest.push(us);
      fixed.push((short.cpuUs - us * short.requests) / 1000);
      rps.push(long.requests / long.seconds);
    }
    if (perRequest.length === 0) continue;
    out.push({ tool, rounds: perRequest.length, shortSeconds, longSeconds, steadyUsPerRequest: median(perRequest), fixedMs: median(fixed), rps: median(rps) });
  }
  return out;
}

/** What a run of a steady case has after its tool in its label: " 3 s". */
export function lengthSuffix(seconds: number): string {
  return ` ${seconds} s`;
}

/** In a case whose runs have two lengths, `peer`'s row of the same length as `row` (labels end in lengthSuffix). */
export function sameLengthRow<T extends { tool: string; label: string }>(rows: readonly T[], row: T, peer: string): T | undefined {
  const suffix = row.label.slice(row.tool.length);
  return rows.find((r) => r.tool === peer && r.label.slice(r.tool.length) === suffix);
}

/** CPU of a whole run of `seconds` at the cost's rate, ms: the fixed cost plus every request at the steady cost. */
export function runCostMs(cost: SteadyCost, seconds: number): number {
  return cost.fixedMs + (cost.steadyUsPerRequest * cost.rps * seconds) / 1000;
}
