// Per second, per scenario, per agent: how many VUs each agent should run, or which arrivals it starts (exact shares).
import type { Scenario } from "../plan/types.ts";
import type { RateAssignment } from "../engine/runner/rate-assignment.ts";
import { isRateProfile } from "../plan/types.ts";
import { arrivalsBefore, rateShare, scenarioRates, scenarioSchedule, splitEven } from "../schedule/index.ts";

export interface TargetPlan {
  /** total seconds of the run: the longest scenario */
  seconds: number;
  /** targets(second, agentCount) → per agent, per scenario VUs */
  at(second: number, agentCount: number): Record<string, number>[];
  /**
   * Arrival-rate scenarios: per agent, its share of the arrivals from `second` on (agent i of n takes
   * every n-th, starting with the i-th) and its part of the VU bounds; [] when the plan has none.
   */
  rates(second: number, agentCount: number): Record<string, RateAssignment>[];
}

export function planTargets(scenarios: Scenario[]): TargetPlan {
  const schedules = scenarios.map((sc) => ({ name: sc.name, vus: scenarioSchedule(sc) }));
  const seconds = Math.max(...schedules.map((s) => s.vus.length));
  const rateScenarios = scenarios.flatMap((sc, index) =>
    isRateProfile(sc.profile) ? [{ name: sc.name, index, profile: sc.profile, schedule: scenarioRates(sc.profile, sc.duration) }] : [],
  );
  return {
    seconds,
    rates(second, agentCount) {
      if (rateScenarios.length === 0) return [];
      const perAgent: Record<string, RateAssignment>[] = Array.from({ length: agentCount }, () => ({}));
      for (const sc of rateScenarios) {
        // arrivals due before now were another set of agents' to run
        const from = arrivalsBefore(sc.schedule, second * 1000);
        const pre = splitEven(sc.profile.pre_allocated_vus, agentCount, sc.index);
        const max = splitEven(Math.max(sc.profile.max_vus, agentCount), agentCount, sc.index);
        for (let a = 0; a < agentCount; a++) {
          perAgent[a]![sc.name] = { ...rateShare(a, agentCount, from), preAllocatedVus: pre[a]!, maxVus: max[a]! };
        }
      }
      return perAgent;
    },
    at(second, agentCount) {
      const perAgent: Record<string, number>[] = Array.from({ length: agentCount }, () => ({}));
      schedules.forEach((s, i) => {
        const total = second < s.vus.length ? s.vus[second]! : 0;
        // offset by scenario index so remainders do not all land on the first agent
        splitEven(total, agentCount, i).forEach((share, a) => (perAgent[a]![s.name] = share));
      });
      return perAgent;
    },
  };
}
