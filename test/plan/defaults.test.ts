// What parsePlan fills in and converts: defaults, durations in ms, methods, header values, scenario order.
import { describe, expect, test } from "bun:test";
import { parsePlan, type Plan } from "../../src/plan/index.ts";

const minimal = `
name: minimal
scenarios:
  only:
    duration: 1m
    profile: { type: constant, vus: 1 }
    steps:
      - name: home
        url: https://example.test/
thresholds:
  - metric: p99
    condition: "<="
    value: 250
`;

describe("defaults", () => {
  test("a minimal plan gets every default", () => {
    expect(parsePlan(minimal, "minimal.yaml")).toEqual({
      name: "minimal",
      engine: undefined,
      on_agent_loss: "redistribute",
      scenarios: [
        {
          name: "only",
          duration: 60_000,
          think_time: 0,
          tags: {},
          profile: { type: "constant", vus: 1 },
          steps: [
            {
              name: "home",
              method: "GET",
              url: "https://example.test/",
              timeout: 30_000,
              headers: {},
              body: undefined,
              tags: {},
              checks: [],
              check_as_error: true,
              extract: [],
              follow_redirects: true,
            },
          ],
          cookies: true,
          data: undefined,
        },
      ],
      thresholds: [
        { metric: "p99", condition: "<=", value: 250, scenario: undefined, step: undefined, abort_on_fail: false, delay: 0, window: undefined },
      ],
    } satisfies Plan);
  });

  test("thresholds may be left out", () => {
    const plan = parsePlan(minimal.slice(0, minimal.indexOf("thresholds:")), "p.yaml");
    expect(plan.thresholds).toEqual([]);
  });

  test("engine, on_agent_loss, scoped thresholds and abort settings are kept", () => {
    const plan = parsePlan(
      minimal.replace("name: minimal", "name: minimal\nengine: fetch\non_agent_loss: abort") +
        "    scenario: only\n    step: home\n    abort_on_fail: true\n    delay: 10s\n",
      "p.yaml",
    );
    expect(plan.engine).toBe("fetch");
    expect(plan.on_agent_loss).toBe("abort");
    expect(plan.thresholds[0]).toEqual({
      metric: "p99", condition: "<=", value: 250, scenario: "only", step: "home", abort_on_fail: true, delay: 10_000,
    });
  });
});

describe("conversions", () => {
  test.each([
    ["200ms", 200],
    ["30s", 30_000],
    ["1.5s", 1_500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["1m30s", 90_000],
  ])("think_time %s is %i ms", (text, ms) => {
    const plan = parsePlan(minimal.replace("duration: 1m", `duration: 1m\n    think_time: "${text}"`), "p.yaml");
    expect(plan.scenarios[0]?.think_time).toBe(ms);
  });

  test("think_time 0 is allowed", () => {
    expect(parsePlan(minimal.replace("duration: 1m", "duration: 1m\n    think_time: \"0\""), "p.yaml").scenarios[0]?.think_time).toBe(0);
  });

  test.each(["get", "post", "delete", "PATCH", "head", "options", "put"])("method %s is upper-cased", (method) => {
    const plan = parsePlan(minimal.replace("- name: home", `- name: home\n        method: ${method}`), "p.yaml");
    expect(plan.scenarios[0]?.steps[0]?.method).toBe(method.toUpperCase() as "GET");
  });

  test("header and tag numbers become strings; body stays as written", () => {
    const plan = parsePlan(
      minimal.replace(
        "url: https://example.test/",
        "url: https://example.test/\n        headers: { X-Version: 2, Accept: application/json }\n        tags: { tier: 1 }\n        body: '{\"a\": 1}'",
      ),
      "p.yaml",
    );
    const step = plan.scenarios[0]?.steps[0];
    expect(step?.headers).toEqual({ "X-Version": "2", Accept: "application/json" });
    expect(step?.tags).toEqual({ tier: "1" });
    expect(step?.body).toBe('{"a": 1}');
  });

  test("every profile type comes out with durations in ms", () => {
    const withProfile = (profile: string) => parsePlan(minimal.replace("{ type: constant, vus: 1 }", profile), "p.yaml").scenarios[0]?.profile;
    expect(withProfile("{ type: ramp_up, start_vus: 0, end_vus: 10 }")).toEqual({ type: "ramp_up", start_vus: 0, end_vus: 10 });
    expect(withProfile("{ type: ramp_down, start_vus: 10, end_vus: 0 }")).toEqual({ type: "ramp_down", start_vus: 10, end_vus: 0 });
    expect(withProfile("{ type: step, start_vus: 0, step_vus: 5, step_duration: 15s }")).toEqual({
      type: "step", start_vus: 0, step_vus: 5, step_duration: 15_000,
    });
    expect(withProfile("{ type: spike, base_vus: 0, spike_vus: 9, spike_at: 30s, spike_duration: 30s }")).toEqual({
      type: "spike", base_vus: 0, spike_vus: 9, spike_at: 30_000, spike_duration: 30_000,
    });
  });

  test("scenarios keep the file's order, even names that look like numbers", () => {
    const scenario = (name: string) =>
      `  ${name}:\n    duration: 1s\n    profile: { type: constant, vus: 1 }\n    steps: [{ name: s, url: "http://h/" }]\n`;
    const plan = parsePlan(`name: order\nscenarios:\n${["zeta", "20", "alpha", "3"].map(scenario).join("")}`, "p.yaml");
    expect(plan.scenarios.map((s) => s.name)).toEqual(["zeta", "20", "alpha", "3"]);
  });

  test("YAML anchors and merge keys work", () => {
    const plan = parsePlan(
      `name: anchors
scenarios:
  a:
    duration: 10s
    profile: { type: constant, vus: 1 }
    steps:
      - &common
        name: one
        url: http://h/one
        headers: { Accept: text/plain }
      - <<: *common
        name: two
`,
      "p.yaml",
    );
    expect(plan.scenarios[0]?.steps.map((s) => [s.name, s.url, s.headers.Accept])).toEqual([
      ["one", "http://h/one", "text/plain"],
      ["two", "http://h/one", "text/plain"],
    ]);
  });
});
