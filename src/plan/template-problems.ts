// What a step's templates, checks and extractions must get right: syntax, JSON paths, capture groups, known names.
import type { Finding, PathSegment } from "./finding.ts";
import { parseJsonPath } from "./json-path.ts";
import { isMapping, stepsOf, type Mapping } from "./raw.ts";
import { didYouMean } from "./suggest.ts";
import { parseTemplate } from "./template.ts";

/** Every place a step may hold a template: url, each header value, body, and the text its checks expect. */
function templatedFields(step: Mapping): [PathSegment[], string][] {
  const out: [PathSegment[], string][] = [];
  if (typeof step.url === "string") out.push([["url"], step.url]);
  if (isMapping(step.headers)) {
    for (const [name, value] of Object.entries(step.headers)) if (typeof value === "string") out.push([["headers", name], value]);
  }
  if (typeof step.body === "string") out.push([["body"], step.body]);
  // what a check expects may be a template too: `user.name: "{{username}}"`
  const check = isMapping(step.check) ? step.check : {};
  const expected = (path: PathSegment[], value: unknown) => {
    const text = isMapping(value) ? (value.equals ?? value.contains) : value;
    if (typeof text === "string") out.push([["check", ...path, ...(isMapping(value) ? [value.equals !== undefined ? "equals" : "contains"] : [])], text]);
  };
  if (isMapping(check.header)) for (const [name, value] of Object.entries(check.header)) expected(["header", name], value);
  if (check.body !== undefined) expected(["body"], check.body);
  if (isMapping(check.json)) for (const [path, value] of Object.entries(check.json)) expected(["json", path], value);
  return out;
}

/** Names the scenario's steps extract into variables. */
function extractedNames(scenario: Mapping): string[] {
  return stepsOf(scenario).flatMap(([, step]) => (isMapping(step.extract) ? Object.keys(step.extract) : []));
}

export function templateProblems(scenario: Mapping, at: PathSegment[]): Finding[] {
  const problems: Finding[] = [];
  const found = (path: PathSegment[], message: string) => problems.push({ path: [...at, ...path], message, at: "value" });
  const extracted = extractedNames(scenario);
  // a data file's columns are variables too; they are known once the file is read (see inputs.ts)
  // ... and a script may set any variable (vu.vars) before the steps run
  const namesKnown = scenario.data === undefined && scenario.script === undefined;
  for (const [index, step] of stepsOf(scenario)) {
    const stepAt: PathSegment[] = ["steps", index];
    for (const [path, text] of templatedFields(step)) {
      const parsed = parseTemplate(text);
      if (!parsed.ok) {
        found([...stepAt, ...path], parsed.message);
        continue;
      }
      if (!namesKnown) continue;
      for (const part of parsed.parts) {
        if (part.kind !== "variable" || extracted.includes(part.name)) continue;
        found([...stepAt, ...path], unknownVariable(part.name, extracted));
      }
    }
    if (isMapping(step.check) && isMapping(step.check.json)) {
      for (const path of Object.keys(step.check.json)) {
        const parsed = parseJsonPath(path);
        if (!parsed.ok) found([...stepAt, "check", "json", path], parsed.message);
      }
    }
    if (isMapping(step.extract)) {
      for (const [name, source] of Object.entries(step.extract)) {
        if (!isMapping(source)) continue;
        if (typeof source.json === "string") {
          const parsed = parseJsonPath(source.json);
          if (!parsed.ok) found([...stepAt, "extract", name, "json"], parsed.message);
        }
        if (typeof source.regex === "string" && captureGroups(source.regex) === 0) {
          found([...stepAt, "extract", name, "regex"], 'needs a capture group: the first group is what is extracted, e.g. "token=(\\\\w+)"');
        }
      }
    }
  }
  return problems;
}

export function unknownVariable(name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  return `no variable {{${name}}}: no step of this scenario extracts it` + (hint || (known.length > 0 ? ` (extracted: ${known.join(", ")})` : ""));
}

/** Capture groups in a pattern; -1 when it is no valid pattern (the schema reports that). */
function captureGroups(source: string): number {
  try {
    return new RegExp(`${source}|`).exec("")!.length - 1;
  } catch {
    return -1;
  }
}
