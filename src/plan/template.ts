// `{{name}}` templates in url, headers and body: parsed once into literal and variable parts.

/*
 * template := ( literal | "{{" expr "}}" )*
 * expr     := name                      a variable: extracted by a step, or a column of the scenario's data
 *           | "env." NAME               an environment variable of the process that submitted the plan
 *           | "vu" | "iteration" | "scenario" | "uuid" | "timestamp"
 *           | "random_int(" int "," int ")"
 * Spaces inside the braces are ignored: "{{ token }}" is "{{token}}".
 */

export const TEMPLATE_BUILTINS = ["vu", "iteration", "scenario", "uuid", "timestamp"] as const;
export type TemplateBuiltin = (typeof TEMPLATE_BUILTINS)[number];

export type TemplatePart =
  | { kind: "literal"; text: string }
  | { kind: "variable"; name: string }
  | { kind: "env"; name: string }
  | { kind: "builtin"; name: TemplateBuiltin }
  | { kind: "random_int"; min: number; max: number };

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;
const RANDOM_INT = /^random_int\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/;

/** Whether text holds any template at all (the common case, none, keeps a request's bytes cached). */
export function hasTemplate(text: string): boolean {
  return text.includes("{{");
}

export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf("{{", pos);
    if (open < 0) {
      parts.push({ kind: "literal", text: text.slice(pos) });
      break;
    }
    if (open > pos) parts.push({ kind: "literal", text: text.slice(pos, open) });
    const close = text.indexOf("}}", open + 2);
    if (close < 0) return { ok: false, message: `"{{" at character ${open + 1} is never closed with "}}"` };
    const expr = text.slice(open + 2, close).trim();
    const part = parseExpr(expr);
    if (typeof part === "string") return { ok: false, message: part };
    parts.push(part);
    pos = close + 2;
  }
  return { ok: true, parts };
}

function parseExpr(expr: string): TemplatePart | string {
  if (expr === "") return "empty {{}}: write a variable name inside, e.g. {{token}}";
  if ((TEMPLATE_BUILTINS as readonly string[]).includes(expr)) return { kind: "builtin", name: expr as TemplateBuiltin };
  const env = ENV.exec(expr);
  if (env) return { kind: "env", name: env[1]! };
  const random = RANDOM_INT.exec(expr);
  if (random) {
    const min = Number(random[1]);
    const max = Number(random[2]);
    if (min > max) return `{{${expr}}}: the first bound must not exceed the second`;
    return { kind: "random_int", min, max };
  }
  if (expr.startsWith("random_int")) return `{{${expr}}}: write random_int(a, b) with two whole numbers`;
  if (NAME.test(expr)) return { kind: "variable", name: expr };
  return `{{${expr}}} is not a variable name, env.NAME, ${TEMPLATE_BUILTINS.join(", ")} or random_int(a, b)`;
}

/** The variable and env names a template refers to. */
export function templateNames(parts: readonly TemplatePart[]): { variables: string[]; env: string[] } {
  const variables: string[] = [];
  const env: string[] = [];
  for (const p of parts) {
    if (p.kind === "variable") variables.push(p.name);
    else if (p.kind === "env") env.push(p.name);
  }
  return { variables, env };
}
