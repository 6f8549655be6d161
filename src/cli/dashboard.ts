// --dashboard / --ui-addr: starts the live dashboard beside a local run or a controller, with the gRPC listen rules.
import type { RunSink } from "../controller/service.ts";
import { IndusError } from "../core/errors.ts";
import { parseListenAddress } from "../observability/metrics-server.ts";
import type { Logger } from "../observability/logger.ts";
import type { Dashboard, DashboardBackend } from "../report/live/index.ts";
import { assertSafeListen } from "../transport/grpc/index.ts";
import type { CliIo } from "./io.ts";

export const DEFAULT_DASHBOARD_ADDR = "127.0.0.1:5665";

export const runDashboardFlags = {
  dashboard: { type: "boolean", description: `Serve a live web dashboard of the run (--dashboard=ADDR; default ${DEFAULT_DASHBOARD_ADDR})`, default: false },
  open: { type: "boolean", description: "With --dashboard: open it in a browser, where one exists", default: false },
  "ui-readonly": { type: "boolean", description: "Dashboard without the Stop and Abort buttons", default: false },
} as const;

export const controllerUiFlags = {
  "ui-addr": { type: "string", description: "Live web dashboard listen address, e.g. 127.0.0.1:5665 (default: none)" },
  "ui-readonly": { type: "boolean", description: "Dashboard without the Stop and Abort buttons", default: false },
} as const;

/** The address `--dashboard` or `--dashboard=ADDR` asks for (citty reads both as a boolean), or undefined. */
export function dashboardAddress(rawArgs: string[], args: Record<string, unknown>): string | undefined {
  const given = rawArgs.find((a) => a === "--dashboard" || a.startsWith("--dashboard="));
  if (!given) return args.dashboard === true ? DEFAULT_DASHBOARD_ADDR : undefined;
  const value = given.slice("--dashboard=".length);
  return given === "--dashboard" || value === "" ? DEFAULT_DASHBOARD_ADDR : value;
}

export interface DashboardStart {
  flag: string;
  address: string;
  mode: "local" | "controller";
  token: string | undefined;
  tls: { cert: string; key: string } | undefined;
  insecure: boolean;
  readonly: boolean;
  backend: DashboardBackend;
  logger: Logger;
  generator: string;
}

/** Loaded only when asked for: the page's script is bundled when its module is first transpiled. */
export async function openDashboard(s: DashboardStart): Promise<Dashboard> {
  let listen: { hostname: string; port: number };
  try {
    listen = parseListenAddress(s.address);
  } catch {
    throw new IndusError("bad_flag", `${s.flag}=${s.address}: not host:port`, { hint: `e.g. ${s.flag}=${DEFAULT_DASHBOARD_ADDR} (loopback) or ${s.flag}=:5665 (every interface, needs --token or TLS)` });
  }
  // the same rule as gRPC: away from loopback, a token or TLS, or --insecure said out loud
  assertSafeListen({ address: s.address, token: s.token, tls: s.tls, insecure: s.insecure });
  const { startDashboard } = await import("../report/live/index.ts");
  try {
    return startDashboard({ ...listen, mode: s.mode, token: s.token, tls: s.tls, readonly: s.readonly, backend: s.backend, logger: s.logger, generator: s.generator });
  } catch (e) {
    throw new IndusError("listen_failed", `${s.flag}: cannot listen on ${s.address}: ${(e as Error).message}`, { hint: "pick another port, e.g. --dashboard=127.0.0.1:0 for any free one" });
  }
}

/** The dashboard as a run sink (combineSinks) plus its update listener. */
export function dashboardSink(d: Dashboard): { sink: RunSink; onUpdate: (runId: string, update: Parameters<Dashboard["update"]>[1]) => void } {
  return {
    sink: {
      begin: (run) => d.begin(run),
      second: (runId, entry, merged) => d.second(runId, entry, merged),
      finish: (result) => d.finish(result),
    },
    onUpdate: (runId, update) => d.update(runId, update),
  };
}

/** --open: the platform's opener, when there is one; a missing one is not an error. */
export function openBrowser(io: CliIo, url: string): void {
  const opener = process.platform === "darwin" ? ["open"] : process.platform === "win32" ? ["cmd", "/c", "start", ""] : ["xdg-open"];
  if (process.platform !== "darwin" && process.platform !== "win32" && !io.env.DISPLAY && !io.env.WAYLAND_DISPLAY) {
    io.stderr.write(`--open: no display here; open ${url} yourself\n`);
    return;
  }
  try {
    const child = Bun.spawn([...opener, url], { stdout: "ignore", stderr: "ignore" });
    child.unref();
  } catch {
    io.stderr.write(`--open: no browser opener found; open ${url} yourself\n`);
  }
}
