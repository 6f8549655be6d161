// An agent's Prometheus metrics: fed from the snapshots it sends, plus its own event-loop lag and CPU.
import { Counter, Gauge, type Registry } from "prom-client";
import pkg from "../../package.json" with { type: "json" };
import { ERROR_CLASSES } from "../metrics/error-class.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import { splitErrorKind } from "./error-kind.ts";
import { registerProcessMetrics, startProcessSampler, type ProcessSamplerOptions } from "./process-metrics.ts";

export type AgentRunState = "idle" | "busy";
const AGENT_STATES: readonly AgentRunState[] = ["idle", "busy"];

export interface AgentMetricsOptions {
  agentId: string;
  /** default: indus's version */
  version?: string;
  /** read at every scrape (e.g. `() => agent.info().state`); otherwise setState() decides */
  state?: () => AgentRunState;
  /** also export process_* metrics into this registry (default true) */
  processMetrics?: boolean;
  sampler?: ProcessSamplerOptions;
}

export interface AgentMetrics {
  /** Counts one snapshot the agent is about to send (a delta since the previous one). */
  onSnapshot(snapshot: Snapshot): void;
  setState(state: AgentRunState): void;
  /** Stops the lag/CPU sampler. */
  stop(): void;
}

export function createAgentMetrics(registry: Registry, options: AgentMetricsOptions): AgentMetrics {
  const registers = [registry];
  if (options.processMetrics !== false) registerProcessMetrics(registry);
  const sampler = startProcessSampler(options.sampler);
  let state: AgentRunState = "idle";
  const currentState = () => options.state?.() ?? state;
  const scenarios = new Set<string>();

  const vus = new Gauge({
    name: "indus_agent_active_vus",
    help: "VUs running on this agent, per scenario (0 when idle).",
    labelNames: ["scenario"] as const,
    registers,
    collect() {
      if (currentState() === "idle") for (const scenario of scenarios) this.set({ scenario }, 0);
    },
  });
  const requests = new Counter({
    name: "indus_agent_requests_total",
    help: "Requests sent by this agent, per scenario and step.",
    labelNames: ["scenario", "step"] as const,
    registers,
  });
  const errors = new Counter({
    name: "indus_agent_errors_total",
    help: "Failed requests sent by this agent, per scenario, step and error class.",
    labelNames: ["scenario", "step", "class"] as const,
    registers,
  });
  const checks = new Counter({
    name: "indus_agent_checks_total",
    help: "Check outcomes on this agent, per scenario, step, check and result (pass or fail).",
    labelNames: ["scenario", "step", "check", "result"] as const,
    registers,
  });
  const dropped = new Counter({
    name: "indus_agent_dropped_iterations_total",
    help: "Iterations an arrival-rate scenario could not start on this agent because no VU was free.",
    labelNames: ["scenario"] as const,
    registers,
  });
  new Gauge({
    name: "indus_agent_event_loop_lag_seconds",
    help: "Longest event-loop delay of the agent's main thread during the last second.",
    registers,
    collect() {
      this.set(sampler.loopLagSeconds());
    },
  });
  let cpuReported = 0;
  new Counter({
    name: "indus_agent_cpu_seconds_total",
    help: "CPU time used by the agent process (all threads, VU workers included).",
    registers,
    collect() {
      const u = process.cpuUsage();
      const now = (u.user + u.system) / 1e6;
      if (now > cpuReported) this.inc(now - cpuReported);
      cpuReported = Math.max(cpuReported, now);
    },
  });
  new Gauge({
    name: "indus_agent_cpu_utilization",
    help: "CPU used by the agent during the last second as a fraction of all the machine's cores (0..1).",
    registers,
    collect() {
      this.set(sampler.cpuUtilization());
    },
  });
  const info = new Gauge({
    name: "indus_agent_info",
    help: "Always 1; labels identify the agent.",
    labelNames: ["agent_id", "version"] as const,
    registers,
  });
  info.set({ agent_id: options.agentId, version: options.version ?? pkg.version }, 1);
  new Gauge({
    name: "indus_agent_state",
    help: "1 for the agent's current state (idle: no run, busy: running VUs), 0 for the others.",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const now = currentState();
      for (const s of AGENT_STATES) this.set({ state: s }, s === now ? 1 : 0);
    },
  });

  const received = new Counter({
    name: "indus_agent_received_bytes_total",
    help: "Response bytes as they crossed the wire on this agent, per scenario and step.",
    labelNames: ["scenario", "step"] as const,
    registers,
  });
  const decoded = new Counter({
    name: "indus_agent_decoded_bytes_total",
    help: "Response bodies once decoded on this agent, for steps with compression, per scenario and step.",
    labelNames: ["scenario", "step"] as const,
    registers,
  });
  const errorKinds = new Counter({
    name: "indus_agent_error_kinds_total",
    help: "Failed requests on this agent whose kind is known (TLS certificate problems, HTTP/2 resets, decoding errors), per error class and kind.",
    labelNames: ["class", "kind"] as const,
    registers,
  });

  return {
    onSnapshot(snapshot) {
      for (const [scenario, sc] of Object.entries(snapshot.scenarios)) {
        scenarios.add(scenario);
        vus.set({ scenario }, sc.vus);
        for (const [step, st] of Object.entries(sc.steps)) {
          requests.inc({ scenario, step }, st.requests);
          received.inc({ scenario, step }, st.bytesIn);
          if (st.bytesDecoded) decoded.inc({ scenario, step }, st.bytesDecoded);
          for (const [key, n] of Object.entries(st.errorKinds ?? {})) {
            const { cls, kind } = splitErrorKind(key);
            errorKinds.inc({ class: cls, kind }, n);
          }
          let classified = 0;
          for (const cls of ERROR_CLASSES) {
            const n = st.errorsByClass[cls] ?? 0;
            if (n > 0) errors.inc({ scenario, step, class: cls }, n);
            classified += n;
          }
          if (st.errors > classified) errors.inc({ scenario, step, class: "other" }, st.errors - classified);
          for (const [check, counts] of Object.entries(st.checks ?? {})) {
            checks.inc({ scenario, step, check, result: "pass" }, counts.passes);
            checks.inc({ scenario, step, check, result: "fail" }, counts.fails);
          }
        }
        if (sc.droppedIterations !== undefined) dropped.inc({ scenario }, sc.droppedIterations);
      }
    },
    setState(next) {
      state = next;
    },
    stop: () => sampler.stop(),
  };
}
