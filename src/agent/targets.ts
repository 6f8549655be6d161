// --allow-targets: which hosts an agent will send load to, judged on each step's URL after templating.
import { parseTemplate, type TemplatePart } from "../plan/template.ts";
import type { Plan } from "../plan/types.ts";

/*
 * A step's URL is judged as the agent would send it: {{env.NAME}} is filled in from the values the plan carries
 * (they are fixed for the run). A host that still holds a template after that ({{host}} from a data column or
 * an extracted value, {{random_int(..)}}) changes per request and cannot be judged before the run: the plan is
 * refused, naming the step. The agent never throws here: whatever the URL, the answer is a message or undefined.
 */

/** A refusal message naming every step aimed elsewhere, or undefined when every step is allowed. */
export function vetTargets(plan: Plan, allowed: ReadonlySet<string>): string | undefined {
  const refused: string[] = [];
  for (const sc of plan.scenarios) {
    for (const st of sc.steps) {
      const where = `scenarios.${sc.name}.steps ${st.name}`;
      const url = resolvedUrl(st.url, plan.env ?? {});
      if (url.kind === "templated") {
        refused.push(`${where}: the host of ${JSON.stringify(st.url)} comes from ${url.template}, known only per request: --allow-targets cannot judge it (write the host, or take it from {{env.NAME}})`);
        continue;
      }
      let parsed: URL;
      try {
        parsed = new URL(url.text);
      } catch {
        refused.push(`${where}: ${JSON.stringify(url.text)} is not a URL${url.text === st.url ? "" : ` (from ${JSON.stringify(st.url)})`}`);
        continue;
      }
      const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
      const host = parsed.hostname.toLowerCase();
      if (!allowed.has(host) && !allowed.has(`${host}:${port}`)) refused.push(`${where}: ${parsed.host}`);
    }
  }
  if (refused.length === 0) return undefined;
  return `targets not allowed by this agent's --allow-targets (${[...allowed].join(", ")}):\n  ${refused.join("\n  ")}`;
}

type Resolved = { kind: "text"; text: string } | { kind: "templated"; template: string };

/** The URL with env values filled in; "templated" when its scheme or host still depends on a per-request value. */
function resolvedUrl(url: string, env: Readonly<Record<string, string>>): Resolved {
  if (!url.includes("{{")) return { kind: "text", text: url };
  const parsed = parseTemplate(url);
  // the validator refuses broken templates; judged as written, it is simply not a URL
  if (!parsed.ok) return { kind: "text", text: url };
  let text = "";
  for (const part of parsed.parts) {
    if (part.kind === "literal") text += part.text;
    else if (part.kind === "env") text += env[part.name] ?? "";
    else {
      // the rest of the URL may vary per request; the origin must be complete before the first such part
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[/?#]/i.test(text)) return { kind: "templated", template: templateText(part) };
      return { kind: "text", text: text + "x" };
    }
  }
  return { kind: "text", text };
}

function templateText(part: TemplatePart): string {
  switch (part.kind) {
    case "variable":
      return `{{${part.name}}}`;
    case "builtin":
      return `{{${part.name}}}`;
    case "random_int":
      return `{{random_int(${part.min}, ${part.max})}}`;
    default:
      return "a template";
  }
}
