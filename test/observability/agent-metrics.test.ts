// Agent metrics: counters from the snapshots it sends, its state, and the lag/CPU samplers measured for real.
import { describe, expect, test } from "bun:test";
import { Registry } from "prom-client";
import { createAgentMetrics, startProcessSampler } from "../../src/observability/index.ts";
import { parseExposition, valueOf } from "./exposition.ts";
import { ramp, snapshot } from "./synthetic.ts";

const scrape = async (r: Registry) => parseExposition(await r.metrics());

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // block the event loop on purpose
  }
};

describe("createAgentMetrics", () => {
  test("counts each snapshot sent: requests and errors per scenario and step, VUs per scenario", async () => {
    const registry = new Registry();
    const m = createAgentMetrics(registry, { agentId: "agent-1", version: "1.2.3" });
    try {
      m.setState("busy");
      m.onSnapshot(snapshot({ browse: { vus: 4, steps: { list: { latencies: ramp(10), errors: { connect_refused: 2 } } } } }));
      m.onSnapshot(snapshot({ browse: { vus: 5, steps: { list: { latencies: ramp(3) }, show: { latencies: ramp(1), errors: { http_4xx: 1 } } } } }));
      const s = await scrape(registry);
      expect(valueOf(s, "indus_agent_requests_total", { scenario: "browse", step: "list" })).toBe(13);
      expect(valueOf(s, "indus_agent_requests_total", { scenario: "browse", step: "show" })).toBe(1);
      expect(valueOf(s, "indus_agent_errors_total", { scenario: "browse", step: "list", class: "connect_refused" })).toBe(2);
      expect(valueOf(s, "indus_agent_errors_total", { scenario: "browse", step: "show", class: "http_4xx" })).toBe(1);
      expect(valueOf(s, "indus_agent_active_vus", { scenario: "browse" })).toBe(5);
      expect(valueOf(s, "indus_agent_info", { agent_id: "agent-1", version: "1.2.3" })).toBe(1);
      expect(valueOf(s, "indus_agent_state", { state: "busy" })).toBe(1);
      expect(valueOf(s, "indus_agent_state", { state: "idle" })).toBe(0);
    } finally {
      m.stop();
    }
  });

  test("counts check outcomes per check and result, and an arrival-rate scenario's dropped iterations", async () => {
    const registry = new Registry();
    const m = createAgentMetrics(registry, { agentId: "a" });
    try {
      const checked = (dropped: number, passes: number, fails: number) =>
        snapshot({ buy: { vus: 2, dropped, steps: { pay: { latencies: ramp(2), checks: { "status is 200": { passes, fails } } } } } });
      m.onSnapshot(checked(4, 2, 0));
      m.onSnapshot(checked(0, 0, 2));
      const s = await scrape(registry);
      const check = { scenario: "buy", step: "pay", check: "status is 200" };
      expect(valueOf(s, "indus_agent_checks_total", { ...check, result: "pass" })).toBe(2);
      expect(valueOf(s, "indus_agent_checks_total", { ...check, result: "fail" })).toBe(2);
      expect(valueOf(s, "indus_agent_dropped_iterations_total", { scenario: "buy" })).toBe(4);
    } finally {
      m.stop();
    }
  });

  test("counts received and decoded bytes per step, and each error kind by class", async () => {
    const registry = new Registry();
    const m = createAgentMetrics(registry, { agentId: "agent-1", processMetrics: false });
    try {
      const snap = snapshot({ browse: { vus: 1, steps: { list: { latencies: ramp(2), errors: { tls: 1, protocol: 1 } } } } });
      const st = snap.scenarios.browse!.steps.list!;
      st.bytesIn = 300;
      st.bytesDecoded = 1200;
      st.errorKinds = { "tls: certificate has expired": 1, "protocol: gzip body did not decode": 1 };
      m.onSnapshot(snap);
      m.onSnapshot(snap);
      const s = await scrape(registry);
      expect(valueOf(s, "indus_agent_received_bytes_total", { scenario: "browse", step: "list" })).toBe(600);
      expect(valueOf(s, "indus_agent_decoded_bytes_total", { scenario: "browse", step: "list" })).toBe(2400);
      expect(valueOf(s, "indus_agent_error_kinds_total", { class: "tls", kind: "certificate has expired" })).toBe(2);
      expect(valueOf(s, "indus_agent_error_kinds_total", { class: "protocol", kind: "gzip body did not decode" })).toBe(2);
    } finally {
      m.stop();
    }
  });

  test("state can be read from the agent at scrape time; idle means 0 VUs", async () => {
    const registry = new Registry();
    let state: "idle" | "busy" = "busy";
    const m = createAgentMetrics(registry, { agentId: "a", state: () => state });
    try {
      m.onSnapshot(snapshot({ browse: { vus: 4, steps: { list: { latencies: ramp(1) } } } }));
      expect(valueOf(await scrape(registry), "indus_agent_active_vus", { scenario: "browse" })).toBe(4);
      state = "idle";
      const s = await scrape(registry);
      expect(valueOf(s, "indus_agent_active_vus", { scenario: "browse" })).toBe(0);
      expect(valueOf(s, "indus_agent_state", { state: "idle" })).toBe(1);
    } finally {
      m.stop();
    }
  });

  test("exports CPU time and the process metrics into its own registry only", async () => {
    const registry = new Registry();
    const m = createAgentMetrics(registry, { agentId: "a" });
    try {
      busy(30);
      const s = await scrape(registry);
      expect(valueOf(s, "indus_agent_cpu_seconds_total")).toBeGreaterThan(0);
      expect(valueOf(s, "process_cpu_seconds_total")).toBeGreaterThan(0);
      expect(valueOf(s, "process_resident_memory_bytes")).toBeGreaterThan(1e6);
      expect(valueOf(s, "indus_agent_cpu_utilization")).toBeGreaterThanOrEqual(0);
      expect(valueOf(s, "indus_agent_event_loop_lag_seconds")).toBeGreaterThanOrEqual(0);
      // counters never go down between scrapes
      const again = await scrape(registry);
      expect(valueOf(again, "process_cpu_seconds_total")!).toBeGreaterThanOrEqual(valueOf(s, "process_cpu_seconds_total")!);
    } finally {
      m.stop();
    }
  });
});

describe("startProcessSampler", () => {
  test("a blocked event loop shows as lag, and a busy thread as CPU, over the last window", async () => {
    const sampler = startProcessSampler({ tickMs: 10, windowMs: 300, cores: 1 });
    try {
      await Bun.sleep(50);
      busy(300); // longer than the window: the first tick after it closes the window holding the stall
      await Bun.sleep(30);
      expect(sampler.loopLagSeconds()).toBeGreaterThan(0.25);
      expect(sampler.loopLagSeconds()).toBeLessThan(1.5);
      busy(600); // most of the closing window is this thread spinning
      await Bun.sleep(30);
      expect(sampler.cpuUtilization()).toBeGreaterThan(0.1); // loose: other processes may share the core
      expect(sampler.cpuUtilization()).toBeLessThanOrEqual(1);
      await Bun.sleep(700); // two quiet windows: the stall is forgotten
      expect(sampler.loopLagSeconds()).toBeLessThan(0.2);
    } finally {
      sampler.stop();
    }
  });
});
