// Reading the plain YAML value defensively, for checks that run even where zod found problems.
import type { PathSegment } from "./finding.ts";
import { duration, vuCount } from "../core/plan-values.ts";

export type Mapping = Record<string, unknown>;

const anyCount = vuCount(0);
const anyDuration = duration(0);

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The VU count a field holds, if it is a valid one. */
export function countOf(value: unknown): number | undefined {
  const parsed = anyCount.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The milliseconds a field holds, if it is a valid duration. */
export function msOf(value: unknown): number | undefined {
  const parsed = anyDuration.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function numberOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function scenariosOf(raw: unknown): [string, Mapping][] {
  const scenarios = isMapping(raw) ? raw.scenarios : undefined;
  if (!isMapping(scenarios)) return [];
  return Object.entries(scenarios).filter((entry): entry is [string, Mapping] => isMapping(entry[1]));
}

/** Each step mapping with its index. */
export function stepsOf(scenario: Mapping): [number, Mapping][] {
  const steps = Array.isArray(scenario.steps) ? scenario.steps : [];
  return steps.flatMap((s: unknown, i): [number, Mapping][] => (isMapping(s) ? [[i, s]] : []));
}

export type { PathSegment };
