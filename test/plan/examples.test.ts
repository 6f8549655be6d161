// Every example plan in examples/ parses, and says what its README counterpart says.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadPlanFile } from "../../src/plan/index.ts";

const examplesDir = join(import.meta.dir, "../../examples");
const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith(".yaml"));

describe("examples", () => {
  test("the five reference examples are there, and the login flow", () => {
    expect(exampleFiles.sort()).toEqual(
      ["basic.yaml", "lb-test.yaml", "login-flow.yaml", "multi-scenario-spike.yaml", "ramp-stress.yaml", "step-load.yaml"].sort(),
    );
  });

  test.each(exampleFiles)("%s parses", async (file) => {
    const plan = await loadPlanFile(join(examplesDir, file));
    expect(plan.scenarios.length).toBeGreaterThan(0);
    for (const scenario of plan.scenarios) {
      expect(scenario.steps.length).toBeGreaterThan(0);
      for (const step of scenario.steps) expect(step.url).toStartWith("http://localhost:8080/");
    }
  });

  test("basic.yaml: 10 VUs for 30s against /api/users", async () => {
    const plan = await loadPlanFile(join(examplesDir, "basic.yaml"));
    expect(plan.name).toBe("basic-api-test");
    expect(plan.scenarios).toEqual([
      {
        name: "get-users",
        duration: 30_000,
        think_time: 200,
        tags: {},
        profile: { type: "constant", vus: 10 },
        steps: [
          {
            name: "list-users",
            method: "GET",
            url: "http://localhost:8080/api/users",
            timeout: 5_000,
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
    ]);
    expect(plan.thresholds.map((t) => [t.metric, t.condition, t.value])).toEqual([
      ["p95", "<", 500],
      ["error_ratio", "<", 0.01],
    ]);
  });

  test("ramp-stress.yaml: 5 → 200 VUs over 120s posting orders", async () => {
    const plan = await loadPlanFile(join(examplesDir, "ramp-stress.yaml"));
    const [scenario] = plan.scenarios;
    expect(scenario?.profile).toEqual({ type: "ramp_up", start_vus: 5, end_vus: 200 });
    expect(scenario?.duration).toBe(120_000);
    expect(scenario?.steps[0]?.method).toBe("POST");
    expect(scenario?.steps[0]?.headers).toEqual({ "Content-Type": "application/json" });
    expect(plan.thresholds.map((t) => t.metric)).toEqual(["p95", "p99", "error_ratio", "rps"]);
  });

  test("step-load.yaml: 10 VUs plus 20 every 30s", async () => {
    const plan = await loadPlanFile(join(examplesDir, "step-load.yaml"));
    expect(plan.scenarios[0]?.profile).toEqual({ type: "step", start_vus: 10, step_vus: 20, step_duration: 30_000 });
    expect(plan.scenarios[0]?.steps[0]?.timeout).toBe(15_000);
  });

  test("multi-scenario-spike.yaml: a checkout spike beside steady browsing", async () => {
    const plan = await loadPlanFile(join(examplesDir, "multi-scenario-spike.yaml"));
    const spike = plan.scenarios.find((s) => s.name === "checkout-spike");
    expect(spike?.profile).toEqual({ type: "spike", base_vus: 5, spike_vus: 100, spike_at: 30_000, spike_duration: 15_000 });
    expect(plan.scenarios.some((s) => s.profile.type === "constant")).toBe(true);
    expect(plan.thresholds.filter((t) => t.scenario === "checkout-spike").map((t) => t.metric)).toEqual(["p95", "error_ratio"]);
  });

  test("lb-test.yaml: constant, ramp_up, step and spike, 60s each, with scoped thresholds", async () => {
    const plan = await loadPlanFile(join(examplesDir, "lb-test.yaml"));
    expect(plan.scenarios.map((s) => s.profile.type)).toEqual(["constant", "ramp_up", "step", "spike"]);
    expect(plan.scenarios.every((s) => s.duration === 60_000)).toBe(true);
    expect(plan.scenarios[0]).toMatchObject({ name: "baseline-health", steps: [{ method: "GET", url: "http://localhost:8080/healthz" }] });
    expect(plan.scenarios[3]).toMatchObject({ name: "traffic-spike", steps: [{ method: "POST", url: "http://localhost:8080/api/checkout" }] });
    expect(plan.thresholds.map((t) => `${t.metric} ${t.condition} ${t.value}${t.scenario ? ` [${t.scenario}]` : ""}`)).toEqual([
      "p95 < 1000",
      "error_ratio < 0.02",
      "p95 < 300 [baseline-health]",
      "error_ratio < 0.005 [baseline-health]",
      "p95 < 2000 [traffic-spike]",
      "error_ratio < 0.05 [traffic-spike]",
      "rps > 50",
    ]);
  });
});
