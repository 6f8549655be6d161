// Reading the plain YAML value defensively, for the cross-part checks that run even where zod found problems.
import type { PathSegment } from "./finding.ts";

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === "object" && !Array.isArray(value);
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
