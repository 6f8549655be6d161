// The /metrics, /healthz and /readyz endpoints of a controller or agent, on Bun.serve.
import { Registry } from "prom-client";
import { IndusError } from "../core/errors.ts";
import type { Logger } from "./logger.ts";

/** A fresh registry for one process's metrics: never prom-client's global one. */
export function createRegistry(): Registry {
  return new Registry();
}

export interface MetricsServerOptions {
  /** ":9090" (every interface), "127.0.0.1:0" (a free port), "[::1]:9090", "localhost:9091" */
  address: string;
  registry: Registry;
  /** /readyz answers 200 while this is true, 503 otherwise */
  ready: () => boolean;
  logger?: Logger;
}

export interface MetricsServer {
  /** the port actually bound (useful with port 0) */
  port: number;
  stop(): Promise<void>;
}

/** Splits a listen address into Bun.serve's hostname and port; "" host means every interface. */
export function parseListenAddress(address: string): { hostname: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(address.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new IndusError("bad_flag", `metrics address "${address}" is not host:port`, {
      hint: 'use ":9090" for every interface or "127.0.0.1:9090" for loopback only',
    });
  }
  const host = m[1] ?? m[2] ?? "";
  return { hostname: host === "" ? "0.0.0.0" : host, port };
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, ready, logger } = options;
  const { hostname, port } = parseListenAddress(options.address);

  const handle = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    if (req.method !== "GET" && req.method !== "HEAD") return new Response("method not allowed\n", { status: 405, headers: { Allow: "GET, HEAD" } });
    switch (path) {
      case "/metrics":
        try {
          return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType } });
        } catch (e) {
          logger?.error("metrics collection failed", { error: (e as Error).message });
          return new Response(`metrics collection failed: ${(e as Error).message}\n`, { status: 500 });
        }
      case "/healthz":
        return new Response("ok\n");
      case "/readyz":
        return ready() ? new Response("ready\n") : new Response("not ready\n", { status: 503 });
      default:
        return new Response("not found: try /metrics, /healthz or /readyz\n", { status: 404 });
    }
  };

  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ hostname, port, fetch: handle });
  } catch (e) {
    throw new IndusError("listen_failed", `cannot serve metrics on ${options.address}: ${(e as Error).message}`, {
      hint: "choose another --metrics-addr (port 0 picks a free one)",
    });
  }
  const bound = server.port ?? port;
  logger?.info("metrics server listening", { addr: `${hostname}:${bound}` });
  return {
    port: bound,
    stop: async () => {
      await server.stop(true);
    },
  };
}
