// The plan's `script` key: a scenario needs steps or a script; a script scenario's step names and variables are its own.
import { describe, expect, test } from "bun:test";
import { PlanError } from "../../src/core/errors.ts";
import { attachPlanInputs, parsePlan } from "../../src/plan/index.ts";

const plan = (scenario: string, thresholds = "") => `name: p
scenarios:
  s:
    duration: 5s
    profile: { type: constant, vus: 1 }
${scenario}${thresholds}`;

function problems(text: string): string[] {
  try {
    parsePlan(text, "plan.yaml");
    return [];
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    return e.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
  }
}

describe("script in a plan", () => {
  test("a script instead of steps: steps default to none", () => {
    const p = parsePlan(plan("    script: ./flows/x.ts\n"), "plan.yaml");
    expect(p.scenarios[0]!.script).toEqual({ file: "./flows/x.ts" });
    expect(p.scenarios[0]!.steps).toEqual([]);
  });

  test("neither steps nor script: one problem on the scenario's line", () => {
    expect(problems(plan("    think_time: 1s\n"))).toEqual(["3: scenarios.s: needs steps (a list of requests), or a script (script: ./flows/x.ts)"]);
  });

  test("an empty script path is a problem; steps: [] still needs a step", () => {
    expect(problems(plan('    script: ""\n'))).toEqual(['6: scenarios.s.script: "" must not be empty']);
    expect(problems(plan("    steps: []\n    script: ./x.ts\n"))).toEqual(["6: scenarios.s.steps: must list at least one step"]);
  });

  test("thresholds may name a script's steps (known only as it runs); YAML steps may use variables the script sets", () => {
    const text = plan(
      '    script: ./x.ts\n    steps:\n      - { name: after, url: "http://127.0.0.1/{{token}}" }\n',
      "thresholds:\n  - { metric: p95, condition: '<', value: 100, scenario: s, step: login }\n  - { metric: p95, condition: '<', value: 100, step: browse }\n",
    );
    expect(problems(text)).toEqual([]);
  });

  test("a bundle not sent with the plan is named; a sent one gets its sha256 and size", () => {
    const p = parsePlan(plan("    script: ./x.ts\n"), "plan.yaml");
    expect(() => attachPlanInputs(p, { files: {}, env: {} }, { planFile: "plan.yaml" })).toThrow("the script ./x.ts was not sent with the plan");
    const code = new TextEncoder().encode("export default () => {};\n");
    const shipped = attachPlanInputs(p, { files: { "./x.ts": code }, env: { A: "1" }, shared: { s: '{"k":1}' } }, { planFile: "plan.yaml" });
    expect(shipped.scenarios[0]!.script).toEqual({
      file: "./x.ts",
      code: "export default () => {};\n",
      sha256: new Bun.CryptoHasher("sha256").update(code).digest("hex"),
      bytes: code.length,
      shared: '{"k":1}',
    });
    // the env values a script reads travel (the CLI chose them from the bundle's text)
    expect(shipped.env).toEqual({ A: "1" });
  });
});
