// `indus validate plan.yaml`: checks the plan and prints its schedule as a chart.
import { defineCommand } from "citty";
import { formatDuration } from "../core/duration.ts";
import { ExitCode } from "../core/errors.ts";
import { loadPlanFile } from "../plan/index.ts";
import { planSchedule, renderScheduleChart } from "../schedule/index.ts";
import type { CliIo } from "./io.ts";

export const validateArgs = {
  plan: { type: "positional", description: "Plan file (YAML)", required: true },
} as const;

export const validateCommand = defineCommand({
  meta: { name: "validate", description: "Check a plan and print its schedule" },
  args: validateArgs,
});

export async function runValidate(io: CliIo, args: Record<string, unknown>): Promise<number> {
  const file = String(args.plan);
  const plan = await loadPlanFile(file);
  const series = planSchedule(plan.scenarios);
  const out = io.stdout;
  out.write(`Plan "${plan.name}" (${file}) is valid: ${plan.scenarios.length} scenario(s), ${plan.thresholds.length} threshold(s).\n\n`);
  for (const sc of plan.scenarios) {
    out.write(`  ${sc.name}: ${sc.profile.type}, ${formatDuration(sc.duration)}, ${sc.steps.length} step(s), think_time ${formatDuration(sc.think_time)}\n`);
  }
  out.write("\n" + renderScheduleChart(series) + "\n");
  return ExitCode.ok;
}
