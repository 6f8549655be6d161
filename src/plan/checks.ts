// What one part of a plan says about another: ramp directions, spike windows, step names, threshold scopes.
// These read the plain YAML value defensively, so they run (and report) even when zod found other problems.

import { formatDuration } from "../core/duration.ts";
import type { Finding, PathSegment } from "./finding.ts";
import { duration, vuCount } from "./schema.ts";
import { checkJourney } from "./journey-checks.ts";
import { checkOpenModelThresholds, checkRateProfile } from "./rate-checks.ts";
import { didYouMean } from "./suggest.ts";

type Mapping = Record<string, unknown>;

const anyCount = vuCount(0);
const anyDuration = duration(0);

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The VU count a field holds, if it is a valid one. */
function countOf(value: unknown): number | undefined {
  const parsed = anyCount.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The milliseconds a field holds, if it is a valid duration. */
function msOf(value: unknown): number | undefined {
  const parsed = anyDuration.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function scenariosOf(raw: unknown): [string, Mapping][] {
  const scenarios = isMapping(raw) ? raw.scenarios : undefined;
  if (!isMapping(scenarios)) return [];
  return Object.entries(scenarios).filter((entry): entry is [string, Mapping] => isMapping(entry[1]));
}

function stepNamesOf(scenario: Mapping): string[] {
  const steps = Array.isArray(scenario.steps) ? scenario.steps : [];
  return steps.flatMap((s: unknown) => (isMapping(s) && typeof s.name === "string" ? [s.name] : []));
}

export function checkPlan(raw: unknown): Finding[] {
  return [
    ...scenariosOf(raw).flatMap(([name, scenario]) => [
      ...checkProfile(scenario, ["scenarios", name, "profile"]),
      ...checkStepNames(scenario, ["scenarios", name, "steps"]),
      ...checkStepsOrScript(scenario, ["scenarios", name]),
      ...checkRateProfile(scenario, ["scenarios", name]),
      ...checkJourney(scenario, ["scenarios", name]),
    ]),
    ...checkThresholds(raw),
    ...checkOpenModelThresholds(raw),
  ];
}

const NO_VU = "the profile never runs a VU";

function checkProfile(scenario: Mapping, at: PathSegment[]): Finding[] {
  const profile = scenario.profile;
  if (!isMapping(profile)) return [];
  const found = (field: string, message: string): Finding[] => [{ path: [...at, field], message, at: "value" }];
  const scenarioMs = msOf(scenario.duration);
  switch (profile.type) {
    case "ramp_up": {
      const start = countOf(profile.start_vus);
      const end = countOf(profile.end_vus);
      if (start === undefined || end === undefined) return [];
      if (end < start) return found("end_vus", `must be at least start_vus (${start}) for ramp_up; to go down use ramp_down`);
      if (end === 0) return found("end_vus", `must be at least 1: ${NO_VU}`);
      return [];
    }
    case "ramp_down": {
      const start = countOf(profile.start_vus);
      const end = countOf(profile.end_vus);
      if (start === undefined || end === undefined) return [];
      if (end > start) return found("end_vus", `must be at most start_vus (${start}) for ramp_down; to go up use ramp_up`);
      if (start === 0) return found("start_vus", `must be at least 1: ${NO_VU}`);
      return [];
    }
    case "step": {
      const start = countOf(profile.start_vus);
      const add = countOf(profile.step_vus);
      const every = msOf(profile.step_duration);
      if (start !== 0 || add === undefined) return [];
      if (add === 0) return found("step_vus", `must be at least 1 when start_vus is 0: ${NO_VU}`);
      if (every !== undefined && scenarioMs !== undefined && every >= scenarioMs) {
        return found(
          "step_duration",
          `must be shorter than the scenario's duration (${formatDuration(scenarioMs)}) when start_vus is 0: ${NO_VU}`,
        );
      }
      return [];
    }
    case "spike": {
      const problems: Finding[] = [];
      if (countOf(profile.base_vus) === 0 && countOf(profile.spike_vus) === 0) {
        problems.push(...found("spike_vus", `must be at least 1: ${NO_VU}`));
      }
      const from = msOf(profile.spike_at);
      const length = msOf(profile.spike_duration);
      if (scenarioMs === undefined || from === undefined) return problems;
      const total = formatDuration(scenarioMs);
      if (from >= scenarioMs) {
        problems.push(...found("spike_at", `must be before the end of the scenario (duration ${total})`));
      } else if (length !== undefined && from + length > scenarioMs) {
        problems.push(
          ...found(
            "spike_duration",
            `the spike (${formatDuration(from)} to ${formatDuration(from + length)}) must end within the scenario's duration (${total})`,
          ),
        );
      }
      return problems;
    }
    default:
      return [];
  }
}

function checkStepsOrScript(scenario: Mapping, at: PathSegment[]): Finding[] {
  if (scenario.steps !== undefined || scenario.script !== undefined) return [];
  return [{ path: at, message: "needs steps (a list of requests), or a script (script: ./flows/x.ts)", at: "key" }];
}

function checkStepNames(scenario: Mapping, at: PathSegment[]): Finding[] {
  if (!Array.isArray(scenario.steps)) return [];
  const firstIndex = new Map<string, number>();
  const problems: Finding[] = [];
  scenario.steps.forEach((step: unknown, index) => {
    if (!isMapping(step) || typeof step.name !== "string") return;
    const earlier = firstIndex.get(step.name);
    if (earlier === undefined) firstIndex.set(step.name, index);
    else problems.push({ path: [...at, index, "name"], message: `duplicate step name "${step.name}" (also steps[${earlier}])`, at: "value" });
  });
  return problems;
}

function checkThresholds(raw: unknown): Finding[] {
  const thresholds = isMapping(raw) && Array.isArray(raw.thresholds) ? raw.thresholds : [];
  const scenarios = new Map(scenariosOf(raw));
  const allStepNames = [...new Set([...scenarios.values()].flatMap(stepNamesOf))];
  return thresholds.flatMap((threshold: unknown, index): Finding[] => {
    if (!isMapping(threshold)) return [];
    const at = (field: string, message: string): Finding => ({ path: ["thresholds", index, field], message, at: "value" });
    const problems: Finding[] = [];
    const { scenario: scenarioName, step: stepName, metric, value } = threshold;
    if ((metric === "error_ratio" || metric === "generator_saturation" || metric === "checks") && typeof value === "number" && value > 1) {
      problems.push(at("value", `must be a ratio between 0 and 1 for ${metric} (0.01 means 1%)`));
    }
    if (metric === "generator_saturation" && (scenarioName !== undefined || stepName !== undefined)) {
      problems.push(at(scenarioName !== undefined ? "scenario" : "step", "generator_saturation is run-wide: the load generator serves every scenario, so it takes no scenario or step"));
    }
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

function listed(what: string, names: readonly string[]): string {
  return names.length === 0 ? "" : ` (${what}: ${names.join(", ")})`;
}
