// Binding a grpc-js Server to an address and stopping it: shared by the agent and controller servers.
import type { Server, ServerCredentials } from "@grpc/grpc-js";
import { IndusError } from "../../core/errors.ts";
import type { Logger } from "../../observability/logger.ts";
import { hostOf, normalizeListenAddress } from "./listen.ts";
import { routeGrpcLogs } from "./logs.ts";

export interface StopOptions {
  /** cut every call at once (peers see UNAVAILABLE/CANCELLED) instead of letting them finish */
  force?: boolean;
  /** a graceful stop turns forced after this long (default 5000 ms) */
  graceMs?: number;
}

export interface GrpcServerHandle {
  /** the bound port (the real one when asked for port 0) */
  port: number;
  /** host:port as bound, e.g. "127.0.0.1:40123" or "0.0.0.0:50052" */
  address: string;
  stop(options?: StopOptions): Promise<void>;
}

export async function listen(server: Server, address: string, creds: ServerCredentials, logger?: Logger): Promise<GrpcServerHandle> {
  routeGrpcLogs(logger);
  const target = normalizeListenAddress(address);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(target, creds, (err, p) =>
      // a port in use or an address not on this host is the user's input (exit 2), not an indus bug
      err
        ? reject(
            new IndusError("listen_failed", `cannot listen on ${target}: ${/EADDRINUSE/.test(err.message) ? "address already in use" : err.message}`, {
              hint: "is another process using the port? pick another --grpc-addr (port 0 picks a free one)",
            }),
          )
        : resolve(p),
    ),
  );
  const host = hostOf(target);
  const bound = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  logger?.debug("gRPC server listening", { addr: bound });
  let stopped: Promise<void> | undefined;
  return {
    port,
    address: bound,
    stop(options = {}) {
      if (options.force) server.forceShutdown();
      return (stopped ??= options.force ? Promise.resolve() : gracefulThenForced(server, options.graceMs ?? 5000));
    },
  };
}

function gracefulThenForced(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.forceShutdown(), graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
