// Each kind of mistake in a plan yields one problem with the right path, line, column and words.
import { describe, expect, test } from "bun:test";
import { PlanError, type PlanProblem } from "../../src/core/errors.ts";
import { parsePlan } from "../../src/plan/index.ts";

// A valid plan, one line per entry, so that the cases below can name lines by number.
const BASE = [
  "name: t", //                                     1
  "scenarios:", //                                  2
  "  get-users:", //                                3
  "    duration: 30s", //                           4
  "    profile:", //                                5
  "      type: constant", //                        6
  "      vus: 10", //                               7
  "    steps:", //                                  8
  "      - name: list-users", //                    9
  "        url: http://localhost:8080/api/users", // 10
];

/** BASE with lines `from`..`from+count-1` (1-based) replaced by `lines`. */
function edit(from: number, count: number, ...lines: string[]): string {
  const out = [...BASE];
  out.splice(from - 1, count, ...lines);
  return out.join("\n") + "\n";
}
const replace = (line: number, text: string) => edit(line, 1, text);
const insertAfter = (line: number, ...lines: string[]) => edit(line + 1, 0, ...lines);
const append = (...lines: string[]) => [...BASE, ...lines].join("\n") + "\n";

function problemsOf(yaml: string): PlanProblem[] {
  try {
    parsePlan(yaml, "plan.yaml");
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error("the plan parsed, but problems were expected");
}

const SPIKE = (at: string, length: string) => [
  "      type: spike",
  "      base_vus: 5",
  "      spike_vus: 50",
  `      spike_at: ${at}`,
  `      spike_duration: ${length}`,
];

type Case = [name: string, yaml: string, path: string, line: number, column: number, message: string];

const cases: Case[] = [
  ["vus zero", replace(7, "      vus: 0"), "scenarios.get-users.profile.vus", 7, 12, "0 must be a positive integer"],
  ["vus fractional", replace(7, "      vus: 2.5"), "scenarios.get-users.profile.vus", 7, 12, "2.5 must be a positive integer"],
  ["vus as text", replace(7, "      vus: ten"), "scenarios.get-users.profile.vus", 7, 12, '"ten" must be a positive integer'],
  ["ramp start_vus negative", edit(6, 2, "      type: ramp_up", "      start_vus: -1", "      end_vus: 5"),
    "scenarios.get-users.profile.start_vus", 7, 18, "-1 must be a non-negative integer"],
  ["unknown key with suggestion", insertAfter(4, "    thinktime: 200ms"),
    "scenarios.get-users.thinktime", 5, 5, 'unknown key "thinktime" (did you mean "think_time"?)'],
  ["unknown key without a close match", insertAfter(10, "        colour: red"),
    "scenarios.get-users.steps[0].colour", 11, 9,
    'unknown key "colour" (expected one of name, method, url, timeout, headers, body, tags, check, check_as_error, extract, follow_redirects, compression)'],
  ["unknown top-level key", append("threshold: []"), "threshold", 11, 1, 'unknown key "threshold" (did you mean "thresholds"?)'],
  ["profile field of another type", edit(6, 2, "      type: ramp_up", "      start_vus: 1", "      end_vus: 5", "      vus: 3"),
    "scenarios.get-users.profile.vus", 9, 7, "not a field of profile type ramp_up (it takes start_vus, end_vus)"],
  ["spike field in a step profile", edit(6, 2, "      type: step", "      start_vus: 1", "      step_vus: 5", "      step_duration: 10s", "      spike_at: 5s"),
    "scenarios.get-users.profile.spike_at", 10, 7, "not a field of profile type step (it takes start_vus, step_vus, step_duration)"],
  ["unknown profile type", replace(6, "      type: constnt"), "scenarios.get-users.profile.type", 6, 13,
    '"constnt" is not a profile type (did you mean "constant"?)'],
  ["missing profile type", edit(6, 1), "scenarios.get-users.profile.type", 6, 7,
    "required: one of constant, ramp_up, ramp_down, step, spike, constant_rate, ramping_rate"],
  ["profile not a mapping", edit(5, 3, "    profile: constant"), "scenarios.get-users.profile", 5, 14,
    '"constant" must be a mapping with a type (constant, ramp_up, ramp_down, step, spike, constant_rate, ramping_rate)'],
  ["bad duration", replace(4, "    duration: 30 seconds"), "scenarios.get-users.duration", 4, 15,
    '"30 seconds" is not a duration (examples: 30s, 2m, 1h30m)'],
  ["bare number duration", replace(4, "    duration: 30"), "scenarios.get-users.duration", 4, 15,
    '30 is not a duration: it needs a unit (write "30s" or "30ms")'],
  ["scenario duration under 1s", replace(4, "    duration: 500ms"), "scenarios.get-users.duration", 4, 15, '"500ms" must be at least 1s'],
  ["step_duration under 1s", edit(6, 2, "      type: step", "      start_vus: 1", "      step_vus: 5", "      step_duration: 100ms"),
    "scenarios.get-users.profile.step_duration", 9, 22, '"100ms" must be at least 1s'],
  ["bad method", insertAfter(9, "        method: FETCH"), "scenarios.get-users.steps[0].method", 10, 17,
    '"FETCH" is not an HTTP method (one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)'],
  ["misspelt method", insertAfter(9, "        method: POTS"), "scenarios.get-users.steps[0].method", 10, 17,
    '"POTS" is not an HTTP method (did you mean "POST"?)'],
  ["URL without scheme", replace(10, "        url: localhost:8080/api/users"), "scenarios.get-users.steps[0].url", 10, 14,
    '"localhost:8080/api/users" must be an absolute URL starting with http:// or https://'],
  ["URL of another scheme", replace(10, "        url: ftp://localhost/file"), "scenarios.get-users.steps[0].url", 10, 14,
    '"ftp://localhost/file" must be an absolute URL starting with http:// or https://'],
  ["URL without host", replace(10, '        url: "http://"'), "scenarios.get-users.steps[0].url", 10, 14, '"http://" is not a valid URL'],
  ["missing URL", edit(10, 1), "scenarios.get-users.steps[0].url", 9, 9, "required"],
  ["no scenarios", edit(2, 9, "scenarios: {}"), "scenarios", 2, 12, "must list at least one scenario"],
  ["no steps", edit(8, 3, "    steps: []"), "scenarios.get-users.steps", 8, 12, "must list at least one step"],
  ["scenario name with a space", replace(3, "  get users:"), "scenarios.get users", 3, 3,
    "a scenario name may hold only letters, digits, - and _"],
  ["header value with a line break", insertAfter(10, "        headers:", '          X-Evil: "a\\r\\nHost: b"'),
    "scenarios.get-users.steps[0].headers.X-Evil", 12, 19, '"a\\r\\nHost: b" must not contain line breaks'],
  ["header name with a space", insertAfter(10, "        headers:", "          Bad Name: x"),
    "scenarios.get-users.steps[0].headers.Bad Name", 12, 11, "not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)"],
  ["body as a mapping", insertAfter(10, "        body: {a: 1}"), "scenarios.get-users.steps[0].body", 11, 15,
    `{"a":1} must be a string (quote a JSON body: body: '{"key": "value"}')`],
  ["duplicate step name", append("      - name: list-users", "        url: http://localhost:8080/other"),
    "scenarios.get-users.steps[1].name", 11, 15, 'duplicate step name "list-users" (also steps[0])'],
  ["ramp_up going down", edit(6, 2, "      type: ramp_up", "      start_vus: 10", "      end_vus: 5"),
    "scenarios.get-users.profile.end_vus", 8, 16, "5 must be at least start_vus (10) for ramp_up; to go down use ramp_down"],
  ["ramp_down going up", edit(6, 2, "      type: ramp_down", "      start_vus: 5", "      end_vus: 10"),
    "scenarios.get-users.profile.end_vus", 8, 16, "10 must be at most start_vus (5) for ramp_down; to go up use ramp_up"],
  ["ramp_up that never runs a VU", edit(6, 2, "      type: ramp_up", "      start_vus: 0", "      end_vus: 0"),
    "scenarios.get-users.profile.end_vus", 8, 16, "0 must be at least 1: the profile never runs a VU"],
  ["step that never runs a VU", edit(6, 2, "      type: step", "      start_vus: 0", "      step_vus: 5", "      step_duration: 30s"),
    "scenarios.get-users.profile.step_duration", 9, 22,
    `"30s" must be shorter than the scenario's duration (30s) when start_vus is 0: the profile never runs a VU`],
  ["spike window past the end", edit(6, 2, ...SPIKE("20s", "15s")), "scenarios.get-users.profile.spike_duration", 10, 23,
    `"15s": the spike (20s to 35s) must end within the scenario's duration (30s)`],
  ["spike starting after the end", edit(6, 2, ...SPIKE("40s", "5s")), "scenarios.get-users.profile.spike_at", 9, 17,
    '"40s" must be before the end of the scenario (duration 30s)'],
  ["unknown threshold scenario", append("thresholds:", "  - metric: p95", '    condition: "<"', "    value: 500", "    scenario: get-user"),
    "thresholds[0].scenario", 15, 15, 'no scenario named "get-user" in this plan (did you mean "get-users"?)'],
  ["unknown threshold step in its scenario", append("thresholds:", "  - metric: p95", '    condition: "<"', "    value: 500", "    scenario: get-users", "    step: list"),
    "thresholds[0].step", 16, 11, 'scenario "get-users" has no step named "list" (steps: list-users)'],
  ["unknown threshold step in any scenario", append("thresholds:", "  - metric: p95", '    condition: "<"', "    value: 500", "    step: list-user"),
    "thresholds[0].step", 15, 11, 'no step named "list-user" in any scenario (did you mean "list-users"?)'],
  ["unknown threshold metric", append("thresholds:", "  - metric: p59", '    condition: "<"', "    value: 500"),
    "thresholds[0].metric", 12, 13,
    '"p59" is not a metric (did you mean "p95"?)'],
  ["unquoted > condition", append("thresholds:", "  - metric: rps", "    condition: >", "    value: 100"),
    "thresholds[0].condition", 13, 16, '"" is not a condition (one of <, >, <=, >=; quote it: condition: ">")'],
  ["error_ratio as a percentage", append("thresholds:", "  - metric: error_ratio", '    condition: "<"', "    value: 5"),
    "thresholds[0].value", 14, 12, "5 must be a ratio between 0 and 1 for error_ratio (0.01 means 1%)"],
  ["generator_saturation as a percentage", append("thresholds:", "  - metric: generator_saturation", '    condition: "<"', "    value: 5"),
    "thresholds[0].value", 14, 12, "5 must be a ratio between 0 and 1 for generator_saturation (0.01 means 1%)"],
  ["generator_saturation for one scenario", append("thresholds:", "  - metric: generator_saturation", '    condition: "<"', "    value: 0.01", "    scenario: get-users"),
    "thresholds[0].scenario", 15, 15, '"get-users": generator_saturation is run-wide: the load generator serves every scenario, so it takes no scenario or step'],
  ["abort_on_fail as yes", append("thresholds:", "  - metric: p95", '    condition: "<"', "    value: 5", "    abort_on_fail: yes"),
    "thresholds[0].abort_on_fail", 15, 20, '"yes" must be true or false'],
  // issue 16: the value as written comes first, then what is wrong with it
  ["metric a key away", append("thresholds:", "  - metric: p96", '    condition: "<"', "    value: 500"),
    "thresholds[0].metric", 12, 13, '"p96" is not a metric (did you mean "p95"?)'],
  ["profile type nothing like one", replace(6, "      type: wobble"), "scenarios.get-users.profile.type", 6, 13,
    '"wobble" is not a profile type (one of constant, ramp_up, ramp_down, step, spike, constant_rate, ramping_rate)'],
  ["duration in words", replace(4, "    duration: ten"), "scenarios.get-users.duration", 4, 15,
    '"ten" is not a duration (examples: 30s, 2m, 1h30m)'],
  ["condition not one", append("thresholds:", "  - metric: p95", '    condition: "=<"', "    value: 500"),
    "thresholds[0].condition", 13, 16, '"=<" is not a condition (did you mean "<="?)'],
  ["negative threshold value", append("thresholds:", "  - metric: p95", '    condition: "<"', "    value: -5"),
    "thresholds[0].value", 14, 12, "-5 must not be negative"],
  ["data order", insertAfter(4, "    data: { file: users.csv, order: shuffle }"), "scenarios.get-users.data.order", 5, 37,
    '"shuffle" is not a data order (one of sequential, random, unique)'],
  ["bad engine", insertAfter(1, "engine: sockets"), "engine", 2, 9, '"sockets" is not an engine (did you mean "socket"?)'],
  ["bad agent-loss policy", insertAfter(1, "on_agent_loss: retry"), "on_agent_loss", 2, 16, '"retry" is not an agent-loss policy (one of continue, redistribute, abort)'],
];

describe("a plan without a name", () => {
  test("takes its file's base name, as the seed's spike and step plans expect", () => {
    expect(parsePlan(edit(1, 1), "examples/checkout-spike.yaml").name).toBe("checkout-spike");
    expect(parsePlan(edit(1, 1), "/tmp/step.yml").name).toBe("step");
    expect(parsePlan(BASE.join("\n"), "named.yaml").name).toBe("t");
  });
});

describe("plan errors", () => {
  test.each(cases)("%s", (_name, yaml, path, line, column, message) => {
    expect(problemsOf(yaml)).toEqual([{ file: "plan.yaml", line, column, path, message }]);
  });

  test("no message leaks zod's own wording", () => {
    for (const [, yaml] of cases) {
      for (const p of problemsOf(yaml)) expect(p.message).not.toMatch(/Invalid input|expected .* received|Too small|Unrecognized/);
    }
  });

  test("a YAML syntax error is a problem with its line and column", () => {
    const problems = problemsOf(replace(10, '        url: "http://localhost:8080/api/users'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: "plan.yaml", path: "" });
    expect(problems[0]?.line).toBeGreaterThanOrEqual(10);
    expect(problems[0]?.message).toStartWith("YAML syntax: ");
  });

  test("bad indentation is a YAML syntax error, located where YAML notices it", () => {
    const problems = problemsOf(replace(7, "       vus: 10"));
    expect(problems.length).toBeGreaterThan(0);
    // The deeper "vus" turns "constant" into the start of a multi-line key: YAML points there.
    for (const p of problems) expect(p).toMatchObject({ line: 6, column: 13, path: "" });
    expect(problems[0]?.message).toBe("YAML syntax: Nested mappings are not allowed in compact mappings");
  });

  test("a tab used for indentation is a YAML syntax error on its line", () => {
    expect(problemsOf(replace(7, "\tvus: 10"))[0]).toMatchObject({ line: 7, column: 1, path: "" });
  });

  test("a scenario named twice is a duplicate key", () => {
    const problems = problemsOf(append("  get-users:", "    duration: 10s"));
    expect(problems).toEqual([{ file: "plan.yaml", line: 11, column: 3, path: "", message: 'YAML syntax: duplicate key "get-users"' }]);
  });

  test("an alias bomb is refused as a problem, not expanded", () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) rows.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(",")}]`);
    const problems = problemsOf(rows.join("\n") + "\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toStartWith("YAML: ");
  });

  test("an empty file and a non-mapping are problems, not crashes", () => {
    expect(problemsOf("")).toEqual([
      { file: "plan.yaml", line: 1, column: 1, path: "", message: "the plan is empty: it needs at least scenarios" },
    ]);
    expect(problemsOf("- a\n- b\n")[0]).toMatchObject({ line: 1, path: "", message: "the plan must be a mapping with at least scenarios" });
  });

  test("several problems are reported together, in file order, each on its own line", () => {
    const yaml = [
      "name: several", //                  1
      "scenarios:", //                     2
      "  get-users:", //                   3
      "    duration: 30", //               4  bare number
      "    thinktime: 1s", //              5  unknown key
      "    profile:", //                   6
      "      type: ramp_up", //            7
      "      start_vus: 10", //            8
      "      end_vus: 2", //               9  ramp_up going down
      "    steps:", //                     10
      "      - name: a", //                11
      "        url: nope", //              12 bad URL
      "      - name: a", //                13 duplicate step name
      "        method: fetch", //          14 bad method
      "        url: http://h/", //         15
      "thresholds:", //                    16
      "  - metric: p95", //                17
      '    condition: "<"', //             18
      "    value: 500", //                 19
      "    scenario: other", //            20 unknown scenario
    ].join("\n");
    const problems = problemsOf(yaml);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [4, "scenarios.get-users.duration"],
      [5, "scenarios.get-users.thinktime"],
      [9, "scenarios.get-users.profile.end_vus"],
      [12, "scenarios.get-users.steps[0].url"],
      [13, "scenarios.get-users.steps[1].name"],
      [14, "scenarios.get-users.steps[1].method"],
      [20, "thresholds[0].scenario"],
    ]);
  });

  test("the error's message lists every problem as file:line:column: path: message", () => {
    let message = "";
    try {
      parsePlan(replace(7, "      vus: 0"), "plans/smoke.yaml");
    } catch (error) {
      message = (error as Error).message;
      expect(error).toBeInstanceOf(PlanError);
      expect((error as PlanError).exitCode).toBe(2);
    }
    expect(message).toBe("1 problem in plan:\n  plans/smoke.yaml:7:12: scenarios.get-users.profile.vus: 0 must be a positive integer");
  });
});
