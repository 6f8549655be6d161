// The plan's shape as zod schemas: what each key may hold, in the plan's words, and the defaults.

import { z } from "zod";
import { formatDuration, parseDuration } from "../core/duration.ts";
import {
  THRESHOLD_CONDITIONS,
  THRESHOLD_METRICS,
  type AgentLossPolicy,
  type Check,
  type DataSource,
  type EngineName,
  type Extract,
  type HttpMethod,
  type Plan,
  type ProfileType,
  type RateProfile,
  type Scenario,
  type Step,
  type Threshold,
} from "./types.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const satisfies readonly HttpMethod[];
export const PROFILE_TYPES = [
  "constant", "ramp_up", "ramp_down", "step", "spike", "constant_rate", "ramping_rate",
] as const satisfies readonly ProfileType[];
export const ENGINES = ["socket", "fetch"] as const satisfies readonly EngineName[];
export const AGENT_LOSS_POLICIES = ["continue", "redistribute", "abort"] as const satisfies readonly AgentLossPolicy[];
export const DATA_ORDERS = ["sequential", "random", "unique"] as const;

// "0" alone, or number+unit parts: "200ms", "1.5s", "1h30m". Mirrors parseDuration, and shows in the JSON Schema.
const DURATION_PATTERN = /^(0|(\d+(\.\d+)?(ms|s|m|h))+)$/;
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

function mapping<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, { error: "must be a mapping of keys to values" });
}

/** A duration string turned into milliseconds, at least `minMs`. */
export function duration(minMs: number) {
  return z
    .string({
      error: (issue) =>
        typeof issue.input === "number"
          ? `must be a duration with a unit: write e.g. "${issue.input}s" or "${issue.input}ms"`
          : `must be a duration such as "30s"`,
    })
    .regex(DURATION_PATTERN, {
      error: (issue) => `not a duration: "${String(issue.input)}" (write e.g. "200ms", "30s", "2m" or "1h30m")`,
    })
    .transform((text, ctx) => {
      const ms = parseDuration(text) ?? 0; // the pattern has already admitted it
      if (ms < minMs) ctx.addIssue({ code: "custom", input: text, message: `must be at least ${formatDuration(minMs)}` });
      return ms;
    });
}

/** A VU count: a whole number, at least `min`. */
export function vuCount(min: 0 | 1) {
  const message = min === 0 ? "must be a non-negative integer" : "must be a positive integer";
  return z.int({ error: message }).min(min, { error: message });
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
const httpUrl = text(`must be a URL such as "http://localhost:8080/path"`)
  .regex(/^(https?:\/\/|\{\{)/, { error: "must be an absolute URL starting with http:// or https://", abort: true })
  .refine((url) => url.includes("{{") || (URL.canParse(url) && new URL(url).hostname !== ""), { error: "not a valid URL" });

const headers = z.record(
  text().regex(HEADER_NAME_PATTERN, { error: "not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)" }),
  textOrNumber.refine((value) => !/[\r\n\0]/.test(value), { error: "must not contain line breaks" }),
  { error: "must be a mapping of header names to values" },
);

const tags = z.record(name, textOrNumber, { error: "must be a mapping of tag names to values" });

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
  }),
);

/** Iterations per time_unit: a number (not only whole: 0.5 per 1s is one every 2 s). */
function rateValue(positive: boolean) {
  const message = positive ? "must be a number above 0 (iterations per time_unit)" : "must be a number, 0 or more (iterations per time_unit)";
  const n = z.number({ error: message });
  return positive ? n.positive({ error: message }) : n.min(0, { error: message });
}

const rateFields = {
  time_unit: duration(1).prefault("1s"),
  pre_allocated_vus: vuCount(0),
  max_vus: vuCount(1).optional(),
  max_lateness: duration(0).prefault("0"),
};

const profileShapes = {
  constant: { type: z.literal("constant"), vus: vuCount(1) },
  ramp_up: { type: z.literal("ramp_up"), start_vus: vuCount(0), end_vus: vuCount(0) },
  ramp_down: { type: z.literal("ramp_down"), start_vus: vuCount(0), end_vus: vuCount(0) },
  step: { type: z.literal("step"), start_vus: vuCount(0), step_vus: vuCount(0), step_duration: duration(1000) },
  spike: {
    type: z.literal("spike"),
    base_vus: vuCount(0),
    spike_vus: vuCount(0),
    spike_at: duration(1000),
    spike_duration: duration(1000),
  },
  constant_rate: { type: z.literal("constant_rate"), rate: rateValue(true), ...rateFields },
  ramping_rate: {
    type: z.literal("ramping_rate"),
    start_rate: rateValue(false).prefault(0),
    stages: z
      .array(mapping({ target: rateValue(false), duration: duration(0) }), { error: "must be a list of stages ({ target, duration })" })
      .min(1, { error: "must list at least one stage" }),
    ...rateFields,
  },
} as const satisfies Record<ProfileType, z.core.$ZodLooseShape>;

/** max_vus defaults to pre_allocated_vus, as in k6. */
function withMaxVus<P extends Omit<RateProfile, "max_vus"> & { max_vus?: number | undefined }>(p: P): P & { max_vus: number } {
  return { ...p, max_vus: p.max_vus ?? p.pre_allocated_vus };
}

const profile = z.discriminatedUnion(
  "type",
  [
    mapping(profileShapes.constant),
    mapping(profileShapes.ramp_up),
    mapping(profileShapes.ramp_down),
    mapping(profileShapes.step),
    mapping(profileShapes.spike),
    mapping(profileShapes.constant_rate).transform(withMaxVus),
    mapping(profileShapes.ramping_rate).transform(withMaxVus),
  ],
  { error: `must be a mapping with a type (${PROFILE_TYPES.join(", ")})` },
);

const dataFields = {
  file: text().min(1, { error: "must not be empty" }),
  format: oneOf(["csv", "json"]).optional(),
  order: oneOf(DATA_ORDERS).prefault("sequential"),
};

const scenarioFields = {
  duration: duration(1000),
  think_time: duration(0).prefault("0"),
  profile,
  steps: z.array(step, { error: "must be a list of steps" }).min(1, { error: "must list at least one step" }).optional(),
  /** a TypeScript module run by each VU every iteration (before the steps, if there are any) */
  script: text().min(1, { error: "must not be empty" }).optional(),
  cookies: flag.prefault(true),
  data: mapping(dataFields)
    .transform((d, ctx): DataSource => {
      const format = d.format ?? (/\.json$/i.test(d.file) ? "json" : /\.csv$/i.test(d.file) ? "csv" : undefined);
      if (format === undefined) {
        ctx.addIssue({ code: "custom", path: ["file"], input: d.file, message: "the name does not say csv or json: add format: csv (or json)" });
        return z.NEVER;
      }
      return { file: d.file, format, order: d.order };
    })
    .optional(),
};

const scenarios = z
  .record(
    text().regex(SCENARIO_NAME_PATTERN, { error: "a scenario name may hold only letters, digits, - and _" }),
    mapping(scenarioFields),
    { error: "must be a mapping of scenario names to scenarios" },
  )
  .refine((byName) => Object.keys(byName).length > 0, { error: "must list at least one scenario" })
  .meta({ minProperties: 1 })
  .transform((byName) =>
    Object.entries(byName).map(
      ([scenarioName, s]): Scenario => ({
        name: scenarioName,
        duration: s.duration,
        think_time: s.think_time,
        profile: s.profile,
        steps: s.steps ?? [],
        cookies: s.cookies,
        data: s.data,
        ...(s.script === undefined ? {} : { script: { file: s.script } }),
      }),
    ),
  );

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
};

const threshold = mapping(thresholdFields).transform(
  (t): Threshold => ({
    metric: t.metric,
    condition: t.condition,
    value: t.value,
    scenario: t.scenario,
    step: t.step,
    abort_on_fail: t.abort_on_fail,
    delay: t.delay,
    window: t.window,
  }),
);

const planFields = {
  name,
  engine: oneOf(ENGINES).optional(),
  on_agent_loss: oneOf(AGENT_LOSS_POLICIES).prefault("redistribute"),
  scenarios,
  thresholds: z.array(threshold, { error: "must be a list of thresholds" }).prefault([]),
};

export const planSchema = z
  .strictObject(planFields, { error: "the plan must be a mapping with at least name and scenarios" })
  .meta({ title: "indus plan", description: "A load test plan for indus (YAML)." })
  .transform(
    (p): Plan => ({
      name: p.name,
      engine: p.engine,
      on_agent_loss: p.on_agent_loss,
      scenarios: p.scenarios,
      thresholds: p.thresholds,
    }),
  );

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
} as const;

/** The keys each profile type takes besides `type`. */
export const PROFILE_FIELDS: Record<ProfileType, string[]> = {
  constant: keysOf(profileShapes.constant).filter((k) => k !== "type"),
  ramp_up: keysOf(profileShapes.ramp_up).filter((k) => k !== "type"),
  ramp_down: keysOf(profileShapes.ramp_down).filter((k) => k !== "type"),
  step: keysOf(profileShapes.step).filter((k) => k !== "type"),
  spike: keysOf(profileShapes.spike).filter((k) => k !== "type"),
  constant_rate: keysOf(profileShapes.constant_rate).filter((k) => k !== "type"),
  ramping_rate: keysOf(profileShapes.ramping_rate).filter((k) => k !== "type"),
};
