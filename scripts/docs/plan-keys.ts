// What each plan key means, in words: the prose the generated plan reference puts beside the schema's facts.
//
// Keys are doc ids: the key's path in a plan ("scenarios.<name>.steps[].url"), with "@type" for one
// member of a union ("scenarios.<name>.profile.start_vus@ramp_down"); a path alone introduces its table.
// Types, defaults and allowed values come from the schema itself; examples come from examples/*.yaml,
// and `example` here is only for keys no example plan uses. A `.meta({ description })` in
// src/plan/schema.ts is used when a key has no entry here. test/docs/generated.test.ts fails for a key
// that has neither, so a new key in the schema is documented before it ships.

import { PROFILES } from "../../src/schedule/index.ts";

export interface KeyDoc {
  description: string;
  example?: unknown;
}

/** Each load profile's own reference text, from the profile registry (src/schedule/*.ts). */
function profileKeys(): Record<string, KeyDoc> {
  const keys: Record<string, KeyDoc> = {};
  for (const def of Object.values(PROFILES)) {
    keys[`scenarios.<name>.profile@${def.type}`] = { description: def.docs.summary };
    for (const [field, doc] of Object.entries(def.docs.fields)) keys[`scenarios.<name>.profile.${field}@${def.type}`] = doc;
  }
  return keys;
}

export const PLAN_KEYS: Record<string, KeyDoc> = {
  ...profileKeys(),
  "": { description: "A plan is one YAML file. Unknown keys are errors (with a “did you mean”), and every problem is reported at once with file, line and path." },
  name: { description: "The test's name: shown in the live output, `indus runs`, and every report. Without one, the plan file's base name (`spike.yaml` → `spike`)." },
  engine: {
    description:
      "HTTP client. `socket`: Bun's native sockets, one keep-alive HTTP/1.1 connection per VU. `fetch`: Bun's `fetch`. Unset: `indus run --engine`, or the agent's `--engine`, else `socket`. (A local `indus run --engine` overrides the plan.)",
    example: "socket",
  },
  on_agent_loss: {
    description:
      "What a distributed run does when an agent drops out (stream closed or silent): `redistribute` moves its share to the remaining agents at the next second; `continue` runs on without that share; `abort` ends the run as failed (exit 1). The report records when the fleet shrank.",
    example: "redistribute",
  },
  http: {
    description:
      'HTTP version for every scenario (a scenario may set its own). `"1.1"`: the `engine`. `"2"`: HTTP/2 on `node:http2` — over `https://` by TLS, over `http://` as h2c by prior knowledge. `"auto"`: ALPN over TLS, h2 when the server offers it, else HTTP/1.1 on the `engine` (plain `http://` stays HTTP/1.1). HTTP/2 failures fold into error classes `protocol` (GOAWAY with an error, a broken frame, a body that does not decode) and `reset` (RST_STREAM, refused stream).',
    example: "2",
  },
  max_tag_values: {
    description:
      "Distinct values each tag key may take in a run (default 20). Values beyond it, in plan order (scenario tags, step tags, then data rows in file order), are counted under `other`; the summary and the reports say how many were folded. This bounds memory: every tag set keeps histograms of its own on every agent and the controller.",
    example: 20,
  },
  connections: {
    description:
      "HTTP/2 only: connections per origin that the VUs share, with their requests multiplexed as streams (never more at once than the server's `SETTINGS_MAX_CONCURRENT_STREAMS`; a request waiting for a stream slot is timed from when it was meant to start). Counted per worker thread. Unset: each VU owns one connection.",
    example: 8,
  },
  tls: {
    description:
      "TLS settings for HTTPS targets, on every engine. Certificate failures are errors of class `tls`, named by kind (certificate expired, unknown CA, name mismatch, …). The files are read next to the plan and travel inside it to every agent.",
  },
  "tls.insecure_skip_verify": { description: "Accept any certificate (self-signed, expired, another name's)." },
  "tls.ca": { description: "A PEM file of extra certificate authorities to trust (an internal CA), besides the system's.", example: "internal-ca.pem" },
  "tls.cert": { description: "A PEM client certificate, for targets that ask for one (mutual TLS); needs `key`.", example: "client.pem" },
  "tls.key": { description: "The client certificate's PEM private key.", example: "client.key" },
  "tls.server_name": { description: "The name sent as SNI and checked against the certificate, instead of the URL's host.", example: "api.internal" },
  "tls.min_version": { description: "The lowest TLS version accepted.", example: "1.3" },
  scenarios: { description: "The scenarios, run side by side from the same start. The name appears in output, reports, metric labels and threshold scopes." },
  thresholds: { description: "Pass/fail gates, judged every second and at the end; the end decides the exit code. See [Thresholds](#thresholds)." },

  "scenarios.<name>": { description: "One scenario: a population of VUs that follows a load profile, each running the steps in order, again and again." },
  "scenarios.<name>.duration": { description: "How long the scenario runs, at least 1s. The schedule ticks once a second; a partial last second counts as a second." },
  "scenarios.<name>.think_time": { description: "Pause after each iteration (after the last step), per VU; thinking VUs wake in batches, so a pause may last up to 0.2% (at most 10 ms) longer." },
  "scenarios.<name>.profile": {
    description: "How the load moves over time: a number of VUs each second (closed model), or iterations started per `time_unit` (`*_rate`, open model). See [Load profiles](#load-profiles).",
  },
  "scenarios.<name>.steps": { description: "HTTP requests every VU sends in this order, once per iteration. Required unless the scenario has a `script`." },

  "scenarios.<name>.profile.type": { description: "The profile type." },

  "scenarios.<name>.script": {
    description: "A TypeScript (or JavaScript) module, relative to the plan file, whose default export each VU runs once per iteration, before the `steps` (if any). See [Scripted scenarios](#scripted-scenarios).",
    example: "./flows/checkout.ts",
  },
  "scenarios.<name>.cookies": { description: "A cookie jar per VU: `Set-Cookie` answers are sent back on the VU's later requests (and kept across its iterations)." },
  "scenarios.<name>.http": { description: "This scenario's HTTP version (see the plan's `http`)." , example: "auto" },
  "scenarios.<name>.connections": { description: "This scenario's shared HTTP/2 connections (see the plan's `connections`).", example: 4 },
  "scenarios.<name>.compression": {
    description:
      "Ask for compressed responses: sets `Accept-Encoding` (unless a step's headers do) and decodes the body (Bun's zlib, brotli and zstd) for checks and extraction. `bytes_in` stays the bytes on the wire; the decoded size is counted beside it. A body that does not decode is an error of class `protocol`. `none` asks for `identity`.",
    example: "gzip",
  },
  "scenarios.<name>.data": { description: "A data file: each iteration takes one row, whose columns are `{{column}}` variables in its steps." },
  "scenarios.<name>.data.file": { description: "CSV (with a header row) or JSON (a list of objects), relative to the plan file; it travels with the plan to every agent.", example: "users.csv" },
  "scenarios.<name>.data.format": { description: "Unset: from the file name (`.csv`, `.json`)." },
  "scenarios.<name>.data.order": { description: "`sequential`: rows in order, wrapping around; `random`: any row each time; `unique`: every row once, then that part of the load stops." },

  "scenarios.<name>.profile.stages[]": { description: "One piece of a `ramping_rate` profile." },
  "scenarios.<name>.profile.stages[].target": { description: "The rate (per `time_unit`) at the end of the stage.", example: 100 },
  "scenarios.<name>.profile.stages[].duration": { description: "How long the stage takes to reach its target (0 jumps).", example: "30s" },

  "scenarios.<name>.steps[]": { description: "One HTTP request. Metrics are kept per step and per scenario, and for the whole run." },
  "scenarios.<name>.steps[].name": { description: "Unique within its scenario; used in output, reports, metric labels and threshold scopes." },
  "scenarios.<name>.steps[].method": { description: "HTTP method." },
  "scenarios.<name>.steps[].url": { description: "Absolute URL; HTTPS works with both engines." },
  "scenarios.<name>.steps[].timeout": {
    description: "Longest wait for the whole response, at least 1ms. A request that runs out counts as an error of class `timeout` (and its connection is dropped).",
  },
  "scenarios.<name>.steps[].headers": {
    description: "Request headers. Numbers are sent as written (`X-Version: 2`); `Host`, `Content-Length` and `Connection` are added as needed.",
    example: { Accept: "application/json" },
  },
  "scenarios.<name>.steps[].body": { description: "Request body, sent as is (quote JSON, as in the example)." },
  "scenarios.<name>.steps[].tags": {
    description:
      "Tags of this step's requests, added to (and overriding) the scenario's. Every request's metrics are kept per distinct tag set too: `indus run --summary-by tag:NAME`, a table per tag key in the JSON and HTML reports, `tag_<key>` labels in Prometheus, and `tags:` on a threshold. Values are fixed text: a templated value (`{{user.id}}`) is refused, since each value keeps histograms of its own; tag by a data column with `data.tags` instead.",
  },
  "scenarios.<name>.tags": {
    description: "Tags of every request of this scenario (see a step's `tags`); a step's own tags add to and override them.",
    example: { team: "checkout" },
  },
  "scenarios.<name>.data.tags": {
    description:
      "Columns whose value in each row tags every request of the iteration that took the row (overriding scenario and step tags of the same name): one step, many tag values, resolved once per row before the run. Each key keeps at most `max_tag_values` distinct values; the rest count as `other`.",
    example: ["region"],
  },
  "scenarios.<name>.steps[].check": { description: "Conditions the response must meet; their pass rate is the `checks` threshold metric." },
  "scenarios.<name>.steps[].check.status": { description: "Allowed status codes: one, a range, or a list of them.", example: "200-299" },
  "scenarios.<name>.steps[].check.header": { description: "Headers that must equal a value, or `{ equals | matches }` (a regular expression).", example: { "Content-Type": { matches: "json" } } },
  "scenarios.<name>.steps[].check.body": { description: "Text the body must contain, or `{ contains | matches }`.", example: "ok" },
  "scenarios.<name>.steps[].check.json": { description: "JSON paths (`data.items[0].id`) that must equal a value, or `{ equals | exists }`.", example: { token: { exists: true } } },
  "scenarios.<name>.steps[].check.header.<name>": { description: "Instead of a value the header must equal: one or both of these." },
  "scenarios.<name>.steps[].check.header.<name>.equals": { description: "The header's whole value.", example: "application/json" },
  "scenarios.<name>.steps[].check.header.<name>.matches": { description: "A regular expression the value must match somewhere.", example: "json" },
  "scenarios.<name>.steps[].check.body.contains": { description: "Text the body must contain.", example: "ok" },
  "scenarios.<name>.steps[].check.body.matches": { description: "A regular expression the body must match somewhere.", example: "\"id\":\\s*\\d+" },
  "scenarios.<name>.steps[].check.json.<name>": { description: "Instead of a value the path must equal: one or both of these." },
  "scenarios.<name>.steps[].check.json.<name>.equals": { description: "The value at the path (a string, number, boolean or null).", example: "active" },
  "scenarios.<name>.steps[].check.json.<name>.exists": { description: "Whether the path must exist (`false`: must not).", example: true },
  "scenarios.<name>.steps[].check.max_duration": { description: "The response must take no longer than this.", example: "500ms" },
  "scenarios.<name>.steps[].check_as_error": { description: "A failed check also counts the request as an error (class `check`)." },
  "scenarios.<name>.steps[].extract": {
    description: "Values read from the response into VU variables, used as `{{name}}` in later steps' url, headers and body.",
    example: { token: { json: "token" } },
  },
  "scenarios.<name>.steps[].extract.<name>": { description: "One variable; exactly one source." },
  "scenarios.<name>.steps[].extract.<name>.json": { description: "A JSON path into the body.", example: "token" },
  "scenarios.<name>.steps[].extract.<name>.header": { description: "A response header.", example: "Location" },
  "scenarios.<name>.steps[].extract.<name>.regex": { description: "A regular expression over the body; its first group is the value.", example: "csrf=(\\w+)" },
  "scenarios.<name>.steps[].extract.<name>.cookie": { description: "A cookie from the VU's jar.", example: "session" },
  "scenarios.<name>.steps[].compression": { description: "This step's compression, instead of the scenario's.", example: "br" },
  "scenarios.<name>.steps[].follow_redirects": {
    description: "Follow redirects (301, 302, 303, 307, 308 with a `Location`; up to 10). Each hop counts as a request of the step; checks and extraction see the last response.",
  },

  "thresholds[]": { description: "One gate: `metric condition value`, over the whole run or a scope. See [Thresholds](#thresholds) for units and the no-data rule." },
  "thresholds[].metric": { description: "What is judged; the unit depends on the metric (see the [metric table](#threshold-metrics))." },
  "thresholds[].condition": { description: "Comparison; quote it in YAML (`\">\"` unquoted starts a folded block)." },
  "thresholds[].value": { description: "The bound, in the metric's unit: ms for latencies, 0..1 for ratios (0.01 is 1%), per second for rps, whole numbers for counts." },
  "thresholds[].scenario": { description: "Judge only this scenario (it must exist in the plan).", example: "get-users" },
  "thresholds[].step": { description: "Judge only this step: of `scenario` if given, else this step in any scenario.", example: "list-users" },
  "thresholds[].abort_on_fail": { description: "Stop the run early (exit 1) as soon as this threshold fails…", example: true },
  "thresholds[].delay": { description: "…but not before this much of the run has passed (lets the latency settle).", example: "10s" },
  "thresholds[].tags": {
    description: "Judge only the requests whose tags include all of these (k6-style), within the threshold's scenario/step if it names them: `{ metric: p95, condition: \"<\", value: 300, tags: { endpoint: users } }`.",
    example: { endpoint: "users" },
  },
  "thresholds[].window": { description: "Judge only the last this-much of the run (at least 1s) instead of all of it.", example: "30s" },
};

/** What each threshold metric measures, for the generated metric table; units and no-data rules come from src/threshold. */
export const METRIC_MEANINGS: Record<string, string> = {
  p50: "median latency",
  p90: "90th percentile latency",
  p95: "95th percentile latency",
  p99: "99th percentile latency",
  min: "fastest response",
  max: "slowest response",
  mean: "average latency",
  rps: "requests per second, over the whole run (or scope)",
  error_ratio: "failed requests / requests (connect, timeout, reset, DNS, TLS and protocol errors, HTTP 4xx and 5xx, failed checks)",
  requests: "requests sent",
  errors: "failed requests",
  generator_saturation: "share of measured seconds in which the load generator itself was saturated (run-wide only)",
  p50_intended: "median latency from each iteration's scheduled start (arrival-rate scenarios: waiting for a VU counts)",
  p90_intended: "90th percentile latency from the scheduled start (arrival-rate scenarios)",
  p95_intended: "95th percentile latency from the scheduled start (arrival-rate scenarios)",
  p99_intended: "99th percentile latency from the scheduled start (arrival-rate scenarios)",
  mean_intended: "average latency from the scheduled start (arrival-rate scenarios)",
  max_intended: "slowest latency from the scheduled start (arrival-rate scenarios)",
  checks: "checks passed / checks run",
  dropped_iterations: "arrivals that found no free VU (arrival-rate scenarios)",
};
