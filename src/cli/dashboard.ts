// --dashboard / --ui-addr: starts the live dashboard beside a local run or a controller, with the gRPC listen rules.
import { combineSinks, type ActiveRun, type ControllerService, type RunSink } from "../controller/service.ts";
import { reportInputFromStored } from "../report/model.ts";
import type { RunStore } from "../store/index.ts";
import type { AgentRow } from "../report/live/index.ts";
import { IndusError } from "../core/errors.ts";
import type { Logger } from "../observability/logger.ts";
import type { Dashboard, DashboardBackend } from "../report/live/index.ts";
import type { CliIo } from "./io.ts";
import { loggerFromFlags } from "./logging.ts";
import { securityFromFlags } from "./security-flags.ts";
import { versionInfo } from "./version.ts";

export const DEFAULT_DASHBOARD_ADDR = "127.0.0.1:5665";

export const runDashboardFlags = {
  dashboard: { type: "boolean", description: `Serve a live web dashboard of the run (--dashboard=ADDR; default ${DEFAULT_DASHBOARD_ADDR})`, default: false },
  open: { type: "boolean", description: "With --dashboard: open it in a browser, where one exists", default: false },
  "ui-readonly": { type: "boolean", description: "Dashboard without the Stop and Abort buttons", default: false },
  insecure: { type: "boolean", description: "With --dashboard away from loopback: serve it without --token, read-only (no Stop)", default: false },
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
  tls: { cert: string; key: string; ca?: string | undefined } | undefined;
  insecure: boolean;
  readonly: boolean;
  backend: DashboardBackend;
  logger: Logger;
  generator: string;
}

/** Loaded only when asked for: the page's script is bundled when its module is first transpiled. */
export async function openDashboard(s: DashboardStart): Promise<Dashboard> {
  // loaded here, not at the top: prom-client and grpc-js cost a local run without a dashboard ~30 ms of start-up CPU
  const { parseListenAddress } = await import("../observability/metrics-server.ts");
  const { assertSafeListen } = await import("../transport/grpc/index.ts");
  // a local run's dashboard has no TLS of its own
  const safeWith = s.mode === "local" ? "--token" : "--token or TLS";
  let listen: { hostname: string; port: number };
  try {
    listen = parseListenAddress(s.address);
  } catch {
    throw new IndusError("bad_flag", `${s.flag}=${s.address}: not host:port`, { hint: `e.g. ${s.flag}=${DEFAULT_DASHBOARD_ADDR} (loopback) or ${s.flag}=:5665 (every interface, needs ${safeWith})` });
  }
  // the same rule as gRPC: away from loopback, a token or TLS, or --insecure said out loud (the page is read-only then)
  assertSafeListen({
    address: s.address,
    token: s.token,
    tls: s.tls,
    insecure: s.insecure,
    safeWith,
    hint: "set --token (or INDUS_TOKEN) and open the page once with ?token=, or listen on 127.0.0.1; --insecure serves it to anyone, read-only",
  });
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

/** `indus run --dashboard`: the dashboard of the one local run, its sink and listener, and its Stop bound to the run. */
export interface LocalDashboard {
  /** the run store's sink (if any) with the dashboard's beside it */
  sink(store: RunSink | undefined): RunSink;
  onUpdate: (runId: string, update: Parameters<Dashboard["update"]>[1]) => void;
  /** Stop stops this run, gracefully */
  watch(run: ActiveRun): void;
  /** gives watchers two seconds to take the last frame (the page then is the report), then closes */
  stop(): Promise<void>;
}

export async function startLocalDashboard(io: CliIo, args: Record<string, unknown>, rawArgs: string[]): Promise<LocalDashboard | undefined> {
  const address = dashboardAddress(rawArgs, args);
  if (address === undefined) return undefined;
  let run: ActiveRun | undefined;
  const dashboard = await openDashboard({
    flag: "--dashboard",
    address,
    mode: "local",
    token: securityFromFlags(io, args).token,
    tls: undefined,
    insecure: Boolean(args.insecure),
    readonly: Boolean(args["ui-readonly"]),
    // actions are logged whatever the run's own log level
    logger: loggerFromFlags(io, args, "info").child({ component: "dashboard" }),
    generator: `indus ${versionInfo().version}`,
    backend: {
      act(_action, _id, who) {
        if (!run || run.result) return false;
        run.handle.stop(`stopped from the dashboard by ${who.address}`);
        return true;
      },
    },
  });
  io.stderr.write(`Dashboard: ${dashboard.url}\n`);
  if (args.open) openBrowser(io, dashboard.url);
  const live = dashboardSink(dashboard);
  return {
    sink: (store) => combineSinks(store, live.sink),
    onUpdate: live.onUpdate,
    watch: (r) => void (run = r),
    stop: () => dashboard.stop(2000),
  };
}

/** `indus controller --ui-addr`: every run of the service, the stored ones, the agents; Stop and Abort. */
export interface ControllerDashboard {
  sink: RunSink;
  onUpdate: (runId: string, update: Parameters<Dashboard["update"]>[1]) => void;
  /** the service whose runs Stop and Abort act on (it is made after its sinks) */
  watch(service: ControllerService): void;
  stop(): Promise<void>;
}

export async function startControllerDashboard(
  args: Record<string, unknown>,
  deps: { security: { token: string | undefined }; tls: { cert: string; key: string; ca?: string } | undefined; logger: Logger; store: RunStore | undefined; agents: () => Promise<AgentRow[]> },
): Promise<ControllerDashboard | undefined> {
  if (!args["ui-addr"]) return undefined;
  let service: ControllerService | undefined;
  const { store } = deps;
  const dashboard = await openDashboard({
    flag: "--ui-addr",
    address: String(args["ui-addr"]),
    mode: "controller",
    token: deps.security.token,
    tls: deps.tls && { cert: deps.tls.cert, key: deps.tls.key, ca: deps.tls.ca },
    insecure: Boolean(args.insecure),
    readonly: Boolean(args["ui-readonly"]),
    logger: deps.logger.child({ component: "dashboard" }),
    generator: `indus ${versionInfo().version}`,
    backend: {
      act(action, id, who) {
        const run = service?.run(id);
        if (!run || run.result) return false;
        // Stop lets requests in flight finish; Abort cancels them
        if (action === "stop") run.handle.stop(`stopped from the dashboard by ${who.address}`);
        else run.handle.abort(`aborted from the dashboard by ${who.address}`);
        return true;
      },
      stored(id) {
        const run = store?.getRun(id);
        return run && reportInputFromStored(run);
      },
      runs: () => store?.listRuns({ limit: 50 }) ?? [],
      agents: deps.agents,
    },
  });
  deps.logger.info("controller dashboard listening", { url: dashboard.url, readonly: Boolean(args["ui-readonly"]) });
  const live = dashboardSink(dashboard);
  return { ...live, watch: (s) => void (service = s), stop: () => dashboard.stop() };
}
