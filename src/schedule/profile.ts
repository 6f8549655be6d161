// The contract every load profile fulfils, in one object per file: its fields (zod), what they must say about
// each other and about the scenario, its reference text, and its math. profiles.ts is the explicit registry.
import { z } from "zod";
import type { RateSegment } from "./rate.ts";

/** A problem a profile finds; `path` from the profile (check) or from the scenario (checkIn). */
export interface ProfileProblem {
  path: (string | number)[];
  message: string;
}

/** What a profile may ask of the scenario it drives. */
export interface ScenarioFrame {
  durationMs: number;
  thinkTimeMs: number;
}

/** The profile's reference text: what it does, and what each field means (README plan reference). */
export interface ProfileDocs {
  summary: string;
  fields: Record<string, { description: string; example?: unknown }>;
}

interface ProfileCommon<T extends string, S extends z.ZodType<{ type: T }>> {
  type: T;
  /** the profile's mapping, `type` included */
  schema: S;
  docs: ProfileDocs;
  /** The load in a few words, for `indus validate`: "5→200 VUs", "50 per 1s, 20..100 VUs". */
  describe(profile: z.output<S>): string;
  /** What the fields say about each other (ramp_up must go up); runs once the profile itself is valid. */
  check?(profile: z.output<S>): ProfileProblem[];
  /** What the fields say about the scenario (a spike ends within it); runs once profile, duration and think_time are valid. */
  checkIn?(profile: z.output<S>, scenario: ScenarioFrame): ProfileProblem[];
}

/** Closed model: a number of VUs at each whole second. */
export interface VuProfileDef<T extends string = string, S extends z.ZodType<{ type: T }> = z.ZodType<{ type: T }>> extends ProfileCommon<T, S> {
  model: "vus";
  /**
   * Target VUs at whole second t (0 ≤ t < durationS) of a scenario lasting durationS seconds.
   * Pure: the same arguments always give the same whole, non-negative number.
   */
  vusAt(profile: z.output<S>, t: number, durationS: number): number;
}

/** Open model: iterations started on a clock, as a rate in straight pieces (iterations/s, ms). */
export interface RateProfileDef<T extends string = string, S extends z.ZodType<{ type: T }> = z.ZodType<{ type: T }>> extends ProfileCommon<T, S> {
  model: "rate";
  pieces(profile: z.output<S>, durationMs: number): Omit<RateSegment, "before">[];
}

export function vuProfile<const T extends string, S extends z.ZodType<{ type: T }>>(def: Omit<VuProfileDef<T, S>, "model">): VuProfileDef<T, S> {
  return { ...def, model: "vus" };
}

export function rateProfile<const T extends string, S extends z.ZodType<{ type: T }>>(def: Omit<RateProfileDef<T, S>, "model">): RateProfileDef<T, S> {
  return { ...def, model: "rate" };
}

/** Milliseconds from the plan to whole seconds, never below one (a 200ms step still lasts a second). */
export function wholeSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** A profile's mapping: `type` as a literal, then its own fields. */
export function profileFields<const T extends string, Shape extends z.core.$ZodLooseShape>(type: T, shape: Shape) {
  return z.strictObject({ type: z.literal(type), ...shape }, { error: "must be a mapping of keys to values" });
}

export const NO_VU = "the profile never runs a VU";
