// The validated plan: what the YAML says, with durations in milliseconds and defaults filled in.

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS";

export type Profile =
  | { type: "constant"; vus: number }
  | { type: "ramp_up"; start_vus: number; end_vus: number }
  | { type: "ramp_down"; start_vus: number; end_vus: number }
  | { type: "step"; start_vus: number; step_vus: number; step_duration: number }
  | { type: "spike"; base_vus: number; spike_vus: number; spike_at: number; spike_duration: number };

export type ProfileType = Profile["type"];

export interface Step {
  name: string;
  method: HttpMethod;
  url: string;
  /** ms */
  timeout: number;
  headers: Record<string, string>;
  body: string | undefined;
  tags: Record<string, string>;
}

export interface Scenario {
  name: string;
  /** ms */
  duration: number;
  /** ms, waited after each iteration */
  think_time: number;
  profile: Profile;
  steps: Step[];
}

export const THRESHOLD_METRICS = [
  "p50", "p90", "p95", "p99", "min", "max", "mean", "rps", "error_ratio", "requests", "errors",
] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

export const THRESHOLD_CONDITIONS = ["<", ">", "<=", ">="] as const;
export type ThresholdCondition = (typeof THRESHOLD_CONDITIONS)[number];

export interface Threshold {
  metric: ThresholdMetric;
  condition: ThresholdCondition;
  /** ms for latency metrics, ratio (0..1) for error_ratio, per second for rps, counts for requests/errors */
  value: number;
  scenario: string | undefined;
  step: string | undefined;
  abort_on_fail: boolean;
  /** ms: abort_on_fail only acts after this much of the run has elapsed */
  delay: number;
}

export type EngineName = "socket" | "fetch";
export type AgentLossPolicy = "continue" | "redistribute" | "abort";

export interface Plan {
  name: string;
  engine: EngineName | undefined;
  on_agent_loss: AgentLossPolicy;
  /** In plan-file order. */
  scenarios: Scenario[];
  thresholds: Threshold[];
}
