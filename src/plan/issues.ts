// Zod's issues in the plan's words: "required", "unknown key ... (did you mean ...?)", per-type profile fields.

import type { z } from "zod";
import { valueAt, type Finding, type PathSegment } from "./finding.ts";
import { FIELDS, PROFILE_FIELDS, PROFILE_TYPES } from "./schema.ts";
import { closest, didYouMean } from "./suggest.ts";
import type { ProfileType } from "./types.ts";

type Issue = z.core.$ZodIssue;

export function findingsFromIssues(issues: readonly Issue[], raw: unknown): Finding[] {
  return issues.flatMap((issue) => fromIssue(issue, raw));
}

function fromIssue(issue: Issue, raw: unknown): Finding[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  const value = valueAt(raw, path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, path, raw), at: "key" }));
    case "invalid_key":
      return [{ path, message: issue.issues[0]?.message ?? "not a valid key", at: "key" }];
    case "invalid_union":
      if (issue.discriminator !== undefined && "options" in issue && issue.options !== undefined) {
        const options = issue.options.map(String);
        if (value === undefined) return [{ path, message: `required: one of ${options.join(", ")}`, at: "value" }];
        return [{ path, message: notOneOf(value, options, path), at: "value" }];
      }
      break;
    case "invalid_value":
      if (value !== undefined) return [{ path, message: notOneOf(value, issue.values.map(String), path), at: "value" }];
      break;
  }
  if (value === undefined) return [{ path, message: "required", at: "value" }];
  return [{ path, message: issue.message, at: "value" }];
}

/** What an enum-like key holds, in words: "is not a metric". */
const NOUNS: Record<string, string> = {
  metric: "a metric",
  condition: "a condition",
  method: "an HTTP method",
  engine: "an engine",
  on_agent_loss: "an agent-loss policy",
  order: "a data order",
  format: "a data format",
  type: "a profile type",
};

/** `is not a metric (did you mean "p95"?)`, or with the list of what is accepted when nothing is close. */
function notOneOf(value: unknown, accepted: readonly string[], path: readonly PathSegment[]): string {
  // "get" is accepted as well as "GET": list each word once, as the docs write it
  const listed = accepted.filter((a) => a === a.toUpperCase() || !accepted.includes(a.toUpperCase()));
  const key = path.findLast((s): s is string => typeof s === "string") ?? "";
  const match = typeof value === "string" ? closest(value, listed) : undefined;
  // YAML reads a bare `>` as the start of a folded block, which ends up empty
  const quoteIt = key === "condition" && (value === "" || value === null) ? `; quote it: condition: ">"` : "";
  const hint = match !== undefined && match !== value && quoteIt === "" ? ` (did you mean "${match}"?)` : ` (one of ${listed.join(", ")}${quoteIt})`;
  return `is not ${NOUNS[key] ?? "an accepted value"}${hint}`;
}

/**
 * Every problem with a value shows the value as written: `"p96" is not a metric`, `0 must be a positive integer`.
 * A message that already quotes what it is about is left as it is, and so is one that sums up a whole list
 * ("the stages last 40s, ...").
 */
export function withValue(message: string, value: unknown): string {
  if (value === undefined || isEmptyContainer(value)) return message;
  const shown = showValue(value);
  if (quotes(message, shown)) return message;
  const judgesTheValue = /^(is|must|should|not) /.test(message);
  if (!judgesTheValue && (message.includes('"') || (value !== null && typeof value === "object"))) return message;
  if (message.startsWith("not ")) return `${shown} is ${message}`;
  return judgesTheValue ? `${shown} ${message}` : `${shown}: ${message}`;
}

/** `{}` or `[]`: the message ("must list at least one step") already says what is there. */
function isEmptyContainer(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).length === 0;
}

/** Whether the message already shows the value as a word of its own (30 is not shown by "30s"). */
function quotes(message: string, shown: string): boolean {
  let from = message.indexOf(shown);
  while (from >= 0) {
    const before = message[from - 1] ?? " ";
    const after = message[from + shown.length] ?? " ";
    if (!/[\w.]/.test(before) && !/[\w.]/.test(after)) return true;
    from = message.indexOf(shown, from + 1);
  }
  return false;
}

function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The mapping a path leads to, in the plan's terms. */
function mappingAt(path: readonly PathSegment[]): keyof typeof FIELDS | "profile" | undefined {
  const [first, , third, fourth, fifth] = path;
  if (path.length === 0) return "plan";
  if (first === "thresholds" && path.length === 2) return "threshold";
  if (first !== "scenarios") return undefined;
  if (path.length === 2) return "scenario";
  if (path.length === 3 && third === "profile") return "profile";
  if (path.length === 3 && third === "data") return "data";
  if (third !== "steps" || typeof fourth !== "number") return undefined;
  if (path.length === 4) return "step";
  if (path.length === 5 && fifth === "check") return "check";
  if (path.length === 6 && fifth === "extract") return "extract";
  return undefined;
}

function unknownKeyMessage(key: string, path: readonly PathSegment[], raw: unknown): string {
  const kind = mappingAt(path);
  if (kind === undefined) return `unknown key "${key}"`;
  if (kind !== "profile") return unknownKey(key, FIELDS[kind]);
  const type = valueAt(raw, [...path, "type"]);
  if (!(PROFILE_TYPES as readonly unknown[]).includes(type)) return unknownKey(key, ["type"]);
  const own = PROFILE_FIELDS[type as ProfileType];
  const ofAnotherType = Object.values(PROFILE_FIELDS).some((fields) => fields.includes(key));
  if (ofAnotherType) return `not a field of profile type ${String(type)} (it takes ${own.join(", ")})`;
  return unknownKey(key, ["type", ...own]);
}

function unknownKey(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  return `unknown key "${key}"` + (hint || ` (expected one of ${known.join(", ")})`);
}
