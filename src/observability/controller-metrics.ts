// The controller's Prometheus metrics: it reports runs as plain data, prom-client stays in here.
import { Counter, Gauge, type Registry } from "prom-client";
import type { MergedRun, RunResult, RunUpdate, TimelineEntry } from "../run/types.ts";
import { ERROR_CLASSES } from "../metrics/error-class.ts";
import { histogramPercentiles } from "../metrics/hdr.ts";
import type { RunState } from "../run/types.ts";
import { splitErrorKind } from "./error-kind.ts";
import { registerProcessMetrics } from "./process-metrics.ts";
import { parseTagSetKey } from "../metrics/tag-set.ts";
import { forEachTagged, type StepCounters } from "../metrics/snapshot.ts";
import { tagLabels, withTaggedSeries } from "./tagged-series.ts";

/** The quantiles exported as indus_controller_request_duration_seconds{quantile}. */
export const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;
const PERCENT_QUANTILES = QUANTILES.map((q) => q * 100);
const RUN_STATES: readonly RunState[] = ["pending", "running", "completed", "failed", "aborted"];
const US_PER_S = 1e6;
const CHECK_RESULTS = ["pass", "fail"] as const;

/** The scenarios and steps of a plan (a Plan fits): their series exist, at 0, from the first second. */
export interface PlanShape {
  scenarios: readonly { name: string; steps: readonly { name: string }[] }[];
}

export interface ControllerMetrics {
  /** Every live update: state, RPS, threshold counts. */
  onUpdate(runId: string, update: RunUpdate): void;
  /**
   * Every merged second: requests and errors by class per scenario and step, VUs, latency quantiles.
   * Quantiles are read at the next scrape from `merged`, the run so far as the controller merged it (live):
   * nothing is decoded twice.
   */
  onSecond(runId: string, entry: TimelineEntry, plan: PlanShape | undefined, merged: MergedRun): void;
  /** The end of a run: final state, thresholds and quantiles; VUs and RPS drop to 0. */
  onResult(runId: string, result: RunResult): void;
  setAgents(count: number): void;
  /** One agent snapshot merged (n of them, if given). */
  snapshotMerged(n?: number): void;
  /** Removes a run's series (older runs are forgotten automatically beyond keepRuns). */
  forget(runId: string): void;
}

export interface ControllerMetricsOptions {
  /** runs whose series are kept; the oldest beyond this are removed (default 10) */
  keepRuns?: number;
  /** also export process_* metrics into this registry (default true) */
  processMetrics?: boolean;
}

interface RunSeries {
  /** the controller's own merge of the run so far, while the run is live (dropped at the result) */
  cumulative: MergedRun | undefined;
  /** quantiles need recomputing at the next scrape */
  dirty: boolean;
  planSeen: boolean;
  /** the result arrived: quantiles are final */
  done: boolean;
  scenarios: Set<string>;
  steps: Map<string, [scenario: string, step: string]>;
  errorSeries: Map<string, [scenario: string, step: string, cls: string]>;
  checkSeries: Map<string, [scenario: string, step: string, check: string]>;
  decodedSteps: Set<string>;
  kindSeries: Map<string, [cls: string, kind: string]>;
  quantileScenarios: Set<string>;
}

export function createControllerMetrics(registry: Registry, options: ControllerMetricsOptions = {}): ControllerMetrics {
  const keepRuns = options.keepRuns ?? 10;
  const registers = [registry];
  if (options.processMetrics !== false) registerProcessMetrics(registry);
  const runs = new Map<string, RunSeries>();

  // requests, errors and latency also per tag set, as tag_<key> labels (series of their own: label names vary by run)
  const requests = new Counter({
    name: "indus_controller_requests_total",
    help: "Requests across all agents, per run, scenario and step; tagged requests per tag set too (tag_<key> labels), the untagged series then counts the rest.",
    labelNames: ["run_id", "scenario", "step"] as const,
    registers: [],
  });
  const requestsTagged = withTaggedSeries(registry, requests);
  const errors = new Counter({
    name: "indus_controller_errors_total",
    help: "Failed requests across all agents, per run, scenario, step and error class; tagged ones per tag set too (tag_<key> labels), the untagged series then counts the rest.",
    labelNames: ["run_id", "scenario", "step", "class"] as const,
    registers: [],
  });
  const errorsTagged = withTaggedSeries(registry, errors);
  const duration = new Gauge({
    name: "indus_controller_request_duration_seconds",
    help: "Request latency quantiles over the whole run so far, exact from the merged HDR histograms; per scenario, and per scenario and tag set (tag_<key> labels).",
    labelNames: ["run_id", "scenario", "quantile"] as const,
    registers: [],
    collect() {
      for (const [runId, run] of runs) if (run.dirty && run.cumulative) setQuantiles(runId, run);
    },
  });
  const durationTagged = withTaggedSeries(registry, duration);
  const vus = new Gauge({
    name: "indus_controller_active_vus",
    help: "Active VUs per run and scenario, summed over agents.",
    labelNames: ["run_id", "scenario"] as const,
    registers,
  });
  const rps = new Gauge({
    name: "indus_controller_rps",
    help: "Requests per second over the last reporting window (0 once the run has ended).",
    labelNames: ["run_id"] as const,
    registers,
  });
  const passed = new Gauge({
    name: "indus_controller_thresholds_passed",
    help: "Thresholds passing now (at the end: the verdict).",
    labelNames: ["run_id"] as const,
    registers,
  });
  const failed = new Gauge({
    name: "indus_controller_thresholds_failed",
    help: "Thresholds failing now (at the end: the verdict).",
    labelNames: ["run_id"] as const,
    registers,
  });
  const runState = new Gauge({
    name: "indus_controller_run_state",
    help: "1 for the run's current state, 0 for the others.",
    labelNames: ["run_id", "state"] as const,
    registers,
  });
  const agents = new Gauge({
    name: "indus_controller_connected_agents",
    help: "Agents the controller knows and can reach.",
    registers,
  });
  const merged = new Counter({
    name: "indus_controller_snapshots_merged_total",
    help: "Agent snapshots merged.",
    registers,
  });
  const dropped = new Counter({
    name: "indus_controller_dropped_iterations_total",
    help: "Iterations an arrival-rate scenario could not start because no VU was free.",
    labelNames: ["run_id", "scenario"] as const,
    registers,
  });
  const checks = new Counter({
    name: "indus_controller_checks_total",
    help: "Check outcomes across all agents, per run, scenario, step, check and result (pass or fail).",
    labelNames: ["run_id", "scenario", "step", "check", "result"] as const,
    registers,
  });
  const received = new Counter({
    name: "indus_controller_received_bytes_total",
    help: "Response bytes as they crossed the wire, across all agents, per run, scenario and step.",
    labelNames: ["run_id", "scenario", "step"] as const,
    registers,
  });
  const decoded = new Counter({
    name: "indus_controller_decoded_bytes_total",
    help: "Response bodies once decoded, for steps with compression, across all agents, per run, scenario and step (received bytes stay wire bytes).",
    labelNames: ["run_id", "scenario", "step"] as const,
    registers,
  });
  const errorKinds = new Counter({
    name: "indus_controller_error_kinds_total",
    help: "Failed requests whose kind is known (TLS certificate problems, HTTP/2 resets, decoding errors), per run, error class and kind.",
    labelNames: ["run_id", "class", "kind"] as const,
    registers,
  });
  merged.inc(0);
  agents.set(0);

  const setQuantiles = (runId: string, run: RunSeries) => {
    run.dirty = false;
    for (const scenario of run.cumulative?.scenarioNames() ?? []) {
      const latency = run.cumulative?.scope({ scenario })?.latency;
      if (!latency || latency.totalCount === 0) continue;
      run.quantileScenarios.add(scenario);
      const values = histogramPercentiles(latency, PERCENT_QUANTILES);
      QUANTILES.forEach((q, k) => duration.set({ run_id: runId, scenario, quantile: String(q) }, values[k]! / US_PER_S));
      for (const tagSet of run.cumulative?.tagSetKeys(scenario) ?? []) {
        const tagged = run.cumulative?.scope({ scenario, tagSet })?.latency;
        if (!tagged || tagged.totalCount === 0) continue;
        const labels = tagLabels(parseTagSetKey(tagSet));
        const taggedValues = histogramPercentiles(tagged, PERCENT_QUANTILES);
        QUANTILES.forEach((q, k) => durationTagged.set({ run_id: runId, scenario, quantile: String(q), ...labels }, taggedValues[k]! / US_PER_S));
      }
    }
  };

  const setState = (runId: string, state: RunState) => {
    for (const s of RUN_STATES) runState.set({ run_id: runId, state: s }, s === state ? 1 : 0);
  };

  const setThresholds = (runId: string, results: readonly { passed: boolean }[]) => {
    const ok = results.filter((r) => r.passed).length;
    passed.set({ run_id: runId }, ok);
    failed.set({ run_id: runId }, results.length - ok);
  };

  const runOf = (runId: string): RunSeries => {
    let run = runs.get(runId);
    if (run) return run;
    run = {
      cumulative: undefined,
      dirty: false,
      planSeen: false,
      done: false,
      scenarios: new Set(),
      steps: new Map(),
      errorSeries: new Map(),
      checkSeries: new Map(),
      decodedSteps: new Set(),
      kindSeries: new Map(),
      quantileScenarios: new Set(),
    };
    runs.set(runId, run);
    for (const old of [...runs.keys()].slice(0, Math.max(0, runs.size - keepRuns))) forget(old);
    return run;
  };

  const stepSeen = (run: RunSeries, scenario: string, step: string) => {
    run.scenarios.add(scenario);
    run.steps.set(`${scenario}\u0000${step}`, [scenario, step]);
  };

  const addErrors = (runId: string, run: RunSeries, scenario: string, step: string, cls: string, n: number) => {
    run.errorSeries.set(`${scenario}\u0000${step}\u0000${cls}`, [scenario, step, cls]);
    errors.inc({ run_id: runId, scenario, step, class: cls }, n);
  };

  function forget(runId: string): void {
    const run = runs.get(runId);
    if (!run) return;
    runs.delete(runId);
    const r = { run_id: runId };
    for (const [key, [scenario, step]] of run.steps) {
      requests.remove({ ...r, scenario, step });
      received.remove({ ...r, scenario, step });
      if (run.decodedSteps.has(key)) decoded.remove({ ...r, scenario, step });
    }
    for (const [cls, kind] of run.kindSeries.values()) errorKinds.remove({ ...r, class: cls, kind });
    for (const [scenario, step, cls] of run.errorSeries.values()) errors.remove({ ...r, scenario, step, class: cls });
    for (const [scenario, step, check] of run.checkSeries.values()) {
      for (const result of CHECK_RESULTS) checks.remove({ ...r, scenario, step, check, result });
    }
    for (const scenario of run.scenarios) {
      vus.remove({ ...r, scenario });
      dropped.remove({ ...r, scenario });
    }
    for (const scenario of run.quantileScenarios) for (const q of QUANTILES) duration.remove({ ...r, scenario, quantile: String(q) });
    for (const s of RUN_STATES) runState.remove({ ...r, state: s });
    requestsTagged.forget(runId);
    errorsTagged.forget(runId);
    durationTagged.forget(runId);
    rps.remove(r);
    passed.remove(r);
    failed.remove(r);
  }

  return {
    onUpdate(runId, update) {
      runOf(runId);
      setState(runId, update.row.state);
      rps.set({ run_id: runId }, update.row.rps);
      setThresholds(runId, update.thresholds);
    },

    onSecond(runId, entry, plan, merged) {
      const run = runOf(runId);
      if (plan && !run.planSeen) {
        run.planSeen = true;
        for (const sc of plan.scenarios) {
          run.scenarios.add(sc.name);
          dropped.inc({ run_id: runId, scenario: sc.name }, 0);
          for (const st of sc.steps) {
            stepSeen(run, sc.name, st.name);
            requests.inc({ run_id: runId, scenario: sc.name, step: st.name }, 0);
            received.inc({ run_id: runId, scenario: sc.name, step: st.name }, 0);
          }
        }
      }
      for (const [scenario, sc] of Object.entries(entry.snapshot.scenarios)) {
        // tagged requests go to their tag set's series; the untagged series keeps the rest, so sums stay exact
        const untagged = new Map<string, StepCounters>();
        forEachTagged(sc, (tagSet, step, st) => {
          const labels = tagLabels(parseTagSetKey(tagSet));
          {
            const rest = untagged.get(step) ?? untagged.set(step, emptyRest()).get(step)!;
            rest.requests += st.requests;
            requestsTagged.inc({ run_id: runId, scenario, step, ...labels }, st.requests);
            forEachClass(st, (cls, n) => {
              rest.errorsByClass[cls as keyof StepCounters["errorsByClass"]] = (rest.errorsByClass[cls as keyof StepCounters["errorsByClass"]] ?? 0) + n;
              errorsTagged.inc({ run_id: runId, scenario, step, class: cls, ...labels }, n);
            });
          }
        });
        for (const [step, st] of Object.entries(sc.steps)) {
          stepSeen(run, scenario, step);
          const tagged = untagged.get(step);
          requests.inc({ run_id: runId, scenario, step }, st.requests - (tagged?.requests ?? 0));
          received.inc({ run_id: runId, scenario, step }, st.bytesIn);
          if (st.bytesDecoded) {
            run.decodedSteps.add(`${scenario}\u0000${step}`);
            decoded.inc({ run_id: runId, scenario, step }, st.bytesDecoded);
          }
          for (const [classKind, n] of Object.entries(st.errorKinds ?? {})) {
            const { cls, kind } = splitErrorKind(classKind);
            run.kindSeries.set(`${cls}\u0000${kind}`, [cls, kind]);
            errorKinds.inc({ run_id: runId, class: cls, kind }, n);
          }
          forEachClass(st, (cls, n) => {
            const rest = n - (tagged?.errorsByClass[cls as keyof StepCounters["errorsByClass"]] ?? 0);
            if (rest > 0) addErrors(runId, run, scenario, step, cls, rest);
          });
          for (const [check, counts] of Object.entries(st.checks ?? {})) {
            run.checkSeries.set(`${scenario}\u0000${step}\u0000${check}`, [scenario, step, check]);
            checks.inc({ run_id: runId, scenario, step, check, result: "pass" }, counts.passes);
            checks.inc({ run_id: runId, scenario, step, check, result: "fail" }, counts.fails);
          }
        }
        if (sc.droppedIterations) {
          run.scenarios.add(scenario);
          dropped.inc({ run_id: runId, scenario }, sc.droppedIterations);
        }
      }
      for (const [scenario, n] of Object.entries(entry.vus)) {
        run.scenarios.add(scenario);
        vus.set({ run_id: runId, scenario }, n);
      }
      if (run.done) return;
      // the whole run so far, already decoded by the run loop: read at the next scrape, never decoded here
      run.cumulative = merged;
      run.dirty = true;
    },

    onResult(runId, result) {
      const run = runOf(runId);
      setState(runId, result.state);
      setThresholds(runId, result.thresholds);
      rps.set({ run_id: runId }, 0);
      for (const scenario of run.scenarios) vus.set({ run_id: runId, scenario }, 0);
      if (run.cumulative && run.dirty) setQuantiles(runId, run);
      run.cumulative = undefined;
      run.done = true;
    },

    setAgents(count) {
      agents.set(count);
    },

    snapshotMerged(n = 1) {
      merged.inc(n);
    },

    forget,
  };
}

function emptyRest(): StepCounters {
  return { requests: 0, errors: 0, errorsByClass: {}, bytesIn: 0, bytesOut: 0 };
}

/** Each error class with failures in a step's counters, and "other" for failures no class counts. */
function forEachClass(st: StepCounters, each: (cls: string, n: number) => void): void {
  let classified = 0;
  for (const cls of ERROR_CLASSES) {
    const n = st.errorsByClass[cls] ?? 0;
    if (n > 0) each(cls, n);
    classified += n;
  }
  if (st.errors > classified) each("other", st.errors - classified);
}
