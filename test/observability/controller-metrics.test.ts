// Controller metrics, read back from a real scrape of the registry they were given.
import { describe, expect, test } from "bun:test";
import { register as globalRegistry, Registry } from "prom-client";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { createHistogram } from "../../src/metrics/hdr.ts";
import { createControllerMetrics, QUANTILES } from "../../src/observability/index.ts";
import { parseExposition, valueOf } from "./exposition.ts";
import { feeder, plan, ramp, result, second, snapshot, update } from "./synthetic.ts";

const scrape = async (r: Registry) => parseExposition(await r.metrics());

function fixture() {
  const registry = new Registry();
  const metrics = createControllerMetrics(registry);
  return { registry, metrics, feed: feeder(metrics), p: plan() };
}

describe("createControllerMetrics", () => {
  test("counts requests and errors by class per scenario and step from each merged second", async () => {
    const { registry, metrics, feed, p } = fixture();
    feed("r1", second(1, snapshot({ browse: { vus: 4, steps: { list: { latencies: ramp(10), errors: { http_5xx: 2, timeout: 1 } } } } })), p);
    feed("r1", second(2, snapshot({ browse: { vus: 3, steps: { list: { latencies: ramp(5), errors: { http_5xx: 1 } }, show: { latencies: ramp(7) } } } })), p);
    const s = await scrape(registry);
    expect(valueOf(s, "indus_controller_requests_total", { run_id: "r1", scenario: "browse", step: "list" })).toBe(15);
    expect(valueOf(s, "indus_controller_requests_total", { run_id: "r1", scenario: "browse", step: "show" })).toBe(7);
    // known from the plan before it sent anything: the series exists at 0
    expect(valueOf(s, "indus_controller_requests_total", { run_id: "r1", scenario: "buy", step: "checkout" })).toBe(0);
    expect(valueOf(s, "indus_controller_errors_total", { run_id: "r1", scenario: "browse", step: "list", class: "http_5xx" })).toBe(3);
    expect(valueOf(s, "indus_controller_errors_total", { run_id: "r1", scenario: "browse", step: "list", class: "timeout" })).toBe(1);
    expect(valueOf(s, "indus_controller_active_vus", { run_id: "r1", scenario: "browse" })).toBe(3);
    expect(valueOf(s, "indus_controller_dropped_iterations_total", { run_id: "r1", scenario: "buy" })).toBe(0);
  });

  test("latency quantiles are exact, from the run's merged cumulative histogram, in seconds", async () => {
    const { registry, metrics, feed, p } = fixture();
    const a = ramp(1000, 997); // 1..997 ms
    const b = ramp(300, 3001); // a slower tail in another step, another second
    feed("r1", second(1, snapshot({ browse: { vus: 4, steps: { list: { latencies: a } } } })), p);
    feed("r1", second(2, snapshot({ browse: { vus: 4, steps: { show: { latencies: b } } } })), p);
    const one = createHistogram();
    for (const us of [...a, ...b]) one.recordValue(us);
    const s = await scrape(registry);
    for (const q of QUANTILES) {
      const got = valueOf(s, "indus_controller_request_duration_seconds", { run_id: "r1", scenario: "browse", quantile: String(q) });
      expect(got).toBe(one.getValueAtPercentile(q * 100) / 1e6);
    }
    expect(valueOf(s, "indus_controller_request_duration_seconds", { run_id: "r1", scenario: "buy", quantile: "0.5" })).toBeUndefined();
  });

  test("quantiles are read from the controller's own merge, live while the run is, and frozen at its result", async () => {
    const seconds = [
      second(1, snapshot({ browse: { vus: 4, steps: { list: { latencies: ramp(1000, 997), errors: { timeout: 3 } } } }, buy: { vus: 1, steps: { checkout: { latencies: ramp(40, 20_011) } } } })),
      second(2, snapshot({ browse: { vus: 4, steps: { show: { latencies: ramp(300, 3001) } } } })),
      second(3, snapshot({ buy: { vus: 2, steps: { checkout: { latencies: ramp(7, 1_000_003) } } } })),
    ];
    const { registry, metrics, p } = fixture();
    const merged = new SnapshotAccumulator(); // as the run loop merges: the run so far, live
    const exact = { browse: createHistogram(), buy: createHistogram() };
    const buyLatencies = [ramp(40, 20_011), [], ramp(7, 1_000_003)];
    const browseLatencies = [ramp(1000, 997), ramp(300, 3001), []];
    const expectExact = async () => {
      const s = await scrape(registry);
      for (const scenario of ["browse", "buy"] as const) {
        for (const q of QUANTILES) {
          const want = exact[scenario].totalCount === 0 ? undefined : exact[scenario].getValueAtPercentile(q * 100) / 1e6;
          expect(valueOf(s, "indus_controller_request_duration_seconds", { run_id: "r1", scenario, quantile: String(q) })).toBe(want!);
        }
      }
      return s;
    };
    for (const [i, entry] of seconds.entries()) {
      merged.add(entry.snapshot);
      for (const us of browseLatencies[i]!) exact.browse.recordValue(us);
      for (const us of buyLatencies[i]!) exact.buy.recordValue(us);
      metrics.onSecond("r1", entry, p, merged);
      await expectExact();
    }
    metrics.onResult("r1", result("r1", "completed", p));
    merged.add(seconds[0]!.snapshot); // after the result, the merge is no longer read
    const s = await expectExact();
    const q99 = s.find((x) => x.name === "indus_controller_request_duration_seconds" && x.labels.scenario === "buy" && x.labels.quantile === "0.99");
    expect(q99?.value).toBeGreaterThan(1);
  });

  test("updates set RPS, threshold counts and the run state (1 for the current state, 0 for the others)", async () => {
    const { registry, metrics, feed, p } = fixture();
    metrics.onUpdate("r1", update("r1", "running", p, false));
    let s = await scrape(registry);
    expect(valueOf(s, "indus_controller_rps", { run_id: "r1" })).toBe(42.5);
    expect(valueOf(s, "indus_controller_thresholds_passed", { run_id: "r1" })).toBe(1);
    expect(valueOf(s, "indus_controller_thresholds_failed", { run_id: "r1" })).toBe(1);
    const states = s.filter((x) => x.name === "indus_controller_run_state").map((x) => [x.labels.state, x.value]);
    expect(Object.fromEntries(states)).toEqual({ pending: 0, running: 1, completed: 0, failed: 0, aborted: 0 });

    feed("r1", second(1, snapshot({ buy: { vus: 2, steps: { checkout: { latencies: ramp(3) } } } })), p);
    metrics.onResult("r1", result("r1", "completed", p));
    s = await scrape(registry);
    expect(valueOf(s, "indus_controller_run_state", { run_id: "r1", state: "completed" })).toBe(1);
    expect(valueOf(s, "indus_controller_run_state", { run_id: "r1", state: "running" })).toBe(0);
    expect(valueOf(s, "indus_controller_thresholds_passed", { run_id: "r1" })).toBe(2);
    expect(valueOf(s, "indus_controller_thresholds_failed", { run_id: "r1" })).toBe(0);
    expect(valueOf(s, "indus_controller_rps", { run_id: "r1" })).toBe(0);
    expect(valueOf(s, "indus_controller_active_vus", { run_id: "r1", scenario: "buy" })).toBe(0);
    expect(valueOf(s, "indus_controller_request_duration_seconds", { run_id: "r1", scenario: "buy", quantile: "0.99" })).toBeCloseTo(0.003, 5);
  });

  test("agents, merged snapshots, dropped iterations and checks", async () => {
    const { registry, metrics, feed } = fixture();
    let s = await scrape(registry);
    expect(valueOf(s, "indus_controller_connected_agents")).toBe(0);
    expect(valueOf(s, "indus_controller_snapshots_merged_total")).toBe(0);
    metrics.setAgents(3);
    metrics.snapshotMerged();
    metrics.snapshotMerged(4);
    const checked = (dropped: number, passes: number, fails: number) =>
      snapshot({ buy: { vus: 2, dropped, steps: { checkout: { latencies: ramp(2), checks: { "status is 200": { passes, fails } } } } } });
    feed("r1", second(1, checked(7, 2, 0)), plan());
    feed("r1", second(2, checked(0, 1, 1)), plan());
    s = await scrape(registry);
    expect(valueOf(s, "indus_controller_connected_agents")).toBe(3);
    expect(valueOf(s, "indus_controller_snapshots_merged_total")).toBe(5);
    expect(valueOf(s, "indus_controller_dropped_iterations_total", { run_id: "r1", scenario: "buy" })).toBe(7);
    expect(valueOf(s, "indus_controller_dropped_iterations_total", { run_id: "r1", scenario: "browse" })).toBe(0);
    const check = { run_id: "r1", scenario: "buy", step: "checkout", check: "status is 200" };
    expect(valueOf(s, "indus_controller_checks_total", { ...check, result: "pass" })).toBe(3);
    expect(valueOf(s, "indus_controller_checks_total", { ...check, result: "fail" })).toBe(1);
    metrics.forget("r1");
    s = await scrape(registry);
    expect(s.some((x) => x.name === "indus_controller_checks_total" && x.labels.run_id === "r1")).toBe(false);
  });

  test("received and decoded bytes per step, and each error kind by class, removed with the run", async () => {
    const { registry, metrics, feed, p } = fixture();
    const snap = () => {
      const s = snapshot({ browse: { vus: 1, steps: { list: { latencies: ramp(4), errors: { tls: 3 } } } } });
      const st = s.scenarios.browse!.steps.list!;
      st.bytesIn = 1000;
      st.bytesDecoded = 4000;
      st.errorKinds = { "tls: certificate has expired": 2, "tls: unknown CA": 1 };
      return s;
    };
    feed("r1", second(1, snap()), p);
    feed("r1", second(2, snap()), p);
    let s = await scrape(registry);
    const list = { run_id: "r1", scenario: "browse", step: "list" };
    expect(valueOf(s, "indus_controller_received_bytes_total", list)).toBe(2000);
    expect(valueOf(s, "indus_controller_decoded_bytes_total", list)).toBe(8000);
    // a step that decoded nothing has no decoded series; its wire bytes are there from the plan on
    expect(s.some((x) => x.name === "indus_controller_decoded_bytes_total" && x.labels.step === "checkout")).toBe(false);
    expect(valueOf(s, "indus_controller_received_bytes_total", { run_id: "r1", scenario: "buy", step: "checkout" })).toBe(0);
    expect(valueOf(s, "indus_controller_error_kinds_total", { run_id: "r1", class: "tls", kind: "certificate has expired" })).toBe(4);
    expect(valueOf(s, "indus_controller_error_kinds_total", { run_id: "r1", class: "tls", kind: "unknown CA" })).toBe(2);
    metrics.forget("r1");
    s = await scrape(registry);
    expect(s.some((x) => x.labels.run_id === "r1" && /bytes|kinds/.test(x.name))).toBe(false);
  });

  test("old runs' series are removed beyond keepRuns, and forget() removes one run's", async () => {
    const registry = new Registry();
    const metrics = createControllerMetrics(registry, { keepRuns: 2 });
    const feed = feeder(metrics);
    const p = plan();
    for (const id of ["r1", "r2", "r3"]) {
      metrics.onUpdate(id, update(id, "running", p));
      feed(id, second(1, snapshot({ browse: { vus: 1, steps: { list: { latencies: ramp(2), errors: { reset: 1 } } } }, buy: { vus: 1, dropped: 1, steps: {} } })), p);
      metrics.onResult(id, result(id, "completed", p));
    }
    const runsIn = async () => new Set((await scrape(registry)).map((x) => x.labels.run_id).filter(Boolean));
    expect(await runsIn()).toEqual(new Set(["r2", "r3"]));
    metrics.forget("r2");
    expect(await runsIn()).toEqual(new Set(["r3"]));
  });

  test("uses only the registry it is given, and exports the process metrics itself", async () => {
    const { registry } = fixture();
    createControllerMetrics(new Registry());
    const globalText = await globalRegistry.metrics();
    expect(globalText).not.toContain("indus_");
    const s = await scrape(registry);
    expect(valueOf(s, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(valueOf(s, "process_resident_memory_bytes")).toBeGreaterThan(1e6);
    const start = valueOf(s, "process_start_time_seconds")!;
    expect(Math.abs(start - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
  });
});
