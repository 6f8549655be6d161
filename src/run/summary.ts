// The end-of-run summary: global, per scenario and per step stats from the cumulative merge.
import type { SnapshotAccumulator } from "../metrics/accumulator.ts";
import { statsOf } from "../metrics/stats-of.ts";
import { createHistogram } from "../metrics/hdr.ts";
import { emptyCounters } from "../metrics/snapshot.ts";
import type { RunSummary, StepSummary } from "./types.ts";
import type { Stats } from "../metrics/stats.ts";
import type { Plan } from "../plan/types.ts";

export function summarize(plan: Plan, cumulative: SnapshotAccumulator, elapsedS: number): RunSummary {
  const seconds = Math.max(elapsedS, 1e-9);
  const empty = (s: number): Stats => statsOf(emptyCounters(), createHistogram(), 0, s);
  return {
    global: cumulative.stats({}, seconds) ?? empty(seconds),
    scenarios: plan.scenarios.map((sc) => {
      const scSeconds = Math.max(Math.min(seconds, Math.ceil(sc.duration / 1000)), 1e-9);
      return {
        name: sc.name,
        stats: cumulative.stats({ scenario: sc.name }, scSeconds) ?? empty(scSeconds),
        // a script names its steps as it runs: they are the ones the agents reported
        steps: (sc.script ? [...new Set([...cumulative.stepNames(sc.name), ...sc.steps.map((st) => st.name)])] : sc.steps.map((st) => st.name)).map((stepName) => {
          const st = { name: stepName };
          const step: StepSummary = { name: st.name, stats: cumulative.stats({ scenario: sc.name, step: st.name }, scSeconds) ?? empty(scSeconds) };
          const checks = Object.entries(cumulative.checks(sc.name, st.name)).map(([name, c]) => ({ name, ...c }));
          if (checks.length > 0) step.checks = checks;
          return step;
        }),
      };
    }),
  };
}
