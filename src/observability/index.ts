// Observability's public face: JSON-line logs, per-process Prometheus metrics and the endpoint that serves them.
export { createLogger, createSilentLogger, type LogFields, type LogFormat, type LogLevel, type Logger, type LoggerOptions } from "./logger.ts";
export { createRegistry, parseListenAddress, startMetricsServer, type MetricsServer, type MetricsServerOptions } from "./metrics-server.ts";
export { createControllerMetrics, QUANTILES, type ControllerMetrics, type ControllerMetricsOptions, type PlanShape } from "./controller-metrics.ts";
export { createAgentMetrics, type AgentMetrics, type AgentMetricsOptions, type AgentRunState } from "./agent-metrics.ts";
export { registerProcessMetrics, startProcessSampler, type ProcessSampler, type ProcessSamplerOptions } from "./process-metrics.ts";
export type { Registry } from "prom-client";
