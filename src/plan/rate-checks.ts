// What the open model asks of a plan: VU bounds, stages within the scenario, and thresholds it can judge.
import { formatDuration } from "../core/duration.ts";
import type { Finding, PathSegment } from "./finding.ts";
import { countOf, isMapping, msOf, numberOf, scenariosOf, type Mapping } from "./raw.ts";

const RATE_TYPES = ["constant_rate", "ramping_rate"];
const OPEN_MODEL_METRICS = ["p50_intended", "p90_intended", "p95_intended", "p99_intended", "mean_intended", "max_intended", "dropped_iterations"];

function isRate(scenario: Mapping): boolean {
  return isMapping(scenario.profile) && RATE_TYPES.includes(String(scenario.profile.type));
}

export function checkRateProfile(scenario: Mapping, at: PathSegment[]): Finding[] {
  const profile = scenario.profile;
  if (!isMapping(profile) || !isRate(scenario)) return [];
  const problems: Finding[] = [];
  const found = (path: PathSegment[], message: string) => problems.push({ path: [...at, ...path], message, at: "value" });
  const pre = countOf(profile.pre_allocated_vus);
  const max = countOf(profile.max_vus);
  if (pre !== undefined && max !== undefined && max < pre) {
    found(["profile", "max_vus"], `must be at least pre_allocated_vus (${pre})`);
  }
  const think = msOf(scenario.think_time);
  if (think !== undefined && think > 0) {
    found(["think_time"], `has no effect with an arrival-rate profile (${String(profile.type)}): iterations start on the clock, not after a pause; remove it`);
  }
  if (profile.type === "ramping_rate" && Array.isArray(profile.stages)) {
    const stages = profile.stages.filter(isMapping);
    const lengths = stages.map((s) => msOf(s.duration));
    const scenarioMs = msOf(scenario.duration);
    if (lengths.every((ms) => ms !== undefined) && scenarioMs !== undefined) {
      const total = lengths.reduce((a: number, ms) => a + ms!, 0);
      if (total > scenarioMs) {
        found(["profile", "stages"], `the stages last ${formatDuration(total)}, longer than the scenario's duration (${formatDuration(scenarioMs)})`);
      }
    }
    const rates = [profile.start_rate ?? 0, ...stages.map((s) => s.target)].map(numberOf);
    if (rates.every((r) => r === 0)) found(["profile", "stages"], "every rate is 0: the profile never starts an iteration");
  }
  return problems;
}

/** Latency from the intended start and dropped iterations exist only where iterations start on a clock. */
export function checkOpenModelThresholds(raw: unknown): Finding[] {
  const thresholds = isMapping(raw) && Array.isArray(raw.thresholds) ? raw.thresholds : [];
  const scenarios = new Map(scenariosOf(raw));
  const anyRate = [...scenarios.values()].some(isRate);
  return thresholds.flatMap((threshold: unknown, index): Finding[] => {
    if (!isMapping(threshold) || !OPEN_MODEL_METRICS.includes(String(threshold.metric))) return [];
    const at = (field: string, message: string): Finding[] => [{ path: ["thresholds", index, field], message, at: "value" }];
    const metric = String(threshold.metric);
    if (typeof threshold.scenario === "string") {
      const scenario = scenarios.get(threshold.scenario);
      if (scenario === undefined || isRate(scenario)) return [];
      const type = isMapping(scenario.profile) ? String(scenario.profile.type) : "?";
      return at("scenario", `${metric} needs an arrival-rate profile (constant_rate, ramping_rate); scenario "${threshold.scenario}" runs ${type}`);
    }
    if (!anyRate && scenarios.size > 0) {
      return at("metric", `${metric} needs a scenario with an arrival-rate profile (constant_rate, ramping_rate); this plan has none`);
    }
    return [];
  });
}
