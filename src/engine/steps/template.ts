// Templates compiled once per plan into a render function over a VU's variables: no string search per request.
import { parseTemplate, type TemplatePart } from "../../plan/template.ts";

/** What a template can read: the VU, its iteration, and its variables (extracted values, data columns). */
export interface TemplateContext {
  /** 1-based, unique across the run's parts */
  vu: number;
  /** closed model: the VU's own iteration count; open model: the arrival's index in the run */
  iteration: number;
  scenario: string;
  vars: Map<string, string>;
}

export type Render = (ctx: TemplateContext) => string;

/**
 * A template as a function; `{{env.NAME}}` is resolved here, once, from the values the plan carries.
 * Text without templates stays a constant (callers keep their cached request then).
 */
export function compileTemplate(text: string, env: Readonly<Record<string, string>>): Render | string {
  if (!text.includes("{{")) return text;
  const parsed = parseTemplate(text);
  // the plan was checked before it got here: a broken template is sent as written
  if (!parsed.ok) return text;
  const parts = merge(parsed.parts.map((p) => (p.kind === "env" ? { kind: "literal" as const, text: env[p.name] ?? "" } : p)));
  if (parts.length === 1 && parts[0]!.kind === "literal") return parts[0]!.text;
  const pieces = parts.map(piece);
  return (ctx) => {
    let out = "";
    for (let i = 0; i < pieces.length; i++) out += pieces[i]!(ctx);
    return out;
  };
}

/** Joins neighbouring literals (an env value next to text is one literal). */
function merge(parts: TemplatePart[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === "literal" && last?.kind === "literal") out[out.length - 1] = { kind: "literal", text: last.text + p.text };
    else out.push(p);
  }
  return out;
}

function piece(p: TemplatePart): Render {
  switch (p.kind) {
    case "literal": {
      const text = p.text;
      return () => text;
    }
    case "variable": {
      const name = p.name;
      return (ctx) => ctx.vars.get(name) ?? "";
    }
    case "env":
      return () => "";
    case "random_int": {
      const { min, max } = p;
      return () => String(min + Math.floor(Math.random() * (max - min + 1)));
    }
    case "builtin":
      switch (p.name) {
        case "vu":
          return (ctx) => String(ctx.vu);
        case "iteration":
          return (ctx) => String(ctx.iteration);
        case "scenario":
          return (ctx) => ctx.scenario;
        case "uuid":
          return () => crypto.randomUUID();
        case "timestamp":
          return () => String(Date.now());
      }
  }
}
