// Tags in a plan: precedence (scenario < step < data row), values bounded per key in plan order, templated values
// refused, threshold tags and data.tags columns checked.
import { describe, expect, test } from "bun:test";
import { PlanError } from "../../src/core/errors.ts";
import { attachPlanInputs, parsePlan } from "../../src/plan/index.ts";
import { OTHER_TAG_VALUE, parseTagSetKey, tagLayout, tagSetKey } from "../../src/plan/tags.ts";

const PLAN = `name: t
scenarios:
  a:
    duration: 1s
    profile: { type: constant, vus: 1 }
    tags: { endpoint: users, team: web }
    steps:
      - { name: s1, url: "http://x.test/1" }
      - { name: s2, url: "http://x.test/2", tags: { endpoint: orders } }
  b:
    duration: 1s
    profile: { type: constant, vus: 1 }
    data: { file: rows.csv, tags: [region] }
    steps:
      - { name: s1, url: "http://x.test/{{path}}", tags: { region: fixed, endpoint: items } }
`;

const problems = (yaml: string): string => {
  try {
    parsePlan(yaml, "p.yaml");
    return "";
  } catch (e) {
    if (e instanceof PlanError) return e.message;
    throw e;
  }
};

describe("tag sets", () => {
  test("keys are canonical: sorted, escaped, and parse back", () => {
    const tags = { "team name": "web & api", a: "x=y" };
    expect(tagSetKey(tags)).toBe("a=x%3Dy&team%20name=web%20%26%20api");
    expect(parseTagSetKey(tagSetKey(tags))).toEqual(tags);
    expect(tagSetKey({})).toBe("");
  });

  test("a step's tags add to and override its scenario's; a data row's override both", () => {
    const plan = attachPlanInputs(parsePlan(PLAN, "p.yaml"), { files: { "rows.csv": new TextEncoder().encode("path,region\np1,eu\np2,us\np3,eu\np4,\n") }, env: {} }, { planFile: "p.yaml" });
    const layout = tagLayout(plan);
    expect(layout.scenarios.get("a")!.stepKeys).toEqual([["endpoint=users&team=web"], ["endpoint=orders&team=web"]]);
    const b = layout.scenarios.get("b")!;
    // rows eu, us, eu, (empty: the step's own value stays)
    expect([...b.rowSets!]).toEqual([0, 1, 0, 2]);
    expect(b.stepKeys[0]).toEqual(["endpoint=items&region=eu", "endpoint=items&region=us", "endpoint=items&region=fixed"]);
    expect(layout.keys.map((k) => [k.key, k.values, k.folded])).toEqual([
      ["endpoint", ["users", "orders", "items"], 0],
      ["region", ["fixed", "eu", "us"], 0],
      ["team", ["web"], 0],
    ]);
  });

  test("beyond max_tag_values, values fold into other, first come first kept, and the fold is counted", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `p,u${i}`).join("\n");
    const plan = attachPlanInputs(parsePlan(PLAN.replace("name: t", "name: t\nmax_tag_values: 2"), "p.yaml"), { files: { "rows.csv": new TextEncoder().encode(`path,region\n${rows}\n`) }, env: {} }, { planFile: "p.yaml" });
    const layout = tagLayout(plan);
    const region = layout.keys.find((k) => k.key === "region")!;
    // "fixed" (a step's tag) comes first in plan order, then the first data row's value
    expect(region.values).toEqual(["fixed", "u0"]);
    expect(region.folded).toBe(10_000 - 1);
    const endpoint = layout.keys.find((k) => k.key === "endpoint")!;
    expect(endpoint.values).toEqual(["users", "orders"]);
    expect(layout.scenarios.get("b")!.stepKeys[0]).toEqual([`endpoint=${OTHER_TAG_VALUE}&region=u0`, `endpoint=${OTHER_TAG_VALUE}&region=${OTHER_TAG_VALUE}`]);
    // bounded: 10,000 rows, two row sets
    expect(new Set(layout.scenarios.get("b")!.rowSets).size).toBe(2);
  });

  test("a templated tag value is refused, naming the path and the value", () => {
    const message = problems(PLAN.replace("{ endpoint: orders }", '{ endpoint: "{{user.id}}" }'));
    expect(message).toContain("scenarios.a.steps[1].tags.endpoint");
    expect(message).toContain('"{{user.id}}" is templated');
    expect(problems(PLAN.replace("tags: { endpoint: users, team: web }", 'tags: { team: "{{env.TEAM}}" }'))).toContain("scenarios.a.tags.team");
  });

  test("a threshold's tags must be tags some request carries", () => {
    expect(problems(`${PLAN}thresholds:\n  - { metric: p95, condition: "<", value: 300, tags: { endpoint: users, region: eu } }\n`)).toBe("");
    const message = problems(`${PLAN}thresholds:\n  - { metric: p95, condition: "<", value: 300, tags: { endpont: users } }\n`);
    expect(message).toContain("thresholds[0].tags.endpont");
    expect(message).toContain('did you mean "endpoint"');
  });

  test("metrics not kept per tag are refused with tags", () => {
    const message = problems(`${PLAN}thresholds:\n  - { metric: checks, condition: ">", value: 0.9, tags: { endpoint: users } }\n`);
    expect(message).toContain("thresholds[0].tags");
    expect(message).toContain("checks is not kept per tag");
  });

  test("data.tags must name columns of the data file", () => {
    const plan = parsePlan(PLAN, "p.yaml");
    expect(() => attachPlanInputs(plan, { files: { "rows.csv": new TextEncoder().encode("path,zone\np1,eu\n") }, env: {} }, { planFile: "p.yaml" })).toThrow(
      /scenarios\.b\.data\.tags\[0\].*"region" is not a column of rows\.csv \(columns: path, zone\)/s,
    );
  });

  test("max_tag_values is a whole number from 1 to 1000", () => {
    expect(problems(PLAN.replace("name: t", "name: t\nmax_tag_values: 0"))).toContain("max_tag_values");
    expect(problems(PLAN.replace("name: t", "name: t\nmax_tag_values: 5000"))).toContain("at most 1000");
  });
});
