// The profile registry: every profile is one complete object, and what the plan, its JSON Schema and the docs say
// about profiles is derived from it, so a new profile needs one file and one line in profiles.ts.
import { describe, expect, test } from "bun:test";
import { parsePlan, planJsonSchema } from "../../src/plan/index.ts";
import { describeProfile, isRateProfile, PROFILE_FIELDS, PROFILE_TYPES, PROFILES, type ProfileType } from "../../src/schedule/index.ts";
import { PLAN_KEYS } from "../../scripts/docs/plan-keys.ts";

/** One valid `profile:` mapping of each type, as a plan writes it. */
const WRITTEN: Record<ProfileType, string> = {
  constant: "{ type: constant, vus: 3 }",
  ramp_up: "{ type: ramp_up, start_vus: 1, end_vus: 9 }",
  ramp_down: "{ type: ramp_down, start_vus: 9, end_vus: 1 }",
  step: "{ type: step, start_vus: 1, step_vus: 2, step_duration: 10s }",
  spike: "{ type: spike, base_vus: 1, spike_vus: 9, spike_at: 10s, spike_duration: 5s }",
  constant_rate: "{ type: constant_rate, rate: 5, pre_allocated_vus: 2 }",
  ramping_rate: "{ type: ramping_rate, stages: [{ target: 5, duration: 20s }], pre_allocated_vus: 2 }",
};

const planWith = (profile: string) => `scenarios:\n  s:\n    duration: 30s\n    profile: ${profile}\n    steps: [{ name: a, url: "http://127.0.0.1:9/" }]\n`;

describe("the profile registry", () => {
  test("is keyed by each profile's own type, in the order PROFILE_TYPES gives", () => {
    expect([...PROFILE_TYPES] as string[]).toEqual(Object.keys(PROFILES));
    for (const [key, def] of Object.entries(PROFILES)) expect(def.type).toBe(key as ProfileType);
    expect(Object.keys(WRITTEN).sort()).toEqual([...PROFILE_TYPES].sort());
  });

  describe.each(PROFILE_TYPES)("%s", (type) => {
    const def = PROFILES[type];
    const profile = parsePlan(planWith(WRITTEN[type]), "p.yaml").scenarios[0]!.profile;

    test("a plan takes it; its model decides isRateProfile", () => {
      expect(profile.type).toBe(type);
      expect(isRateProfile(profile)).toBe(def.model === "rate");
    });

    test("documents every field it takes, and no other", () => {
      expect(Object.keys(def.docs.fields).sort()).toEqual([...PROFILE_FIELDS[type]].sort());
      expect(def.docs.summary.length).toBeGreaterThan(10);
    });

    test("its docs are what the README's plan reference uses", () => {
      expect(PLAN_KEYS[`scenarios.<name>.profile@${type}`]?.description).toBe(def.docs.summary);
      for (const field of PROFILE_FIELDS[type]) expect(PLAN_KEYS[`scenarios.<name>.profile.${field}@${type}`]).toBe(def.docs.fields[field]!);
    });

    test("describes itself in a few words", () => {
      expect(describeProfile(profile)).toMatch(/\d/);
    });
  });

  test("the JSON Schema lists every type", () => {
    const text = JSON.stringify(planJsonSchema());
    for (const type of PROFILE_TYPES) expect(text).toContain(`"const":"${type}"`);
  });
});
