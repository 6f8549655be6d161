// Thresholds only the open model can judge: latency from the intended start and dropped iterations.
import { PROFILES, PROFILE_TYPES } from "../schedule/index.ts";
import type { Finding } from "./finding.ts";
import { isMapping, scenariosOf, type Mapping } from "./raw.ts";

const RATE_TYPES: string[] = PROFILE_TYPES.filter((type) => PROFILES[type].model === "rate");
const OPEN_MODEL_METRICS = ["p50_intended", "p90_intended", "p95_intended", "p99_intended", "mean_intended", "max_intended", "dropped_iterations"];

function isRate(scenario: Mapping): boolean {
  return isMapping(scenario.profile) && RATE_TYPES.includes(String(scenario.profile.type));
}

/** Latency from the intended start and dropped iterations exist only where iterations start on a clock. */
export function openModelThresholdProblems(raw: unknown): Finding[] {
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
      return at("scenario", `${metric} needs an arrival-rate profile (${RATE_TYPES.join(", ")}); scenario "${threshold.scenario}" runs ${type}`);
    }
    if (!anyRate && scenarios.size > 0) {
      return at("metric", `${metric} needs a scenario with an arrival-rate profile (${RATE_TYPES.join(", ")}); this plan has none`);
    }
    return [];
  });
}
