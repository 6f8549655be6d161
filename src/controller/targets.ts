// Per second, per scenario, per agent: how many VUs each agent should run (exact shares of the schedule).
import type { Scenario } from "../plan/types.ts";
import { scenarioSchedule, splitEven } from "../schedule/index.ts";

export interface TargetPlan {
  /** total seconds of the run: the longest scenario */
  seconds: number;
  /** targets(second, agentCount) → per agent, per scenario VUs */
  at(second: number, agentCount: number): Record<string, number>[];
}

export function planTargets(scenarios: Scenario[]): TargetPlan {
  const schedules = scenarios.map((sc) => ({ name: sc.name, vus: scenarioSchedule(sc) }));
  const seconds = Math.max(...schedules.map((s) => s.vus.length));
  return {
    seconds,
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
