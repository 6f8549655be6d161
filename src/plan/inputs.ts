// What a plan needs besides its own text: the data files it names and the env vars its templates use.
import { nodeCrypto } from "../core/builtins.ts";
import { dirname, resolve } from "node:path";
import { readFile, stat } from "node:fs/promises";
import { IndusError, PlanError, type PlanProblem } from "../core/errors.ts";
import { parseCsv } from "./csv.ts";
import { formatPath, type PathSegment } from "./finding.ts";
import { unknownVariable } from "./template-problems.ts";
import { parseJsonRows } from "./json-rows.ts";
import { parseTemplate } from "./template.ts";
import type { Plan, Scenario } from "./types.ts";
import { positionOf, readYaml } from "./yaml-positions.ts";

/** Data file contents by the path the plan writes, and env values by name: they travel with a submitted plan. */
export interface PlanInputs {
  files: Record<string, Uint8Array>;
  env: Record<string, string>;
  /** per scenario with a script that has setup(): what it returned, as JSON */
  shared?: Record<string, string>;
}

/** Data files ride inside the plan to every agent: beyond this the plan is refused. */
export const MAX_DATA_BYTES = 10 * 1024 * 1024;

interface Where {
  planFile: string;
  /** the plan's YAML, to give problems a line and column */
  planYaml?: string;
}

/** Reads the data files (relative to the plan file) and looks up the env vars the templates name. */
export async function collectPlanInputs(
  plan: Plan,
  where: Where,
  env: Record<string, string | undefined>,
  read: (path: string) => Promise<Uint8Array> = (path) => readFile(path),
): Promise<PlanInputs> {
  const problems: PlanProblem[] = [];
  const locate = locator(where);
  const files: Record<string, Uint8Array> = {};
  let total = 0;
  for (const sc of plan.scenarios) {
    const data = sc.data;
    if (data === undefined || data.file in files) continue;
    const path = resolve(dirname(where.planFile), data.file);
    try {
      files[data.file] = await read(path);
      total += files[data.file]!.length;
    } catch (error) {
      problems.push(locate(["scenarios", sc.name, "data", "file"], `cannot read the data file ${path}: ${readFailure(error)}`));
    }
  }
  // a missing script is found here, with the data and TLS files, so it gets a line and joins their problems
  for (const sc of plan.scenarios) {
    const script = sc.script?.file;
    if (script === undefined) continue;
    const path = resolve(dirname(where.planFile), script);
    if (!(await exists(path))) problems.push(locate(["scenarios", sc.name, "script"], `the script ${script} does not exist (looked for ${path})`));
  }
  for (const [field, file] of tlsFiles(plan)) {
    if (file in files) continue;
    try {
      files[file] = await read(resolve(dirname(where.planFile), file));
    } catch (error) {
      problems.push(locate(["tls", field], `cannot read the ${field} file ${resolve(dirname(where.planFile), file)}: ${readFailure(error)}`));
    }
  }
  if (total > MAX_DATA_BYTES) {
    throw new IndusError("data_too_large", `the plan's data files hold ${megabytes(total)}, more than the ${megabytes(MAX_DATA_BYTES)} a plan may carry to its agents`, {
      exitCode: 2,
      hint: "use a smaller file (or several runs with parts of it)",
    });
  }
  const values: Record<string, string> = {};
  for (const [name, path] of envReferences(plan)) {
    const value = env[name];
    if (value === undefined) problems.push(locate(path, `{{env.${name}}}: the environment variable ${name} is not set`));
    else values[name] = value;
  }
  if (problems.length > 0) throw new PlanError(problems);
  return { files, env: values };
}

/**
 * The plan with its inputs in it: each data source gets its columns and rows, `env` its values.
 * Throws PlanError naming the data file and line, or the plan path, for anything wrong.
 */
export function attachPlanInputs(plan: Plan, inputs: PlanInputs, where: Where): Plan {
  const problems: PlanProblem[] = [];
  const locate = locator(where);
  const decoder = new TextDecoder();
  let total = 0;
  const scenarios = plan.scenarios.map((sc): Scenario => {
    if (sc.script !== undefined) sc = withScript(sc, inputs, locate, problems);
    const data = sc.data;
    if (data === undefined) return sc;
    const bytes = inputs.files[data.file];
    if (bytes === undefined) {
      problems.push(locate(["scenarios", sc.name, "data", "file"], `the data file ${data.file} was not sent with the plan`));
      return sc;
    }
    total += bytes.length;
    const parsed = data.format === "csv" ? parseCsv(decoder.decode(bytes)) : parseJsonRows(decoder.decode(bytes));
    if (!parsed.ok) {
      problems.push({ file: resolve(dirname(where.planFile), data.file), line: parsed.line, column: parsed.column, path: "", message: parsed.message });
      return sc;
    }
    if (parsed.rows.length === 0) {
      problems.push(locate(["scenarios", sc.name, "data", "file"], `the data file ${data.file} has no rows`));
      return sc;
    }
    if (sc.script === undefined) problems.push(...unknownVariables(sc, parsed.columns, locate));
    (data.tags ?? []).forEach((column, i) => {
      if (!parsed.columns.includes(column)) {
        problems.push(locate(["scenarios", sc.name, "data", "tags", i], `"${column}" is not a column of ${data.file} (columns: ${parsed.columns.join(", ")})`));
      }
    });
    return { ...sc, data: { ...data, columns: parsed.columns, rows: parsed.rows } };
  });
  if (total > MAX_DATA_BYTES) {
    throw new IndusError("data_too_large", `the plan's data files hold ${megabytes(total)}, more than the ${megabytes(MAX_DATA_BYTES)} a plan may carry`, { exitCode: 2 });
  }
  const env: Record<string, string> = {};
  for (const [name, path] of envReferences(plan)) {
    const value = inputs.env[name];
    if (value === undefined) problems.push(locate(path, `{{env.${name}}}: the environment variable ${name} was not sent with the plan`));
    else env[name] = value;
  }
  let tls = plan.tls;
  for (const [field, file] of tlsFiles(plan)) {
    const bytes = inputs.files[file];
    if (bytes === undefined) problems.push(locate(["tls", field], `the ${field} file ${file} was not sent with the plan`));
    else tls = { ...tls!, [`${field}_pem`]: decoder.decode(bytes) };
  }
  // a script's env.NAME reads were found in its bundle on the submitting side: what was sent is what it reads
  if (plan.scenarios.some((sc) => sc.script !== undefined)) for (const [name, value] of Object.entries(inputs.env)) env[name] ??= value;
  if (problems.length > 0) throw new PlanError(problems);
  return tls === undefined ? { ...plan, scenarios, env } : { ...plan, scenarios, env, tls };
}

/** The PEM files the plan's `tls:` block names (CA, client certificate and key): they travel with the plan like data files. */
function tlsFiles(plan: Plan): ["ca" | "cert" | "key", string][] {
  const tls = plan.tls;
  if (tls === undefined) return [];
  const out: ["ca" | "cert" | "key", string][] = [];
  for (const field of ["ca", "cert", "key"] as const) {
    const file = tls[field];
    if (file !== undefined) out.push([field, file]);
  }
  return out;
}

/** The plan as the run records it: each script with its bundle's hash and size, without its code. */
export function withScriptRecord(plan: Plan, shipped: Plan): Plan {
  if (!plan.scenarios.some((sc) => sc.script !== undefined)) return plan;
  return {
    ...plan,
    scenarios: plan.scenarios.map((sc, i) => {
      const s = shipped.scenarios[i]?.script;
      return s === undefined ? sc : { ...sc, script: { file: s.file, ...(s.sha256 === undefined ? {} : { sha256: s.sha256, bytes: s.bytes }) } };
    }),
  };
}

/** A script's bundle (the submitting side bundles it: see engine/script) with its hash and size, and setup's result. */
function withScript(sc: Scenario, inputs: PlanInputs, locate: Locate, problems: PlanProblem[]): Scenario {
  const file = sc.script!.file;
  const bytes = inputs.files[file];
  if (bytes === undefined) {
    problems.push(locate(["scenarios", sc.name, "script"], `the script ${file} was not sent with the plan`));
    return sc;
  }
  const code = new TextDecoder().decode(bytes);
  const sha256 = nodeCrypto().createHash("sha256").update(bytes).digest("hex");
  const shared = inputs.shared?.[sc.name];
  return { ...sc, script: { file, code, sha256, bytes: bytes.length, ...(shared === undefined ? {} : { shared }) } };
}

/** Each `{{env.NAME}}` in the plan, with the path of the first field that uses it. */
export function envReferences(plan: Plan): Map<string, PathSegment[]> {
  const found = new Map<string, PathSegment[]>();
  for (const [path, text] of templatedFields(plan)) {
    const parsed = parseTemplate(text);
    if (!parsed.ok) continue;
    for (const part of parsed.parts) if (part.kind === "env" && !found.has(part.name)) found.set(part.name, path);
  }
  return found;
}

function templatedFields(plan: Plan): [PathSegment[], string][] {
  const out: [PathSegment[], string][] = [];
  for (const sc of plan.scenarios) {
    sc.steps.forEach((step, i) => {
      const at: PathSegment[] = ["scenarios", sc.name, "steps", i];
      out.push([[...at, "url"], step.url]);
      for (const [name, value] of Object.entries(step.headers)) out.push([[...at, "headers", name], value]);
      if (step.body !== undefined) out.push([[...at, "body"], step.body]);
      for (const check of step.checks ?? []) {
        const text = check.kind === "header" ? check.equals : check.kind === "body" ? check.contains : check.kind === "json" ? check.equals : undefined;
        if (typeof text === "string") out.push([[...at, "check"], text]);
      }
    });
  }
  return out;
}

/** With a data file, a template's names may be its columns or what a step extracts; anything else is a mistake. */
function unknownVariables(sc: Scenario, columns: readonly string[], locate: Locate): PlanProblem[] {
  const known = [...columns, ...sc.steps.flatMap((st) => (st.extract ?? []).map((e) => e.name))];
  const problems: PlanProblem[] = [];
  sc.steps.forEach((step, i) => {
    const fields: [PathSegment[], string][] = [[["url"], step.url], ...Object.entries(step.headers).map(([n, v]): [PathSegment[], string] => [["headers", n], v])];
    if (step.body !== undefined) fields.push([["body"], step.body]);
    for (const [path, text] of fields) {
      const parsed = parseTemplate(text);
      if (!parsed.ok) continue;
      for (const part of parsed.parts) {
        if (part.kind === "variable" && !known.includes(part.name)) {
          problems.push(locate(["scenarios", sc.name, "steps", i, ...path], unknownVariable(part.name, known).replace("no step of this scenario extracts it", "not a column of the data file, and no step extracts it")));
        }
      }
    }
  });
  return problems;
}

type Locate = (path: PathSegment[], message: string) => PlanProblem;

/** Problems located in the plan's YAML, parsed again only when there is a problem to place (rarely). */
function locator(where: Where): Locate {
  let source: ReturnType<typeof readYaml>["source"] | undefined;
  return (path, message) => {
    if (source === undefined && where.planYaml !== undefined) source = readYaml(where.planYaml).source;
    const position = source ? positionOf(source, path, "value") : { line: 0, column: 0 };
    return { file: where.planFile, ...position, path: formatPath(path), message };
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
