// A step's checks compiled once: each a name (for the summary) and a test of the final response.
import { formatDuration } from "../../core/duration.ts";
import { parseJsonPath, readJsonPath } from "../../plan/json-path.ts";
import type { Check, JsonValue } from "../../plan/types.ts";
import type { CapturedResponse, RequestResult } from "../types.ts";
import { compileTemplate, type Render, type TemplateContext } from "./template.ts";

export interface CompiledCheck {
  /** "status 200-299", "json token exists", … unique within the step */
  name: string;
  /** needs the response's head or body kept */
  needsResponse: boolean;
  test(result: RequestResult, response: CapturedResponse | null, ctx: TemplateContext): boolean;
}

/** Expected text may hold templates too (`user.name: "{{username}}"`): compared with the VU's value. */
export function compileChecks(checks: readonly Check[], env: Readonly<Record<string, string>> = {}): CompiledCheck[] {
  const seen = new Map<string, number>();
  return checks.map((check) => {
    const compiled = compileCheck(check, (text) => expected(compileTemplate(text, env)));
    const n = (seen.get(compiled.name) ?? 0) + 1;
    seen.set(compiled.name, n);
    return n === 1 ? compiled : { ...compiled, name: `${compiled.name} #${n}` };
  });
}

function compileCheck(check: Check, want: (text: string) => (ctx: TemplateContext) => string): CompiledCheck {
  switch (check.kind) {
    case "status": {
      const ranges = check.statuses;
      const name = `status ${ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(", ")}`;
      return { name, needsResponse: false, test: (r) => ranges.some((range) => r.status >= range.from && r.status <= range.to) };
    }
    case "max_duration": {
      const limitUs = check.ms * 1000;
      return { name: `duration <= ${formatDuration(check.ms)}`, needsResponse: false, test: (r) => r.status !== 0 && r.durationUs <= limitUs };
    }
    case "header": {
      const header = check.header;
      if (check.matches !== undefined) {
        const re = new RegExp(check.matches);
        return { name: `header ${header} matches ${check.matches}`, needsResponse: true, test: (_, res) => hasMatch(re, res?.header(header)) };
      }
      const text = check.equals ?? "";
      const value = want(text);
      return { name: `header ${header} equals ${text}`, needsResponse: true, test: (_, res, ctx) => res?.header(header) === value(ctx) };
    }
    case "body": {
      if (check.matches !== undefined) {
        const re = new RegExp(check.matches);
        return { name: `body matches ${check.matches}`, needsResponse: true, test: (_, res) => res !== null && re.test(res.text()) };
      }
      const text = check.contains ?? "";
      const value = want(text);
      return { name: `body contains ${JSON.stringify(text)}`, needsResponse: true, test: (_, res, ctx) => res !== null && res.text().includes(value(ctx)) };
    }
    case "json": {
      const parsed = parseJsonPath(check.path);
      const steps = parsed.ok ? parsed.steps : [];
      const read = (res: CapturedResponse | null) => (res === null ? undefined : readJsonPath(res.json(), steps));
      if (check.exists !== undefined) {
        const want = check.exists;
        return { name: `json ${check.path} ${want ? "exists" : "is absent"}`, needsResponse: true, test: (_, res) => res !== null && (read(res) !== undefined) === want };
      }
      const scalar = check.equals ?? null;
      const value = typeof scalar === "string" ? want(scalar) : undefined;
      return {
        name: `json ${check.path} equals ${JSON.stringify(scalar)}`,
        needsResponse: true,
        test: (_, res, ctx) => jsonEquals(read(res), value === undefined ? scalar : value(ctx)),
      };
    }
  }
}

function hasMatch(re: RegExp, value: string | undefined): boolean {
  return value !== undefined && re.test(value);
}

/** A JSON value equals the plan's scalar; a number in the plan also matches the same number sent as a string. */
function jsonEquals(actual: unknown, want: JsonValue): boolean {
  if (actual === want) return true;
  if (typeof want === "number" && typeof actual === "string") return actual !== "" && Number(actual) === want;
  if (typeof want === "string" && typeof actual === "number") return String(actual) === want;
  return false;
}

function expected(compiled: Render | string): (ctx: TemplateContext) => string {
  return typeof compiled === "string" ? () => compiled : compiled;
}
