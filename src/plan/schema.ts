// The plan's shape as zod schemas: what each key may hold, in the plan's words, and the defaults.

import { z } from "zod";
import { formatDuration, parseDuration } from "../core/duration.ts";
import {
  THRESHOLD_CONDITIONS,
  THRESHOLD_METRICS,
  type AgentLossPolicy,
  type EngineName,
  type HttpMethod,
  type Plan,
  type ProfileType,
  type Scenario,
  type Step,
  type Threshold,
} from "./types.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const satisfies readonly HttpMethod[];
export const PROFILE_TYPES = ["constant", "ramp_up", "ramp_down", "step", "spike"] as const satisfies readonly ProfileType[];
export const ENGINES = ["socket", "fetch"] as const satisfies readonly EngineName[];
export const AGENT_LOSS_POLICIES = ["continue", "redistribute", "abort"] as const satisfies readonly AgentLossPolicy[];

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

const httpUrl = text(`must be a URL such as "http://localhost:8080/path"`)
  .regex(/^https?:\/\//, { error: "must be an absolute URL starting with http:// or https://", abort: true })
  .refine((url) => URL.canParse(url) && new URL(url).hostname !== "", { error: "not a valid URL" });

const headers = z.record(
  text().regex(HEADER_NAME_PATTERN, { error: "not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)" }),
  textOrNumber.refine((value) => !/[\r\n\0]/.test(value), { error: "must not contain line breaks" }),
  { error: "must be a mapping of header names to values" },
);

const tags = z.record(name, textOrNumber, { error: "must be a mapping of tag names to values" });

const stepFields = {
  name,
  method: method.prefault("GET"),
  url: httpUrl,
  timeout: duration(1).prefault("30s"),
  headers: headers.prefault({}),
  body: text(`must be a string (quote a JSON body: body: '{"key": "value"}')`).optional(),
  tags: tags.prefault({}),
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
  }),
);

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
} as const satisfies Record<ProfileType, z.core.$ZodLooseShape>;

const profile = z.discriminatedUnion(
  "type",
  [
    mapping(profileShapes.constant),
    mapping(profileShapes.ramp_up),
    mapping(profileShapes.ramp_down),
    mapping(profileShapes.step),
    mapping(profileShapes.spike),
  ],
  { error: `must be a mapping with a type (${PROFILE_TYPES.join(", ")})` },
);

const scenarioFields = {
  duration: duration(1000),
  think_time: duration(0).prefault("0"),
  profile,
  steps: z.array(step, { error: "must be a list of steps" }).min(1, { error: "must list at least one step" }),
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
        steps: s.steps,
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
} as const;

/** The keys each profile type takes besides `type`. */
export const PROFILE_FIELDS: Record<ProfileType, string[]> = {
  constant: keysOf(profileShapes.constant).filter((k) => k !== "type"),
  ramp_up: keysOf(profileShapes.ramp_up).filter((k) => k !== "type"),
  ramp_down: keysOf(profileShapes.ramp_down).filter((k) => k !== "type"),
  step: keysOf(profileShapes.step).filter((k) => k !== "type"),
  spike: keysOf(profileShapes.spike).filter((k) => k !== "type"),
};
