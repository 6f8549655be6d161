// Scenario scripts: bundle (submitting side), load and run per VU (agents' workers), setup/teardown, editor types.
import { PlanError } from "../../core/errors.ts";
import type { Plan } from "../../plan/types.ts";
import { bundleScript } from "./bundle.ts";
import { scriptEnvNames } from "./env.ts";
// @ts-ignore -- the declarations read as text (Bun's text import); tsc checks the file itself as declarations
import typesText from "./indus.d.ts" with { type: "text" };

export { bundleScript, MAX_BUNDLE_BYTES } from "./bundle.ts";
export { scriptEnvNames } from "./env.ts";
export { checkExports, describeError, importBundle, ScriptLoadError, sha256Hex, userFrame, type ScriptModule } from "./module.ts";
export { ScriptRuntime, DEFAULT_STEP, MAX_REPORTED_ERRORS, type ScriptErrorReport } from "./runtime.ts";
export { ScriptVu, type VuHooks } from "./vu.ts";
export { runScriptSetup, ScriptSetupError, SETUP_TIMEOUT_MS, type ScriptLifecycle } from "./setup.ts";
export { DEFAULT_TIMEOUT_MS } from "./http.ts";

/** What `indus types` prints: `declare module "indus"` for editors. */
export const SCRIPT_TYPES: string = typesText as string;

export interface BundledScripts {
  /** bundle bytes by the script path as the plan writes it (they travel like data files) */
  files: Record<string, Uint8Array>;
  /** the environment variables the scripts read, with their values where set */
  env: Record<string, string>;
}

/** Bundles every script a plan names; throws PlanError with each problem's file and line. */
export async function bundlePlanScripts(plan: Plan, planFile: string, env: Readonly<Record<string, string | undefined>>): Promise<BundledScripts> {
  const files: Record<string, Uint8Array> = {};
  const values: Record<string, string> = {};
  const problems = [];
  for (const sc of plan.scenarios) {
    const file = sc.script?.file;
    if (file === undefined || file in files) continue;
    const bundled = await bundleScript(file, planFile);
    if (!bundled.ok) {
      problems.push(...bundled.problems);
      continue;
    }
    files[file] = new TextEncoder().encode(bundled.code);
    for (const name of scriptEnvNames(bundled.code)) {
      const value = env[name];
      if (value !== undefined) values[name] = value;
    }
  }
  if (problems.length > 0) throw new PlanError(problems);
  return { files, env: values };
}
