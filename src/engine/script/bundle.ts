// Bundles a scenario's script and its imports (relative files, npm packages from node_modules) into one ES module with Bun's bundler.
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { PlanProblem } from "../../core/errors.ts";

export type BundleResult = { ok: true; code: string } | { ok: false; problems: PlanProblem[] };

/** Bundles beyond this are refused: the bundle travels inside the plan to every agent. */
export const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

/**
 * `import type { VU } from "indus"` is erased by the bundler; a value import of "indus" (there are none)
 * resolves to an empty module rather than failing the bundle.
 */
const indusModule: Bun.BunPlugin = {
  name: "indus-types",
  setup(build) {
    build.onResolve({ filter: /^indus$/ }, () => ({ path: "indus", namespace: "indus-types" }));
    build.onLoad({ filter: /.*/, namespace: "indus-types" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/**
 * Works inside a `bun build --compile` binary too (measured here: Bun.build is part of the runtime the
 * binary carries). The bundle keeps an inline source map, so an error's stack names the script's own
 * file and line, on every agent.
 */
export async function bundleScript(file: string, planFile: string): Promise<BundleResult> {
  const entry = isAbsolute(file) ? file : resolve(dirname(planFile), file);
  const where = (f: string | undefined) => (f === undefined ? file : relative(process.cwd(), f) || f);
  if (!(await Bun.file(entry).exists())) {
    return { ok: false, problems: [{ file: planFile, line: 0, column: 0, path: "", message: `the script ${file} does not exist (looked for ${entry})` }] };
  }
  let result: Bun.BuildOutput;
  try {
    result = await Bun.build({ entrypoints: [entry], target: "bun", format: "esm", sourcemap: "inline", root: dirname(entry), throw: false, plugins: [indusModule] } as Bun.BuildConfig);
  } catch (e) {
    return { ok: false, problems: buildProblems(e, where) ?? [{ file: where(entry), line: 0, column: 0, path: "", message: String(e) }] };
  }
  if (!result.success || result.outputs.length === 0) {
    const problems = result.logs
      .filter((l) => l.level === "error")
      .map((l): PlanProblem => ({ file: where(l.position?.file), line: l.position?.line ?? 0, column: (l.position?.column ?? 0) + 1, path: "", message: l.message }));
    return { ok: false, problems: problems.length > 0 ? problems : [{ file: where(entry), line: 0, column: 0, path: "", message: "the bundler failed without saying why" }] };
  }
  const code = withSourcesFrom(await result.outputs[0]!.text(), dirname(resolve(planFile)));
  if (code.length > MAX_BUNDLE_BYTES) {
    return { ok: false, problems: [{ file: where(entry), line: 0, column: 0, path: "", message: `the bundle is ${(code.length / 1048576).toFixed(1)} MB, more than the ${MAX_BUNDLE_BYTES / 1048576} MB a plan may carry` }] };
  }
  return { ok: true, code };
}

/** Bun.build with throw: true (older versions ignore throw: false) raises an AggregateError of BuildMessages. */
function buildProblems(e: unknown, where: (f: string | undefined) => string): PlanProblem[] | undefined {
  const errors = (e as { errors?: unknown[] } | null)?.errors;
  if (!Array.isArray(errors)) return undefined;
  return errors.map((m) => {
    const msg = m as { message?: string; position?: { file?: string; line?: number; column?: number } };
    return { file: where(msg.position?.file), line: msg.position?.line ?? 0, column: (msg.position?.column ?? 0) + 1, path: "", message: msg.message ?? String(m) };
  });
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Bun writes the source map's file names relative to the working directory of the bundling process;
 * agents print them in error frames, so they are made relative to the plan's directory instead
 * ("flows/checkout.ts:12:7", whichever directory `indus run` was started from).
 */
function withSourcesFrom(code: string, planDir: string): string {
  const m = INLINE_MAP.exec(code);
  if (m === null) return code;
  try {
    const map = JSON.parse(Buffer.from(m[1]!, "base64").toString("utf8")) as { sources?: string[] };
    map.sources = (map.sources ?? []).map((src) => relative(planDir, resolve(process.cwd(), src)) || src);
    return code.slice(0, m.index) + `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`;
  } catch {
    return code;
  }
}
