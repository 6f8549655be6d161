// The JSON Schema generated from the zod schema describes the file a user writes.
import { describe, expect, test } from "bun:test";
import { planJsonSchema } from "../../src/plan/index.ts";

type Schema = Record<string, any>;

describe("planJsonSchema", () => {
  const schema = planJsonSchema() as Schema;
  const scenario = schema.properties.scenarios.additionalProperties as Schema;
  const step = scenario.properties.steps.items as Schema;
  const threshold = schema.properties.thresholds.items as Schema;

  test("is a draft 2020-12 object schema that refuses unknown keys", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["scenarios"]);
    expect(scenario.additionalProperties).toBe(false);
    expect(step.additionalProperties).toBe(false);
  });

  test("durations are strings with their defaults", () => {
    expect(scenario.properties.duration.type).toBe("string");
    expect(new RegExp(scenario.properties.duration.pattern).test("1h30m")).toBe(true);
    expect(new RegExp(scenario.properties.duration.pattern).test("30")).toBe(false);
    expect(step.properties.timeout).toMatchObject({ type: "string", default: "30s" });
    expect(threshold.properties.delay.type).toBe("string");
  });

  test("profiles are one of seven typed mappings: five closed-model, two arrival-rate", () => {
    const types = (scenario.properties.profile.oneOf as Schema[]).map((p) => p.properties.type.const);
    expect(types).toEqual(["constant", "ramp_up", "ramp_down", "step", "spike", "constant_rate", "ramping_rate"]);
  });

  test("enums list their values", () => {
    expect(step.properties.method.enum).toContain("POST");
    expect(threshold.properties.metric.enum).toContain("error_ratio");
    expect(threshold.properties.condition.enum).toEqual(["<", ">", "<=", ">="]);
    expect(schema.properties.on_agent_loss.default).toBe("redistribute");
  });

  test("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
