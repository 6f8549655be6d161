// --allow-targets judges each step's URL after {{env}} templating, refuses hosts templated per request naming the
// step, and never throws, whatever the URL.
import { describe, expect, test } from "bun:test";
import { vetTargets } from "../../src/agent/targets.ts";
import type { Plan } from "../../src/plan/types.ts";

const allowed = new Set(["127.0.0.1:8080", "api.example.com"]);
const plan = (url: string, env: Record<string, string> = {}) =>
  ({ name: "p", scenarios: [{ name: "s", steps: [{ name: "users", url }] }], thresholds: [], env }) as unknown as Plan;

describe("vetTargets", () => {
  test.each([
    ["http://127.0.0.1:8080/api", {}],
    ["{{env.TARGET}}/api/users", { TARGET: "http://127.0.0.1:8080" }],
    ["http://{{env.HOST}}:8080/x", { HOST: "127.0.0.1" }],
    ["https://api.example.com/users/{{id}}", {}],
    ["https://api.example.com?q={{random_int(1, 9)}}", {}],
  ])("allows %p", (url, env) => {
    expect(vetTargets(plan(url, env), allowed)).toBeUndefined();
  });

  test("refuses an env-templated URL aimed elsewhere, naming the step and the host", () => {
    expect(vetTargets(plan("{{env.TARGET}}/api", { TARGET: "http://10.0.0.1:8080" }), allowed)).toContain("scenarios.s.steps users: 10.0.0.1:8080");
  });

  test.each([
    ["http://{{host}}/api", "{{host}}"],
    ["{{base}}/api", "{{base}}"],
    ["http://10.0.0.{{random_int(1, 9)}}/", "{{random_int(1, 9)}}"],
    ["http://api.example.com{{port}}/", "{{port}}"],
  ])("refuses %p: its host is known only per request", (url, template) => {
    const message = vetTargets(plan(url), allowed)!;
    expect(message).toContain(`scenarios.s.steps users: the host of ${JSON.stringify(url)} comes from ${template}, known only per request`);
  });

  test.each(["not a url", "{{env.MISSING}}/x", "http://[::1/", "{{ broken"])("never throws on %p", (url) => {
    expect(() => vetTargets(plan(url), allowed)).not.toThrow();
    expect(vetTargets(plan(url), allowed)).toContain("scenarios.s.steps users:");
  });
});
