// The plan's shape as zod schemas: what each key may hold, in the plan's words, and the defaults.

import { z } from "zod";
import { duration, mapping } from "../core/plan-values.ts";
import { PROFILES, profileSchema, type ScenarioFrame } from "../schedule/index.ts";
import {
  THRESHOLD_CONDITIONS,
  THRESHOLD_METRICS,
  type AgentLossPolicy,
  type Check,
  type Compression,
  type HttpVersion,
  type PlanTls,
  type DataSource,
  type EngineName,
  type Extract,
  type HttpMethod,
  type Plan,
  type Scenario,
  type ScriptRef,
  type Step,
} from "./types.ts";

export { PROFILE_FIELDS, PROFILE_TYPES } from "../schedule/index.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const satisfies readonly HttpMethod[];
export const ENGINES = ["socket", "fetch"] as const satisfies readonly EngineName[];
export const AGENT_LOSS_POLICIES = ["continue", "redistribute", "abort"] as const satisfies readonly AgentLossPolicy[];
export const DATA_ORDERS = ["sequential", "random", "unique"] as const;
export const HTTP_VERSIONS = ["1.1", "2", "auto"] as const satisfies readonly HttpVersion[];
export const COMPRESSIONS = ["gzip", "br", "deflate", "zstd", "none"] as const satisfies readonly Compression[];

// Names that read well inside a path (`scenarios.get-users.profile`) and a threshold scope (`[get-users]`).
const SCENARIO_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
// RFC 9110 token: what a header name may be made of.
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function oneOfMessage(values: readonly string[]): string {
  return `must be one of ${values.join(", ")}`;
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: oneOfMessage(values) });
}

const text = (what = "must be a string") => z.string({ error: what });
const name = text().min(1, { error: "must not be empty" });
// YAML reads `X-Version: 2` as a number; a header or tag is text on the wire, so numbers are taken as written.
const textOrNumber = z.union([z.string(), z.number()], { error: "must be a string" }).transform(String);

const method = z
  .enum([...HTTP_METHODS, ...HTTP_METHODS.map((m) => m.toLowerCase())] as [string, ...string[]], {
    error: oneOfMessage(HTTP_METHODS),
  })
  .transform((m) => m.toUpperCase() as HttpMethod);

// A URL that starts with a template ("{{base}}/users") is checked once rendered, when it is sent.
const URL_START = /^(https?:\/\/|\{\{)/;
// (no `abort` on the first check: an aborted issue would stop the checks that look across steps)
const httpUrl = text(`must be a URL such as "http://localhost:8080/path"`)
  .regex(URL_START, { error: "must be an absolute URL starting with http:// or https://" })
  .refine((url) => !URL_START.test(url) || url.includes("{{") || (URL.canParse(url) && new URL(url).hostname !== ""), { error: "not a valid URL" });

const headers = z.record(
  text().regex(HEADER_NAME_PATTERN, { error: "not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)" }),
  textOrNumber.refine((value) => !/[\r\n\0]/.test(value), { error: "must not contain line breaks" }),
  { error: "must be a mapping of header names to values" },
);

// A tag value is fixed: each distinct value keeps histograms of its own, so a per-request value ({{user.id}})
// could grow them without bound. A data column may tag requests instead (data.tags): its values are known up front.
const tags = z.record(
  name,
  textOrNumber.refine((value) => !value.includes("{{"), {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is templated: a tag value must be fixed (each value keeps its own histograms, and a per-request value could grow them without bound); to tag by a data file column, name it in the scenario's data.tags`,
  }),
  { error: "must be a mapping of tag names to values" },
);

const flag = z.boolean({ error: "must be true or false" });

// A status, a list of them, or a range: 200, [200, 201], "200-299", ["200-299", 404].
const STATUS_PATTERN = /^([1-5]\d\d)(-([1-5]\d\d))?$/;
const statusItem = z.union([z.int(), z.string()]);
const statusCheck = z
  .union([statusItem, z.array(statusItem).min(1)], { error: 'must be a status such as 200, a range such as "200-299", or a list of them' })
  .transform((value, ctx) => {
    const ranges: { from: number; to: number }[] = [];
    for (const item of Array.isArray(value) ? value : [value]) {
      const m = STATUS_PATTERN.exec(String(item));
      const from = m ? Number(m[1]) : NaN;
      const to = m?.[3] ? Number(m[3]) : from;
      if (!m || to < from) {
        ctx.addIssue({ code: "custom", input: value, message: `not a status or range: ${JSON.stringify(item)} (write e.g. 200 or "200-299")` });
        return z.NEVER;
      }
      ranges.push({ from, to });
    }
    return ranges;
  });

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const pattern = text("must be a regular expression (as a string)").refine((source) => regexProblem(source) === undefined, {
  error: (issue) => `not a valid regular expression: ${regexProblem(String(issue.input))}`,
});

const textMatch = mapping({ equals: text().optional(), matches: pattern.optional() });
const bodyMatch = mapping({ contains: text().optional(), matches: pattern.optional() });
const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: "must be a string, number, true, false or null" });
const jsonMatch = mapping({ equals: jsonScalar.optional(), exists: flag.optional() });

const checkFields = {
  status: statusCheck.optional(),
  header: z
    .record(text().regex(HEADER_NAME_PATTERN, { error: "not a valid header name" }), z.union([textOrNumber, textMatch]), {
      error: "must be a mapping of header names to a value or { equals | matches }",
    })
    .optional(),
  body: z.union([text(), bodyMatch], { error: "must be text to look for, or { contains | matches }" }).optional(),
  json: z
    .record(text(), z.union([jsonScalar, jsonMatch]), { error: "must be a mapping of JSON paths to a value or { equals | exists }" })
    .optional(),
  max_duration: duration(1).optional(),
};

/** The checks of a step as a list, in the order the plan writes them. */
const checks = mapping(checkFields).transform((c): Check[] => {
  const out: Check[] = [];
  if (c.status !== undefined) out.push({ kind: "status", statuses: c.status });
  for (const [header, want] of Object.entries(c.header ?? {})) {
    const match = typeof want === "string" ? { equals: want } : want;
    if (match.equals !== undefined) out.push({ kind: "header", header, equals: match.equals });
    if (match.matches !== undefined) out.push({ kind: "header", header, matches: match.matches });
  }
  if (c.body !== undefined) {
    const match = typeof c.body === "string" ? { contains: c.body } : c.body;
    if (match.contains !== undefined) out.push({ kind: "body", contains: match.contains });
    if (match.matches !== undefined) out.push({ kind: "body", matches: match.matches });
  }
  for (const [path, want] of Object.entries(c.json ?? {})) {
    const match = want !== null && typeof want === "object" ? want : { equals: want };
    if (match.equals !== undefined) out.push({ kind: "json", path, equals: match.equals });
    if (match.exists !== undefined) out.push({ kind: "json", path, exists: match.exists });
  }
  if (c.max_duration !== undefined) out.push({ kind: "max_duration", ms: c.max_duration });
  return out;
});

const extractFields = { json: text().optional(), header: text().optional(), regex: pattern.optional(), cookie: text().optional() };
const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const extracts = z
  .record(
    text().regex(VARIABLE_NAME_PATTERN, { error: "a variable name may hold only letters, digits and _ (and not start with a digit)" }),
    mapping(extractFields),
    { error: "must be a mapping of variable names to { json | header | regex | cookie }" },
  )
  .transform((byName, ctx): Extract[] =>
    Object.entries(byName).flatMap(([name, from]): Extract[] => {
      const given = Object.entries(from).filter(([, v]) => v !== undefined);
      if (given.length !== 1) {
        ctx.addIssue({ code: "custom", path: [name], input: from, message: "must name exactly one source: json, header, regex or cookie" });
        return [];
      }
      const [kind, value] = given[0] as [keyof typeof extractFields, string];
      switch (kind) {
        case "json":
          return [{ name, from: "json", path: value }];
        case "header":
          return [{ name, from: "header", header: value }];
        case "regex":
          return [{ name, from: "regex", pattern: value }];
        case "cookie":
          return [{ name, from: "cookie", cookie: value }];
      }
    }),
  );

// YAML reads `http: 2` and `min_version: 1.2` as numbers: they are taken as written.
const httpVersion = z
  .union([z.enum(HTTP_VERSIONS), z.literal(2), z.literal(1.1)], { error: `must be one of ${HTTP_VERSIONS.join(", ")}` })
  .transform((v): HttpVersion => (v === 2 ? "2" : v === 1.1 ? "1.1" : v));
const connections = z.int({ error: "must be a positive integer" }).min(1, { error: "must be a positive integer" });
const compression = oneOf(COMPRESSIONS);
const tlsFields = {
  insecure_skip_verify: flag.prefault(false),
  ca: name.optional(),
  cert: name.optional(),
  key: name.optional(),
  server_name: name.optional(),
  min_version: z
    .union([z.enum(["1.2", "1.3"]), z.literal(1.2), z.literal(1.3)], { error: "must be 1.2 or 1.3" })
    .transform((v) => (typeof v === "number" ? (v.toFixed(1) as "1.2" | "1.3") : v))
    .optional(),
};
const tls = mapping(tlsFields).superRefine((t, ctx) => {
  if ((t.cert === undefined) !== (t.key === undefined)) ctx.addIssue({ code: "custom", path: [t.cert === undefined ? "cert" : "key"], input: t, message: "a client certificate needs both cert and key" });
}).transform((t): PlanTls => t);

const stepFields = {
  name,
  method: method.prefault("GET"),
  url: httpUrl,
  timeout: duration(1).prefault("30s"),
  headers: headers.prefault({}),
  body: text(`must be a string (quote a JSON body: body: '{"key": "value"}')`).optional(),
  tags: tags.prefault({}),
  check: checks.optional(),
  check_as_error: flag.prefault(true),
  extract: extracts.optional(),
  follow_redirects: flag.prefault(true),
  compression: compression.optional(),
};

const step = mapping(stepFields).transform(
  (s): Step => ({
    name: s.name,
    method: s.method,
    url: s.url,
    timeout: s.timeout,
    headers: s.headers,
    body: s.body,
    tags: s.tags,
    checks: s.check ?? [],
    check_as_error: s.check_as_error,
    extract: s.extract ?? [],
    follow_redirects: s.follow_redirects,
    ...(s.compression !== undefined ? { compression: s.compression } : {}),
  }),
);

/**
 * The profile, from the registry: its own fields, then what they say about each other (ramp_up must go up),
 * checked once they are valid.
 */
const profile = profileSchema.superRefine((p, ctx) => {
  const def = PROFILES[p.type] as { check?: (p: unknown) => { path: (string | number)[]; message: string }[] };
  for (const problem of def.check?.(p) ?? []) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message, input: p });
});

/** Step names are how thresholds and reports tell steps apart: each once per scenario. Runs even when a step has other problems. */
function duplicateStepNames(steps: unknown[], ctx: z.core.$RefinementCtx<unknown[]>): void {
  const first = new Map<string, number>();
  steps.forEach((s, index) => {
    const name = s !== null && typeof s === "object" ? (s as { name?: unknown }).name : undefined;
    if (typeof name !== "string") return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else ctx.addIssue({ code: "custom", path: [index, "name"], input: name, message: `duplicate step name "${name}" (also steps[${earlier}])` });
  });
}

const dataFields = {
  file: text().min(1, { error: "must not be empty" }),
  format: oneOf(["csv", "json"]).optional(),
  order: oneOf(DATA_ORDERS).prefault("sequential"),
  tags: z.array(name, { error: "must be a list of column names" }).optional(),
};

const scenarioFields = {
  duration: duration(1000),
  think_time: duration(0).prefault("0"),
  profile,
  steps: z
    .array(step, { error: "must be a list of steps" })
    .min(1, { error: "must list at least one step" })
    .check(z.superRefine(duplicateStepNames, { when: () => true }))
    .optional(),
  /** a TypeScript module run by each VU every iteration (before the steps, if there are any) */
  script: text()
    .min(1, { error: "must not be empty" })
    .transform((file): ScriptRef => ({ file }))
    .optional(),
  cookies: flag.prefault(true),
  data: mapping(dataFields)
    .transform((d, ctx): DataSource => {
      const format = d.format ?? (/\.json$/i.test(d.file) ? "json" : /\.csv$/i.test(d.file) ? "csv" : undefined);
      if (format === undefined) {
        ctx.addIssue({ code: "custom", path: ["file"], input: d.file, message: "the name does not say csv or json: add format: csv (or json)" });
        return z.NEVER;
      }
      return { file: d.file, format, order: d.order, ...(d.tags !== undefined ? { tags: d.tags } : {}) };
    })
    .optional(),
  http: httpVersion.optional(),
  connections: connections.optional(),
  compression: compression.optional(),
  tags: tags.prefault({}),
};

/** What the profile says about its scenario (a spike ends within it), once profile, duration and think_time are valid. */
const scenario = mapping(scenarioFields).check(
  z.superRefine(
    (s, ctx) => {
      const def = PROFILES[s.profile.type] as { checkIn?: (p: unknown, frame: ScenarioFrame) => { path: (string | number)[]; message: string }[] };
      for (const problem of def.checkIn?.(s.profile, { durationMs: s.duration, thinkTimeMs: s.think_time }) ?? []) {
        ctx.addIssue({ code: "custom", path: problem.path, message: problem.message, input: s });
      }
    },
    { when: (payload) => !payload.issues.some((issue) => ["profile", "duration", "think_time"].includes(String(issue.path?.[0]))) },
  ),
);

const scenarios = z
  .record(
    text().regex(SCENARIO_NAME_PATTERN, { error: "a scenario name may hold only letters, digits, - and _" }),
    scenario,
    { error: "must be a mapping of scenario names to scenarios" },
  )
  .refine((byName) => Object.keys(byName).length > 0, { error: "must list at least one scenario" })
  .meta({ minProperties: 1 })
  // a list in file order (parsePlan restores it), each scenario carrying its name; a script scenario may have no steps
  .transform((byName) => Object.entries(byName).map(([scenarioName, s]): Scenario => ({ name: scenarioName, ...s, steps: s.steps ?? [] })));

const thresholdFields = {
  metric: oneOf(THRESHOLD_METRICS),
  condition: z.enum(THRESHOLD_CONDITIONS, {
    // YAML reads a bare `>` as the start of a folded block, which ends up empty.
    error: (issue) =>
      issue.input === "" || issue.input === null
        ? `${oneOfMessage(THRESHOLD_CONDITIONS)} (quote it: condition: ">")`
        : oneOfMessage(THRESHOLD_CONDITIONS),
  }),
  value: z.number({ error: "must be a number" }).min(0, { error: "must not be negative" }),
  scenario: name.optional(),
  step: name.optional(),
  abort_on_fail: z.boolean({ error: "must be true or false" }).prefault(false),
  delay: duration(0).prefault("0"),
  window: duration(1000).optional(),
  tags: z.record(name, textOrNumber, { error: "must be a mapping of tag names to values" }).optional(),
};

const RATIO_METRICS: readonly string[] = ["error_ratio", "generator_saturation", "checks"];
// what a tag scope cannot judge: tagged requests keep latency, counts and errors, not these
const UNTAGGED_METRICS: readonly string[] = ["generator_saturation", "checks", "dropped_iterations"];

/** What a threshold's own fields say about each other; scopes naming real scenarios are checked in consistency.ts. */
const threshold = mapping(thresholdFields).superRefine((t, ctx) => {
  if (RATIO_METRICS.includes(t.metric) && t.value > 1) {
    ctx.addIssue({ code: "custom", path: ["value"], input: t.value, message: `must be a ratio between 0 and 1 for ${t.metric} (0.01 means 1%)` });
  }
  if (t.tags !== undefined && UNTAGGED_METRICS.includes(t.metric)) {
    const message = `${t.metric} is not kept per tag (${t.metric === "generator_saturation" ? "the load generator serves every request" : t.metric === "checks" ? "checks are counted per step" : "drops belong to the scenario"}): judge it without tags`;
    ctx.addIssue({ code: "custom", path: ["tags"], input: t, message });
  }
  if (t.metric === "generator_saturation" && (t.scenario !== undefined || t.step !== undefined)) {
    const message = "generator_saturation is run-wide: the load generator serves every scenario, so it takes no scenario or step";
    ctx.addIssue({ code: "custom", path: [t.scenario !== undefined ? "scenario" : "step"], input: t, message });
  }
});

const planFields = {
  // without one, the plan takes its file's base name (spike.yaml → spike): parsePlan fills it in
  name: name.optional(),
  engine: oneOf(ENGINES).optional(),
  on_agent_loss: oneOf(AGENT_LOSS_POLICIES).prefault("redistribute"),
  scenarios,
  thresholds: z.array(threshold, { error: "must be a list of thresholds" }).prefault([]),
  http: httpVersion.optional(),
  connections: connections.optional(),
  tls: tls.optional(),
  max_tag_values: z
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(1000, { error: "must be at most 1000 (each value keeps histograms of its own)" })
    .optional(),
};

export const planSchema = z
  .strictObject(planFields, { error: "the plan must be a mapping with at least scenarios" })
  .meta({ title: "indus plan", description: "A load test plan for indus (YAML)." });

/** What the schema gives: a Plan, but for the name a plan without one takes from its file (parsePlan). */
export type ParsedPlan = z.output<typeof planSchema>;
// the schema and the Plan type must not drift apart: this fails to compile if they do
type Fits<T extends U, U> = T;
export type ParsedPlanFitsPlan = Fits<ParsedPlan, Omit<Plan, "name" | "env"> & { name?: string | undefined }>;

const keysOf = (shape: object): string[] => Object.keys(shape);

/** The keys each kind of mapping in a plan takes. */
export const FIELDS = {
  plan: keysOf(planFields),
  scenario: keysOf(scenarioFields),
  step: keysOf(stepFields),
  threshold: keysOf(thresholdFields),
  check: keysOf(checkFields),
  extract: keysOf(extractFields),
  data: keysOf(dataFields),
  tls: keysOf(tlsFields),
} as const;
