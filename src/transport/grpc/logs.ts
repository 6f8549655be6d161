// grpc-js's own log lines, routed into the process's logger.
import { setLogger } from "@grpc/grpc-js";
import type { Logger } from "../../observability/logger.ts";

/**
 * grpc-js writes what it logs straight to stderr in its own format ("E No address added out of total 1 resolved"
 * when a port is in use): a stray line before our own message, and a line that is not JSON in an agent's or a
 * controller's JSON log. Its lines go to our logger instead, at debug: what they report reaches the user as our own
 * error (`cannot listen on …: address already in use`). A user who asks grpc-js for its logs (GRPC_VERBOSITY,
 * GRPC_TRACE and their GRPC_NODE_ forms) gets them as grpc-js writes them.
 */
export function routeGrpcLogs(logger: Logger | undefined, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const asked = ["GRPC_VERBOSITY", "GRPC_TRACE", "GRPC_NODE_VERBOSITY", "GRPC_NODE_TRACE"].some((name) => env[name] !== undefined && env[name] !== "");
  if (asked) return;
  const to =
    (level: string) =>
    (message?: unknown, ...rest: unknown[]): void => {
      logger?.debug("grpc-js", { level, message: [message, ...rest].map(String).join(" ") });
    };
  setLogger({ error: to("error"), info: to("info"), debug: to("debug") });
}
