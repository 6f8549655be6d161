// What one part of a plan says about another part elsewhere: threshold scopes name real scenarios and steps, and
// templates name variables that exist. These read the plain YAML value, so they report even when zod found
// problems in other parts. (What a profile says about itself and its scenario is checked by zod, from the
// profile registry; duplicate step names by the steps' schema.)

import type { Finding } from "./finding.ts";
import { openModelThresholdProblems } from "./open-model-problems.ts";
import { templateProblems } from "./template-problems.ts";
import { isMapping, scenariosOf, type Mapping } from "./raw.ts";
import { didYouMean } from "./suggest.ts";

function stepNamesOf(scenario: Mapping): string[] {
  const steps = Array.isArray(scenario.steps) ? scenario.steps : [];
  return steps.flatMap((s: unknown) => (isMapping(s) && typeof s.name === "string" ? [s.name] : []));
}

/** What the plan says about itself across its parts, found in the plain YAML value. */
export function inconsistencies(raw: unknown): Finding[] {
  return [
    ...scenariosOf(raw).flatMap(([name, scenario]) => [...templateProblems(scenario, ["scenarios", name]), ...stepsOrScript(scenario, ["scenarios", name])]),
    ...thresholdScopeProblems(raw),
    ...thresholdTagProblems(raw),
    ...openModelThresholdProblems(raw),
  ];
}

/** A scenario runs requests: a list of steps, or a script (or both). */
function stepsOrScript(scenario: Mapping, at: Finding["path"]): Finding[] {
  if (scenario.steps !== undefined || scenario.script !== undefined) return [];
  return [{ path: at, message: "needs steps (a list of requests), or a script (script: ./flows/x.ts)", at: "key" }];
}

function thresholdScopeProblems(raw: unknown): Finding[] {
  const thresholds = isMapping(raw) && Array.isArray(raw.thresholds) ? raw.thresholds : [];
  const scenarios = new Map(scenariosOf(raw));
  const allStepNames = [...new Set([...scenarios.values()].flatMap(stepNamesOf))];
  return thresholds.flatMap((threshold: unknown, index): Finding[] => {
    if (!isMapping(threshold)) return [];
    const at = (field: string, message: string): Finding => ({ path: ["thresholds", index, field], message, at: "value" });
    const problems: Finding[] = [];
    const { scenario: scenarioName, step: stepName } = threshold;
    if (typeof scenarioName === "string" && scenarioName !== "") {
      const scenario = scenarios.get(scenarioName);
      if (scenario === undefined) {
        const names = [...scenarios.keys()];
        problems.push(at("scenario", `no scenario named "${scenarioName}" in this plan` + (didYouMean(scenarioName, names) || listed("scenarios", names))));
      } else if (typeof stepName === "string" && stepName !== "" && scenario.script === undefined) {
        // a script names its steps as it runs: they cannot be checked here
        const names = stepNamesOf(scenario);
        if (!names.includes(stepName)) {
          problems.push(at("step", `scenario "${scenarioName}" has no step named "${stepName}"` + (didYouMean(stepName, names) || listed("steps", names))));
        }
      }
    } else if (scenarioName === undefined && typeof stepName === "string" && stepName !== "" && !allStepNames.includes(stepName) && ![...scenarios.values()].some((sc) => sc.script !== undefined)) {
      problems.push(at("step", `no step named "${stepName}" in any scenario` + (didYouMean(stepName, allStepNames) || listed("steps", allStepNames))));
    }
    return problems;
  });
}

/** The tag keys a plan names: scenario and step tags, and the data columns it tags by. */
function tagKeysOf(raw: unknown): string[] {
  const keys = new Set<string>();
  const addKeys = (tags: unknown) => {
    if (isMapping(tags)) for (const k of Object.keys(tags)) keys.add(k);
  };
  for (const [, scenario] of scenariosOf(raw)) {
    addKeys(scenario.tags);
    for (const step of Array.isArray(scenario.steps) ? scenario.steps : []) if (isMapping(step)) addKeys(step.tags);
    const data = scenario.data;
    if (isMapping(data) && Array.isArray(data.tags)) for (const k of data.tags) if (typeof k === "string") keys.add(k);
  }
  return [...keys];
}

/** A threshold's tags must be tags some request carries: otherwise it could only ever judge "no data". */
function thresholdTagProblems(raw: unknown): Finding[] {
  const thresholds = isMapping(raw) && Array.isArray(raw.thresholds) ? raw.thresholds : [];
  const known = tagKeysOf(raw);
  return thresholds.flatMap((threshold: unknown, index): Finding[] => {
    if (!isMapping(threshold) || !isMapping(threshold.tags)) return [];
    return Object.keys(threshold.tags)
      .filter((k) => !known.includes(k))
      .map((k): Finding => ({
        path: ["thresholds", index, "tags", k],
        message: `no request carries the tag "${k}": no scenario, step or data.tags names it` + (didYouMean(k, known) || listed("tags", known)),
        at: "key",
      }));
  });
}

function listed(what: string, names: readonly string[]): string {
  return names.length === 0 ? "" : ` (${what}: ${names.join(", ")})`;
}
