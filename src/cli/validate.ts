// `indus validate plan.yaml`: checks the plan and prints its schedule as a chart.
import { defineCommand } from "citty";
import { formatDuration } from "../core/duration.ts";
import { ExitCode } from "../core/errors.ts";
import { readFile } from "node:fs/promises";
import { attachPlanInputs, collectPlanInputs, isRateProfile, loadPlanFile } from "../plan/index.ts";
import { describeProfile, planChart, renderScheduleChart } from "../schedule/index.ts";
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
  const planYaml = await readFile(file, "utf8");
  // the data files and env vars must be there too: the same check a run makes before it starts
  attachPlanInputs(plan, await collectPlanInputs(plan, { planFile: file, planYaml }, io.env), { planFile: file, planYaml });
  const series = planChart(plan.scenarios);
  const out = io.stdout;
  out.write(`Plan "${plan.name}" (${file}) is valid: ${plan.scenarios.length} scenario(s), ${plan.thresholds.length} threshold(s).\n\n`);
  for (const sc of plan.scenarios) {
    const p = sc.profile;
    // an arrival-rate scenario has no think time: iterations start on the clock
    const load = `${p.type} ${describeProfile(p)}${isRateProfile(p) ? "" : `, think_time ${formatDuration(sc.think_time)}`}`;
    out.write(`  ${sc.name}: ${load}, ${formatDuration(sc.duration)}, ${sc.steps.length} step(s)\n`);
  }
  out.write("\n" + renderScheduleChart(series) + "\n");
  return ExitCode.ok;
}
