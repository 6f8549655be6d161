// The Grafana dashboard reads only metrics indus exports: every expression checked against a live scrape.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { createAgentMetrics, createControllerMetrics, createRegistry, startMetricsServer, type MetricsServer } from "../../src/observability/index.ts";
import { ROOT } from "../helpers.ts";
import { parseExposition } from "../observability/exposition.ts";
import { feeder, plan, ramp, result, second, snapshot, update } from "../observability/synthetic.ts";
import { metricNames, templateMetricNames } from "./promql.ts";

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(join(ROOT, "deploy/grafana/indus-dashboard.json"), "utf8")) as {
  uid: string;
  panels: Panel[];
  templating: { list: { query: string | { query: string }; datasource?: { uid?: string } }[] };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? "" })));
const templateQueries = dashboard.templating.list.map((v) => (typeof v.query === "string" ? v.query : v.query.query));

describe("deploy/grafana/indus-dashboard.json", () => {
  const servers: MetricsServer[] = [];
  const scraped = new Set<string>();

  beforeAll(async () => {
    const p = plan();
    const controllerRegistry = createRegistry();
    const controller = createControllerMetrics(controllerRegistry);
    controller.setAgents(2);
    const snap = snapshot({
      browse: { vus: 4, steps: { list: { latencies: ramp(50), errors: { http_5xx: 3 } }, show: { latencies: ramp(20) } } },
      buy: { vus: 2, dropped: 3, steps: { checkout: { latencies: ramp(10), errors: { timeout: 1 }, checks: { "status is 200": { passes: 9, fails: 1 } } } } },
    });
    const feed = feeder(controller);
    feed("run-1", second(1, snap), p);
    controller.snapshotMerged(2);
    controller.onUpdate("run-1", update("run-1", "running", p, false));
    feed("run-0", second(1, snap), p);
    controller.onResult("run-0", result("run-0", "completed", p));

    const agentRegistry = createRegistry();
    const agent = createAgentMetrics(agentRegistry, { agentId: "agent-1", state: () => "busy" });
    agent.onSnapshot(snap);
    agent.stop();

    for (const registry of [controllerRegistry, agentRegistry]) {
      const server = await startMetricsServer({ address: "127.0.0.1:0", registry, ready: () => true });
      servers.push(server);
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      for (const s of parseExposition(text)) scraped.add(s.name);
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  test("has the panels an operator looks for", () => {
    const titles = panels.map((p) => p.title);
    for (const t of ["RPS", "Latency percentiles", "Errors by class", "VUs", "Connected agents", "Threshold state", "Run state"]) expect(titles).toContain(t);
    expect(exprs.length).toBeGreaterThan(15);
  });

  test("every expression reads only metrics that a live scrape of a controller and an agent returns", () => {
    const missing: string[] = [];
    for (const { panel, expr } of exprs) {
      const names = metricNames(expr);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) if (!scraped.has(n)) missing.push(`${panel}: ${n} (in ${expr})`);
    }
    for (const q of templateQueries) for (const n of templateMetricNames(q)) if (!scraped.has(n)) missing.push(`template: ${n}`);
    expect(missing).toEqual([]);
  });

  test("every indus metric name the README promises is on the dashboard", () => {
    const used = new Set(exprs.flatMap((e) => metricNames(e.expr)));
    for (const n of ["indus_controller_requests_total", "indus_controller_request_duration_seconds", "indus_controller_active_vus", "indus_controller_thresholds_passed", "indus_controller_thresholds_failed", "indus_controller_run_state"]) {
      expect(used).toContain(n);
    }
  });

  test("panels and the run variable use the provisioned Prometheus datasource", () => {
    const provisioning = parse(readFileSync(join(ROOT, "deploy/grafana/provisioning/datasources/prometheus.yml"), "utf8"));
    const uid = provisioning.datasources[0].uid;
    expect(provisioning.datasources[0]).toMatchObject({ type: "prometheus", url: "http://prometheus:9090" });
    for (const p of panels.filter((p) => p.type !== "row")) {
      expect(p.datasource?.uid).toBe(uid);
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe(uid);
    }
    for (const v of dashboard.templating.list) expect(v.datasource?.uid).toBe(uid);
  });

  test("the dashboard provider loads the folder docker-compose.yml mounts the dashboard into", () => {
    const provider = parse(readFileSync(join(ROOT, "deploy/grafana/provisioning/dashboards/indus.yml"), "utf8"));
    const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"));
    const mounts: string[] = compose.services.grafana.volumes;
    const dir = provider.providers[0].options.path;
    expect(mounts).toContain(`./deploy/grafana/indus-dashboard.json:${dir}/indus-dashboard.json:ro`);
    expect(mounts).toContain("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
  });
});
