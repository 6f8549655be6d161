// The plan words for multi-step flows and the open model: what they parse to, and each mistake with its line and path.
import { describe, expect, test } from "bun:test";
import { PlanError, type PlanProblem } from "../../src/core/errors.ts";
import { parsePlan } from "../../src/plan/index.ts";

function problemsOf(yaml: string): PlanProblem[] {
  try {
    parsePlan(yaml, "plan.yaml");
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error("the plan parsed, but problems were expected");
}

const plan = (profile: string, steps: string, extra = "", thresholds = "") => `name: t
scenarios:
  s:
    duration: 30s
    profile: ${profile}
${extra}    steps:
${steps}${thresholds ? `thresholds:\n${thresholds}` : ""}`;

const STEP = "      - { name: a, url: http://localhost:8080/a }\n";

describe("arrival-rate profiles", () => {
  test("constant_rate: time_unit 1s, max_lateness 0 and max_vus = pre_allocated_vus by default", () => {
    const p = parsePlan(plan("{ type: constant_rate, rate: 50, pre_allocated_vus: 10 }", STEP), "p.yaml");
    expect(p.scenarios[0]!.profile).toEqual({ type: "constant_rate", rate: 50, time_unit: 1000, pre_allocated_vus: 10, max_vus: 10, max_lateness: 0 });
  });

  test("ramping_rate: stages with targets and durations in ms", () => {
    const p = parsePlan(
      plan("{ type: ramping_rate, start_rate: 5, time_unit: 1m, stages: [{ target: 600, duration: 10s }, { target: 0, duration: 20s }], pre_allocated_vus: 2, max_vus: 20, max_lateness: 1s }", STEP),
      "p.yaml",
    );
    expect(p.scenarios[0]!.profile).toEqual({
      type: "ramping_rate",
      start_rate: 5,
      time_unit: 60_000,
      stages: [{ target: 600, duration: 10_000 }, { target: 0, duration: 20_000 }],
      pre_allocated_vus: 2,
      max_vus: 20,
      max_lateness: 1000,
    });
  });

  test.each([
    ["rate 0", plan("{ type: constant_rate, rate: 0, pre_allocated_vus: 1 }", STEP), "scenarios.s.profile.rate", 5, 43, "must be a number above 0 (iterations per time_unit)"],
    ["max_vus below pre_allocated_vus", plan("{ type: constant_rate, rate: 5, pre_allocated_vus: 10, max_vus: 5 }", STEP), "scenarios.s.profile.max_vus", 5, 78, "5 must be at least pre_allocated_vus (10)"],
    ["think_time with a rate", plan("{ type: constant_rate, rate: 5, pre_allocated_vus: 1 }", STEP, "    think_time: 1s\n"), "scenarios.s.think_time", 6, 17,
      '"1s": has no effect with an arrival-rate profile (constant_rate): iterations start on the clock, not after a pause; remove it'],
    ["stages longer than the scenario", plan("{ type: ramping_rate, stages: [{ target: 5, duration: 40s }], pre_allocated_vus: 1 }", STEP), "scenarios.s.profile.stages", 5, 44,
      "the stages last 40s, longer than the scenario's duration (30s)"],
    ["every rate 0", plan("{ type: ramping_rate, stages: [{ target: 0, duration: 10s }], pre_allocated_vus: 1 }", STEP), "scenarios.s.profile.stages", 5, 44,
      "every rate is 0: the profile never starts an iteration"],
    ["a VU field on a rate profile", plan("{ type: constant_rate, rate: 5, vus: 3, pre_allocated_vus: 1 }", STEP), "scenarios.s.profile.vus", 5, 46,
      "not a field of profile type constant_rate (it takes rate, time_unit, pre_allocated_vus, max_vus, max_lateness)"],
  ])("%s", (_, yaml, path, line, column, message) => {
    expect(problemsOf(yaml)).toEqual([{ file: "plan.yaml", line, column, path, message }]);
  });

  test("latency from the intended start needs an arrival-rate scenario", () => {
    const yaml = plan("{ type: constant, vus: 1 }", STEP, "", '  - { metric: p95_intended, condition: "<", value: 100, scenario: s }\n');
    expect(problemsOf(yaml)).toEqual([
      { file: "plan.yaml", line: 9, column: 67, path: "thresholds[0].scenario", message: 'p95_intended needs an arrival-rate profile (constant_rate, ramping_rate); scenario "s" runs constant' },
    ]);
  });
});

describe("checks, extraction, redirects, cookies, data", () => {
  test("every check form parses into a list in plan order", () => {
    const p = parsePlan(
      plan(
        "{ type: constant, vus: 1 }",
        `      - name: a
        url: http://localhost:8080/a
        check:
          status: [200, "300-302"]
          header: { content-type: application/json, x-id: { matches: "^[0-9]+$" } }
          body: { contains: ok, matches: "o+k" }
          json:
            token: { exists: true }
            data.items[0].id: 7
            name: { equals: ada }
          max_duration: 250ms
        check_as_error: false
        follow_redirects: false
        extract:
          token: { json: token }
          sid: { cookie: session }
          id: { regex: "id=(\\\\d+)" }
          kind: { header: content-type }
`,
        "    cookies: false\n    data: { file: users.csv }\n",
      ),
      "p.yaml",
    );
    const sc = p.scenarios[0]!;
    expect(sc.cookies).toBe(false);
    expect(sc.data).toEqual({ file: "users.csv", format: "csv", order: "sequential" });
    const step = sc.steps[0]!;
    expect(step.checks).toEqual([
      { kind: "status", statuses: [{ from: 200, to: 200 }, { from: 300, to: 302 }] },
      { kind: "header", header: "content-type", equals: "application/json" },
      { kind: "header", header: "x-id", matches: "^[0-9]+$" },
      { kind: "body", contains: "ok" },
      { kind: "body", matches: "o+k" },
      { kind: "json", path: "token", exists: true },
      { kind: "json", path: "data.items[0].id", equals: 7 },
      { kind: "json", path: "name", equals: "ada" },
      { kind: "max_duration", ms: 250 },
    ]);
    expect(step.check_as_error).toBe(false);
    expect(step.follow_redirects).toBe(false);
    expect(step.extract).toEqual([
      { name: "token", from: "json", path: "token" },
      { name: "sid", from: "cookie", cookie: "session" },
      { name: "id", from: "regex", pattern: "id=(\\d+)" },
      { name: "kind", from: "header", header: "content-type" },
    ]);
  });

  test("a URL may start with a template; a threshold may have a window", () => {
    const p = parsePlan(
      plan("{ type: constant, vus: 1 }", "      - { name: a, url: '{{env.BASE}}/a' }\n", "", '  - { metric: checks, condition: ">", value: 0.99, window: 30s }\n'),
      "p.yaml",
    );
    expect(p.scenarios[0]!.steps[0]!.url).toBe("{{env.BASE}}/a");
    expect(p.thresholds[0]).toMatchObject({ metric: "checks", window: 30_000 });
  });

  const step = (...lines: string[]) => ["      - name: a", "        url: http://localhost:8080/a", ...lines].join("\n") + "\n";
  test.each([
    ["status out of range", step("        check: { status: 700 }"), "scenarios.s.steps[0].check.status", 9, 26, 'not a status or range: 700 (write e.g. 200 or "200-299")'],
    ["status range backwards", step('        check: { status: "299-200" }'), "scenarios.s.steps[0].check.status", 9, 26, 'not a status or range: "299-200" (write e.g. 200 or "200-299")'],
    ["unknown check", step("        check: { stauts: 200 }"), "scenarios.s.steps[0].check.stauts", 9, 18, 'unknown key "stauts" (did you mean "status"?)'],
    ["bad regex", step('        check: { body: { matches: "a(" } }'), "scenarios.s.steps[0].check.body.matches", 9, 35, '"a(" is not a valid regular expression: Invalid regular expression: missing )'],
    ["bad JSON path", step("        check: { json: { 'a..b': 1 } }"), "scenarios.s.steps[0].check.json.a..b", 9, 34, '"a..b": a key is missing before "." at character 3'],
    ["regex extraction without a group", step('        extract: { t: { regex: "token=\\\\w+" } }'), "scenarios.s.steps[0].extract.t.regex", 9, 32,
      'needs a capture group: the first group is what is extracted, e.g. "token=(\\\\w+)"'],
    ["two sources for one variable", step("        extract: { t: { json: a, header: b } }"), "scenarios.s.steps[0].extract.t", 9, 23, '{"json":"a","header":"b"} must name exactly one source: json, header, regex or cookie'],
    ["unknown variable", step('        headers: { Authorization: "Bearer {{tokn}}" }', "        extract: { token: { json: token } }"), "scenarios.s.steps[0].headers.Authorization", 9, 35,
      'no variable {{tokn}}: no step of this scenario extracts it (did you mean "token"?)'],
    ["broken template", step("        body: '{{token'"), "scenarios.s.steps[0].body", 9, 15, '"{{" at character 1 is never closed with "}}"'],
  ])("%s", (_, steps, path, line, column, message) => {
    expect(problemsOf(plan("{ type: constant, vus: 1 }", steps))).toEqual([{ file: "plan.yaml", line, column, path, message }]);
  });

  test("a data file without a known extension needs its format", () => {
    expect(problemsOf(plan("{ type: constant, vus: 1 }", STEP, "    data: { file: users.txt }\n"))).toEqual([
      { file: "plan.yaml", line: 6, column: 19, path: "scenarios.s.data.file", message: '"users.txt": the name does not say csv or json: add format: csv (or json)' },
    ]);
  });
});
