// What both arrival-rate profiles take besides their rate: the time unit, the VUs that run the arrivals, lateness.
import { duration, vuCount } from "../core/plan-values.ts";
import type { ProfileDocs, ProfileProblem, ScenarioFrame } from "./profile.ts";

export const rateFields = {
  time_unit: duration(1).prefault("1s"),
  pre_allocated_vus: vuCount(0),
  max_vus: vuCount(1).optional(),
  max_lateness: duration(0).prefault("0"),
};

export const RATE_FIELD_DOCS: ProfileDocs["fields"] = {
  time_unit: { description: "The period the rates count iterations in." },
  pre_allocated_vus: { description: "VUs made ready before the first arrival.", example: 20 },
  max_vus: {
    description: "VUs never exceed this (unset: `pre_allocated_vus`). An arrival that finds no free VU is dropped and counted in `dropped_iterations`.",
    example: 100,
  },
  max_lateness: { description: "How long an arrival may wait for a busy VU once `max_vus` run; 0 drops it at once." },
};

/** max_vus defaults to pre_allocated_vus, as in k6. */
export function withMaxVus<P extends { pre_allocated_vus: number; max_vus?: number | undefined }>(p: P): P & { max_vus: number } {
  return { ...p, max_vus: p.max_vus ?? p.pre_allocated_vus };
}

export function checkRateFields(p: { pre_allocated_vus: number; max_vus: number }): ProfileProblem[] {
  return p.max_vus < p.pre_allocated_vus ? [{ path: ["max_vus"], message: `must be at least pre_allocated_vus (${p.pre_allocated_vus})` }] : [];
}

/** An arrival-rate scenario starts iterations on the clock: a pause after each one means nothing. */
export function checkRateFrame(type: string, scenario: ScenarioFrame): ProfileProblem[] {
  if (scenario.thinkTimeMs <= 0) return [];
  return [{ path: ["think_time"], message: `has no effect with an arrival-rate profile (${type}): iterations start on the clock, not after a pause; remove it` }];
}
