// tag_<key> labels on the controller's request and error counters and latency gauges, read back from a real scrape:
// tagged requests per tag set, the untagged series with the rest, so every sum stays the run's total.
import { describe, expect, test } from "bun:test";
import { Registry } from "prom-client";
import { createControllerMetrics } from "../../src/observability/index.ts";
import { parseExposition, valueOf } from "./exposition.ts";
import { feeder, plan, ramp, second, snapshot } from "./synthetic.ts";

describe("controller metrics with tags", () => {
  test("tagged requests and errors count per tag set; the step's untagged series keeps the rest; quantiles per tag set", async () => {
    const registry = new Registry();
    const metrics = createControllerMetrics(registry);
    const feed = feeder(metrics);
    const s1 = snapshot({ browse: { vus: 2, steps: { list: { latencies: ramp(10), errors: { http_5xx: 3 } } } } });
    const users = snapshot({ x: { vus: 0, steps: { list: { latencies: ramp(6), errors: { http_5xx: 2 } } } } }).scenarios.x!.steps.list!;
    const admins = snapshot({ x: { vus: 0, steps: { list: { latencies: ramp(3, 100_000) } } } }).scenarios.x!.steps.list!;
    s1.scenarios.browse!.tagged = { "endpoint=users&team%20name=web": { list: users }, "endpoint=admins": { list: admins } };
    feed("r1", second(1, s1), plan());
    feed("r1", second(2, s1), plan());
    const s = parseExposition(await registry.metrics());
    const base = { run_id: "r1", scenario: "browse", step: "list" };
    expect(valueOf(s, "indus_controller_requests_total", { ...base, tag_endpoint: "users", tag_team_name: "web" })).toBe(12);
    expect(valueOf(s, "indus_controller_requests_total", { ...base, tag_endpoint: "admins" })).toBe(6);
    const all = s.filter((x) => x.name === "indus_controller_requests_total" && x.labels.step === "list");
    // the untagged series: the one request in each second that carried no tags
    expect(all.find((x) => x.labels.tag_endpoint === undefined)!.value).toBe(2);
    expect(all.reduce((n, x) => n + x.value, 0)).toBe(20);
    expect(valueOf(s, "indus_controller_errors_total", { ...base, class: "http_5xx", tag_endpoint: "users" })).toBe(4);
    expect(s.find((x) => x.name === "indus_controller_errors_total" && x.labels.step === "list" && x.labels.tag_endpoint === undefined)!.value).toBe(2);
    // admins were 100, 200, 300 ms: their own p99, apart from the scenario's
    expect(valueOf(s, "indus_controller_request_duration_seconds", { run_id: "r1", scenario: "browse", quantile: "0.99", tag_endpoint: "admins" })).toBeCloseTo(0.3, 2);
    expect(valueOf(s, "indus_controller_request_duration_seconds", { run_id: "r1", scenario: "browse", quantile: "0.99", tag_endpoint: "users" })).toBeCloseTo(0.006, 4);
    // one HELP/TYPE block per metric, tagged series under the same name
    const text = await registry.metrics();
    expect(text.match(/# TYPE indus_controller_requests_total counter/g)?.length).toBe(1);
    metrics.forget("r1");
    expect((await registry.metrics()).includes('tag_endpoint="users"')).toBe(false);
  });
});
