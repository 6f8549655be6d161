// The PromQL name extractor the dashboard test relies on, checked on the shapes the dashboard uses.
import { expect, test } from "bun:test";
import { metricNames, templateMetricNames } from "./promql.ts";

test.each([
  ['indus_controller_run_state{run_id=~"$run_id"} == 1', ["indus_controller_run_state"]],
  ['sum by (class) (rate(indus_controller_errors_total{run_id=~"$run_id"}[$__rate_interval]))', ["indus_controller_errors_total"]],
  ["sum by (agent_id) (indus_agent_active_vus * on (instance) group_left (agent_id) indus_agent_info)", ["indus_agent_active_vus", "indus_agent_info"]],
  ['sum(rate(a_total{x="by (y)"}[5m])) / sum(rate(b_total[1h:30s])) > bool 0.5e3', ["a_total", "b_total"]],
  ['time() - process_start_time_seconds{job=~"indus.*"}', ["process_start_time_seconds"]],
  ["histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) offset 5m", ["x_bucket"]],
])("%p", (expr, names) => {
  expect(metricNames(expr).sort()).toEqual(names.sort());
});

test("template queries", () => {
  expect(templateMetricNames("label_values(indus_controller_run_state, run_id)")).toEqual(["indus_controller_run_state"]);
  expect(templateMetricNames("label_values(run_id)")).toEqual([]);
});
