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
        return [{ path, message: discriminatorMessage(value, issue.options.map(String)), at: "value" }];
      }
      break;
    case "invalid_value":
      if (value !== undefined) {
        const known = issue.values.map(String);
        return [{ path, message: issue.message + (typeof value === "string" ? suggestion(value, known) : ""), at: "value" }];
      }
      break;
  }
  if (value === undefined) return [{ path, message: "required", at: "value" }];
  return [{ path, message: issue.message, at: "value" }];
}

function suggestion(value: string, known: readonly string[]): string {
  const match = closest(value, known);
  // "get" is close to "GET" but is accepted as it is; only suggest for what was refused.
  return match === undefined || match === value ? "" : ` (did you mean "${match}"?)`;
}

function discriminatorMessage(value: unknown, options: readonly string[]): string {
  const list = options.join(", ");
  if (value === undefined) return `required: one of ${list}`;
  return `must be one of ${list}` + (typeof value === "string" ? didYouMean(value, options) : "");
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
