// The validated plan: what the YAML says, with durations in milliseconds and defaults filled in.

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS";

// Load profiles are defined by their registry (src/schedule/profiles.ts): their types are derived from it.
export {
  isRateProfile,
  type Profile,
  type ProfileType,
  type RateProfile,
  type RateProfileType,
  type RateStage,
  type VuProfile,
  type VuProfileType,
} from "../schedule/profiles.ts";
import type { Profile } from "../schedule/profiles.ts";

/** One expectation about a response: which it is, and what it asks. */
export type Check =
  | { kind: "status"; statuses: { from: number; to: number }[] }
  | { kind: "header"; header: string; equals?: string; matches?: string }
  | { kind: "body"; contains?: string; matches?: string }
  | { kind: "json"; path: string; equals?: JsonValue; exists?: boolean }
  | { kind: "max_duration"; ms: number };

export type JsonValue = string | number | boolean | null;

/** Where a variable's value comes from in a response. */
export type Extract =
  | { name: string; from: "json"; path: string }
  | { name: string; from: "header"; header: string }
  | { name: string; from: "regex"; pattern: string }
  | { name: string; from: "cookie"; cookie: string };

export type DataOrder = "sequential" | "random" | "unique";

/** A CSV or JSON file of rows; each iteration takes one row and sees its columns as variables. */
export interface DataSource {
  /** as written in the plan: relative to the plan file */
  file: string;
  format: "csv" | "json";
  order: DataOrder;
  /** columns whose value in each row tags every request of the iteration that took the row (default none) */
  tags?: string[] | undefined;
  /** filled in before a run (attachPlanInputs): column names, and each row's values in that order */
  columns?: string[];
  rows?: string[][];
}

export interface Step {
  name: string;
  method: HttpMethod;
  url: string;
  /** ms */
  timeout: number;
  headers: Record<string, string>;
  body: string | undefined;
  tags: Record<string, string>;
  // The fields below are always set by the plan schema; code that builds a Step by hand may leave them out.
  /** checked on the final response, in plan order (default none) */
  checks?: Check[];
  /** a failed check also counts as an error of class "check" (default true) */
  check_as_error?: boolean;
  /** default none */
  extract?: Extract[];
  /** 3xx responses with a Location are followed, up to MAX_REDIRECTS (default true) */
  follow_redirects?: boolean;
  /** Accept-Encoding to ask for; the body is decoded for checks and extraction (default: the scenario's) */
  compression?: Compression | undefined;
}

export type Compression = "gzip" | "br" | "deflate" | "zstd" | "none";
/** "2": HTTP/2 (h2c by prior knowledge over http://); "auto": ALPN over TLS, h2 preferred */
export type HttpVersion = "1.1" | "2" | "auto";

/** The plan's `tls:` block for targets; the *_pem fields are the files' contents, filled in before a run. */
export interface PlanTls {
  insecure_skip_verify: boolean;
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  server_name?: string | undefined;
  min_version?: "1.2" | "1.3" | undefined;
  ca_pem?: string;
  cert_pem?: string;
  key_pem?: string;
}

export const MAX_REDIRECTS = 10;

export interface Scenario {
  name: string;
  /** ms */
  duration: number;
  /** ms, waited after each iteration */
  think_time: number;
  profile: Profile;
  steps: Step[];
  /** a cookie jar per VU (default true; always set by the plan schema) */
  cookies?: boolean;
  data?: DataSource | undefined;
  /** default: the plan's, else "1.1" */
  http?: HttpVersion | undefined;
  /** HTTP/2: connections per origin the VUs share (per worker thread); default one per VU */
  connections?: number | undefined;
  compression?: Compression | undefined;
  /** tags of every request of the scenario; a step's own tags add to and override them (always set by the plan schema) */
  tags?: Record<string, string>;
  /** a TypeScript module each VU runs per iteration, before the steps (`script: ./flows/x.ts`) */
  script?: ScriptRef | undefined;
}

/** A scenario's script: the path as written, and (filled in before a run) the bundled module with its hash and size. */
export interface ScriptRef {
  /** relative to the plan file */
  file: string;
  /** the bundle (one ES module, JS), set by attachPlanInputs */
  code?: string;
  /** sha256 of code, hex: every agent checks the bundle it got against it before its first VU starts */
  sha256?: string;
  bytes?: number;
  /** what the script's setup() returned, as JSON (absent: no setup) */
  shared?: string;
}

export const THRESHOLD_METRICS = [
  "p50", "p90", "p95", "p99", "min", "max", "mean", "rps", "error_ratio", "requests", "errors", "generator_saturation",
  "p50_intended", "p90_intended", "p95_intended", "p99_intended", "mean_intended", "max_intended",
  "checks", "dropped_iterations",
] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

export const THRESHOLD_CONDITIONS = ["<", ">", "<=", ">="] as const;
export type ThresholdCondition = (typeof THRESHOLD_CONDITIONS)[number];

export interface Threshold {
  metric: ThresholdMetric;
  condition: ThresholdCondition;
  /** ms for latency metrics, ratio (0..1) for error_ratio, checks and generator_saturation, per second for rps, counts for requests/errors */
  value: number;
  scenario?: string | undefined;
  step?: string | undefined;
  abort_on_fail: boolean;
  /** ms: abort_on_fail only acts after this much of the run has elapsed */
  delay: number;
  /** ms: judge only the last this-much of the run (per-second timeline) instead of all of it */
  window?: number | undefined;
  /** judge only requests whose tag set holds every one of these (absent: all requests of the scope) */
  tags?: Record<string, string> | undefined;
}

export type EngineName = "socket" | "fetch";
export type AgentLossPolicy = "continue" | "redistribute" | "abort";

export interface Plan {
  name: string;
  engine?: EngineName | undefined;
  on_agent_loss: AgentLossPolicy;
  /** In plan-file order. */
  scenarios: Scenario[];
  thresholds: Threshold[];
  http?: HttpVersion | undefined;
  connections?: number | undefined;
  tls?: PlanTls | undefined;
  /** distinct values each tag key may take in a run before further values fold into "other" (default 20) */
  max_tag_values?: number | undefined;
  /** values of the environment variables the templates name ({{env.NAME}}), filled in before a run */
  env?: Record<string, string>;
}
