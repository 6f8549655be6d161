// `indus validate plan.yaml`: checks the plan and prints its schedule as a chart.
import { defineCommand } from "citty";
import { formatDuration } from "../core/duration.ts";
import { ExitCode } from "../core/errors.ts";
import { readFile } from "node:fs/promises";
import { attachPlanInputs, collectPlanInputs, isRateProfile, loadPlanFile } from "../plan/index.ts";
import { bundlePlanScripts, importBundle, ScriptLoadError } from "../engine/script/index.ts";
import { IndusError } from "../core/errors.ts";
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
  const inputs = await collectPlanInputs(plan, { planFile: file, planYaml }, io.env);
  // scripts: bundled (errors with file:line), then loaded and their exports checked; nothing is type-checked
  const bundled = await bundlePlanScripts(plan, file, io.env);
  const shipped = attachPlanInputs(plan, { ...inputs, files: { ...inputs.files, ...bundled.files } }, { planFile: file, planYaml });
  for (const sc of shipped.scenarios) {
    if (sc.script === undefined) continue;
    try {
      await importBundle(sc.script);
    } catch (e) {
      if (e instanceof ScriptLoadError) throw new IndusError("script_invalid", e.message);
      throw e;
    }
  }
  const series = planChart(plan.scenarios);
  const out = io.stdout;
  out.write(`Plan "${plan.name}" (${file}) is valid: ${plan.scenarios.length} scenario(s), ${plan.thresholds.length} threshold(s).\n\n`);
  for (const sc of plan.scenarios) {
    const p = sc.profile;
    // an arrival-rate scenario has no think time: iterations start on the clock
    const load = `${p.type} ${describeProfile(p)}${isRateProfile(p) ? "" : `, think_time ${formatDuration(sc.think_time)}`}`;
    const script = shipped.scenarios.find((s) => s.name === sc.name)?.script;
    const what = script ? `script ${script.file} (${script.bytes} bytes bundled)${sc.steps.length > 0 ? ` + ${sc.steps.length} step(s)` : ""}` : `${sc.steps.length} step(s)`;
    out.write(`  ${sc.name}: ${load}, ${formatDuration(sc.duration)}, ${what}\n`);
  }
  out.write("\n" + renderScheduleChart(series) + "\n");
  return ExitCode.ok;
}
