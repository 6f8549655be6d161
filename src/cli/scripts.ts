// The CLI's side of scenario scripts: bundle them, run setup() before the run and teardown() after.
import { enginesForPlan } from "../engine/index.ts";
import { bundlePlanScripts, runScriptSetup, ScriptSetupError } from "../engine/script/index.ts";
import { attachPlanInputs, type PlanInputs } from "../plan/index.ts";
import type { Plan } from "../plan/types.ts";
import type { CliIo } from "./io.ts";

export interface ScriptRun {
  /** the plan's inputs with the bundles, the env values the scripts read and setup()'s results */
  inputs: PlanInputs;
  /** Runs the scripts' teardown(); false (and the error printed) when one failed. */
  teardown(): Promise<boolean>;
  /** whether a script has a teardown() */
  hasTeardown: boolean;
}

/**
 * Bundles the plan's scripts (a bundling error is a plan problem: exit 2) and runs their setup();
 * "failed" (the error printed) when a setup failed: the run must not start, and exits 1.
 */
export async function prepareScripts(
  io: CliIo,
  plan: Plan,
  where: { planFile: string; planYaml: string },
  inputs: PlanInputs,
  engine: "socket" | "fetch",
): Promise<ScriptRun | "failed"> {
  if (!plan.scenarios.some((sc) => sc.script !== undefined)) return { inputs, teardown: async () => true, hasTeardown: false };
  const bundled = await bundlePlanScripts(plan, where.planFile, io.env);
  const withBundles: PlanInputs = { ...inputs, files: { ...inputs.files, ...bundled.files }, env: { ...bundled.env, ...inputs.env } };
  const shipped = attachPlanInputs(plan, withBundles, where);
  const engines = enginesForPlan(shipped, engine);
  try {
    const lifecycle = await runScriptSetup(shipped, engines, shipped.env ?? {});
    return {
      inputs: { ...withBundles, shared: lifecycle.shared },
      hasTeardown: lifecycle.hasTeardown,
      async teardown() {
        try {
          await lifecycle.teardown();
          return true;
        } catch (e) {
          io.stderr.write(`error: ${(e as Error).message}\n`);
          return false;
        } finally {
          engines.close();
        }
      },
    };
  } catch (e) {
    engines.close();
    if (!(e instanceof ScriptSetupError)) throw e;
    io.stderr.write(`error: ${e.message}\nThe run was not started. Exit code: 1\n`);
    return "failed";
  }
}
