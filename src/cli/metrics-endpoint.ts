// --metrics-addr for controller and agent: serve /metrics, /healthz, /readyz; "off" disables it.
import { IndusError } from "../core/errors.ts";
import type { Logger } from "../observability/logger.ts";
import { startMetricsServer, type Registry } from "../observability/index.ts";

export async function serveMetrics(
  address: string,
  isDefault: boolean,
  registry: Registry,
  ready: () => boolean,
  logger: Logger,
): Promise<{ stop(): Promise<void> } | undefined> {
  if (address === "" || address === "off") return undefined;
  logger.info("metrics server starting", { addr: address });
  try {
    return await startMetricsServer({ address, registry, ready, logger }); // logs "metrics server listening" with the port
  } catch (e) {
    // a second agent on one host with the default port should still run: warn, serve no metrics
    if (isDefault && e instanceof IndusError) {
      logger.warn("metrics server not started", { addr: address, reason: e.message });
      return undefined;
    }
    throw e;
  }
}
