// Everything scripts/gen-docs.ts writes: README.md's generated regions and docs/load-profiles.svg, from the code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { commandDefinitions } from "../../src/cli/index.ts";
import { globalFlags } from "../../src/cli/global-flags.ts";
import { planJsonSchema } from "../../src/plan/index.ts";
import { renderCliReference } from "./cli-reference.ts";
import { grammarRegion } from "./comment-blocks.ts";
import { renderErrorClasses } from "./error-classes.ts";
import type { SchemaNode } from "./json-schema-walk.ts";
import { panelSources, profilePanels, renderLoadProfilesSvg } from "./load-profiles.ts";
import { renderMetricsReference, renderThresholdMetrics } from "./metrics-reference.ts";
import { METRIC_MEANINGS, PLAN_KEYS } from "./plan-keys.ts";
import { renderPlanReference } from "./plan-reference.ts";
import { replaceRegion } from "./regions.ts";

export interface GeneratedFile {
  /** repo-relative */
  file: string;
  content: string;
}

/** The README regions scripts/gen-docs.ts owns, by marker name. */
export async function readmeRegions(root: string): Promise<Record<string, string>> {
  // panelSources: the README's examples first, docs/load-profiles.yaml (ramp_down) last
  const examples = panelSources(root).map((file) => ({ file, doc: parse(readFileSync(join(root, file), "utf8")) as unknown }));
  return {
    "plan-reference": renderPlanReference({ schema: planJsonSchema() as SchemaNode, examples, docs: PLAN_KEYS }),
    "threshold-grammar": grammarRegion(root, "src/threshold/label.ts", /^threshold := /, /^e\.g\. /),
    "threshold-metrics": renderThresholdMetrics(METRIC_MEANINGS),
    "cli-reference": renderCliReference(await commandDefinitions(), globalFlags),
    "metrics-reference": await renderMetricsReference(),
    "error-classes": renderErrorClasses(),
  };
}

/** The generated files as they should be now (README.md read from disk, its regions replaced). */
export async function generateDocs(root: string): Promise<GeneratedFile[]> {
  let readme = readFileSync(join(root, "README.md"), "utf8");
  for (const [name, content] of Object.entries(await readmeRegions(root))) readme = replaceRegion(readme, name, content);
  return [
    { file: "README.md", content: readme },
    { file: "docs/load-profiles.svg", content: renderLoadProfilesSvg(profilePanels(root)) },
  ];
}
