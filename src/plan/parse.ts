// parsePlan: YAML text to a validated Plan, or one PlanError listing every problem with its line and path.

import { basename } from "node:path";
import { PlanError, type PlanProblem } from "../core/errors.ts";
import { inconsistencies } from "./consistency.ts";
import { formatPath, valueAt, type Finding } from "./finding.ts";
import { findingsFromIssues, withValue } from "./issues.ts";
import { planSchema } from "./schema.ts";
import type { Plan } from "./types.ts";
import { keysInOrder, positionOf, readYaml, type YamlSource } from "./yaml-positions.ts";

export function parsePlan(text: string, file: string): Plan {
  const { source, syntaxErrors } = readYaml(text);
  if (syntaxErrors.length > 0) {
    // A broken document would only add noise about keys it seems to lack.
    throw new PlanError(
      syntaxErrors.map(({ position, message }) => ({ file, ...position, path: "", message: `YAML syntax: ${message}` })),
    );
  }
  const raw = toPlain(source);
  if (!raw.ok) throw new PlanError([{ file, line: 1, column: 1, path: "", message: raw.message }]);
  if (raw.value === null || raw.value === undefined) {
    throw new PlanError([{ file, line: 1, column: 1, path: "", message: "the plan is empty: it needs at least scenarios" }]);
  }

  // jitless: zod would otherwise compile each object schema with `new Function` on its first parse, a cost that pays
  // back over many parses; a plan is parsed once per process (measured: `indus validate` 23.5-24.7 -> 21.2-21.4 ms of CPU)
  const parsed = planSchema.safeParse(raw.value, { jitless: true });
  const findings = [...(parsed.success ? [] : findingsFromIssues(parsed.error.issues, raw.value)), ...inconsistencies(raw.value)];
  if (findings.length > 0 || !parsed.success) throw new PlanError(locate(findings, source, file, raw.value));

  const plan: Plan = { ...parsed.data, name: parsed.data.name ?? nameFromFile(file) };
  // A JS object puts integer-like keys first; the plan keeps the file's order of scenarios.
  const order = keysInOrder(source, ["scenarios"]);
  plan.scenarios.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return plan;
}

/** A plan without `name` is called after its file: "examples/spike.yaml" → "spike". */
export function nameFromFile(file: string): string {
  return basename(file).replace(/\.(ya?ml|json)$/i, "") || "plan";
}

function toPlain(source: YamlSource): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: source.doc.toJS() };
  } catch (error) {
    // e.g. an alias that expands too far ("billion laughs")
    return { ok: false, message: `YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Gives each finding its line and column, drops repeats, and orders them as the file reads. */
function locate(findings: readonly Finding[], source: YamlSource, file: string, raw: unknown): PlanProblem[] {
  const seen = new Set<string>();
  const problems: PlanProblem[] = [];
  for (const finding of findings) {
    const path = formatPath(finding.path);
    const id = `${path}\n${finding.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    // the whole document is not quoted back: the message says what it is
    const message = finding.at === "value" && finding.path.length > 0 ? withValue(finding.message, valueAt(raw, finding.path)) : finding.message;
    problems.push({ file, ...positionOf(source, finding.path, finding.at), path, message });
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
