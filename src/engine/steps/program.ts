// A scenario compiled once per plan: each step's request (fixed, or a render function), checks and extractions.
import type { DataOrder, Scenario, ScriptRef, Step } from "../../plan/types.ts";
import { prepareRequest } from "../index.ts";
import { headerProblem } from "../socket/builder.ts";
import type { PreparedRequest } from "../types.ts";
import { acceptEncoding } from "../compression.ts";
import { compileChecks, type CompiledCheck } from "./checks.ts";
import { compileExtracts, type CompiledExtract } from "./extract.ts";
import { compileTemplate, type Render, type TemplateContext } from "./template.ts";

export interface StepProgram {
  name: string;
  /** The request prepared once; null when the step's URL is a template (then `render` builds each one). */
  request: PreparedRequest | null;
  /** Builds the request for one iteration, or says why it cannot be sent; null for a step without templates. */
  render: ((ctx: TemplateContext) => PreparedRequest | string) | null;
  checks: CompiledCheck[];
  checkAsError: boolean;
  extracts: CompiledExtract[];
  followRedirects: boolean;
}

export interface ScenarioProgram {
  name: string;
  steps: StepProgram[];
  cookies: boolean;
  data: { columns: string[]; rows: string[][]; order: DataOrder } | undefined;
  thinkTimeMs: number;
  /** data.tags: each data row (by identity) → its tag set (src/plan/tags.ts); absent when no column tags */
  rowSets?: ReadonlyMap<readonly string[], number>;
  /** run by each VU at the start of every iteration, before the steps */
  script?: ScriptRef;
}

const encoder = new TextEncoder();

/** `rowSets`: per data row (file order), its tag set (src/plan/tags.ts ScenarioTagLayout), when columns tag requests. */
export function compileScenario(sc: Scenario, env: Readonly<Record<string, string>> = {}, rowSets: Int32Array | null = null): ScenarioProgram {
  const data = sc.data?.rows && sc.data.columns ? { columns: sc.data.columns, rows: sc.data.rows, order: sc.data.order } : undefined;
  const steps = sc.steps.map((st) => compileStep(st.compression === undefined && sc.compression !== undefined ? { ...st, compression: sc.compression } : st, env));
  const program: ScenarioProgram = { name: sc.name, steps, cookies: sc.cookies ?? true, data, thinkTimeMs: sc.think_time };
  if (data && rowSets !== null) program.rowSets = new Map(data.rows.map((row, r) => [row, rowSets[r] ?? 0]));
  if (sc.script !== undefined) program.script = sc.script;
  return program;
}

function compileStep(step: Step, env: Readonly<Record<string, string>>): StepProgram {
  const checks = compileChecks(step.checks ?? [], env);
  const extracts = compileExtracts(step.extract ?? []);
  const capture = checks.some((c) => c.needsResponse) || extracts.some((e) => e.needsResponse);
  const url = compileTemplate(step.url, env);
  const given = Object.keys(step.headers).some((n) => n.toLowerCase() === "accept-encoding");
  const stepHeaders = step.compression === undefined || given ? step.headers : { ...step.headers, "Accept-Encoding": acceptEncoding(step.compression) };
  const headers = Object.entries(stepHeaders).map(([name, value]) => [name, compileTemplate(value, env)] as const);
  const body = step.body === undefined ? undefined : compileTemplate(step.body, env);
  const templated = typeof url !== "string" || headers.some(([, v]) => typeof v !== "string") || (body !== undefined && typeof body !== "string");
  const fixed = (): PreparedRequest => {
    const literalHeaders = Object.fromEntries(headers.filter(([, v]) => typeof v === "string")) as Record<string, string>;
    const request = prepareRequest({ ...step, url: url as string, headers: literalHeaders, body: body as string | undefined, compression: step.compression });
    return capture ? { ...request, capture } : request;
  };
  const request = typeof url === "string" ? fixed() : null;
  return {
    name: step.name,
    request: templated ? null : request,
    render: templated ? renderer(step, url, headers, body, capture, request?.url) : null,
    checks,
    checkAsError: step.check_as_error ?? true,
    extracts,
    followRedirects: step.follow_redirects ?? true,
  };
}

function renderer(
  step: Step,
  url: Render | string,
  headers: readonly (readonly [string, Render | string])[],
  body: Render | string | undefined,
  capture: boolean,
  fixedUrl: URL | undefined,
): (ctx: TemplateContext) => PreparedRequest | string {
  const method = step.method.toUpperCase();
  return (ctx) => {
    let target = fixedUrl;
    if (target === undefined) {
      const text = (url as Render)(ctx);
      if (!URL.canParse(text)) return `the URL rendered as ${JSON.stringify(text)}, which is not a URL`;
      target = new URL(text);
      if (target.protocol !== "http:" && target.protocol !== "https:") return `the URL rendered as ${text}: only http and https are spoken`;
    }
    const out: Record<string, string> = {};
    for (const [name, value] of headers) {
      const text = typeof value === "string" ? value : value(ctx);
      const problem = headerProblem(name, text);
      if (problem !== null) return problem;
      out[name] = text;
    }
    const bodyText = body === undefined ? undefined : typeof body === "string" ? body : body(ctx);
    const request: PreparedRequest = { method, url: target, headers: out, body: bodyText === undefined ? undefined : encoder.encode(bodyText), timeout: step.timeout };
    if (capture) request.capture = true;
    if (step.compression !== undefined) request.compression = step.compression;
    return request;
  };
}
