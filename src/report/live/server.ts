// The dashboard's HTTP server: pages, one SSE stream per run fed once a second, report downloads, and the guarded Stop/Abort.
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { renderHtmlReport } from "../html/index.ts";
import { reportTitle } from "../html/report.tsx";
import { renderJsonReport } from "../json/index.ts";
import { renderJunitReport } from "../junit/index.ts";
import type { ReportInput } from "../model.ts";
import { dashboardScript } from "./client/bundle.ts" with { type: "macro" };
import { createFanout, sseFrame, type Fanout } from "./fanout.ts";
import { admit, allowAction, isLoopbackHost } from "./guard.ts";
import { createLiveRun, type LiveBegin, type LiveResult, type LiveRun, type LiveUpdate, type MergedSoFar, type TimelineEntry } from "./live-run.ts";
import { CSP, HomeBody, HomePage, RunBody, RunPage, type AgentRow, type RunRow } from "./pages.tsx";

// baked in when the binary (or `bun run`) transpiles this file
const SCRIPT = dashboardScript();

export type DashboardAction = "stop" | "abort";

/** Who asked, for the log line every action writes. */
export interface Requester {
  address: string;
  userAgent: string;
}

export interface DashboardBackend {
  /** ends a run early; false when there is no such run going */
  act(action: DashboardAction, runId: string, who: Requester): boolean;
  /** a run that is not in memory (the controller's store) */
  stored?(id: string): ReportInput | undefined;
  /** the controller's runs, newest first */
  runs?(): RunRow[];
  agents?(): Promise<AgentRow[]>;
}

export interface DashboardOptions {
  hostname: string;
  port: number;
  /** "local": one run, Stop only; "controller": every run, Stop and Abort, a home page */
  mode: "local" | "controller";
  token: string | undefined;
  /** HTTPS with this certificate; with a CA, only browsers and clients holding a certificate it signed get in */
  tls: { cert: string; key: string; ca?: string | undefined } | undefined;
  /** no Stop or Abort: the buttons are not drawn and the POSTs are refused */
  readonly: boolean;
  backend: DashboardBackend;
  logger: { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void };
  generator?: string;
  /** runs kept in memory after they end (default 20) */
  keepRuns?: number;
}

interface Watched {
  run: LiveRun;
  fanout: Fanout;
  /** the frame of the last second, rendered once for every watcher */
  frame: Uint8Array | undefined;
}

export interface Dashboard {
  /** the address to open, e.g. http://127.0.0.1:5665/ */
  readonly url: string;
  readonly port: number;
  /** what the run sink and the update listener feed (combineSinks / onUpdate) */
  begin(run: LiveBegin): void;
  second(runId: string, entry: TimelineEntry, merged?: MergedSoFar): void;
  update(runId: string, update: LiveUpdate): void;
  finish(result: LiveResult & { runId: string }): void;
  watchers(runId: string): number;
  /** gives watchers up to `graceMs` to take the last frame, then closes */
  stop(graceMs?: number): Promise<void>;
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
};

export function startDashboard(o: DashboardOptions): Dashboard {
  const runs = new Map<string, Watched>();
  const order: string[] = [];
  const generator = o.generator ?? "indus";
  const loopback = isLoopbackHost(o.hostname);
  // away from loopback, acting needs the token: without one the page is read-only
  const canAct = !o.readonly && (loopback || o.token !== undefined);
  const controls = { stop: canAct, abort: canAct && o.mode === "controller" };
  const guard = { loopback, token: o.token, tls: o.tls !== undefined };

  const render = (w: Watched) => {
    const view = w.run.view();
    const html = renderToString(h(RunBody, { view }));
    return sseFrame("update", { html, live: view.live !== undefined, title: reportTitle(view.input, view.live !== undefined) });
  };

  const respond = (body: string | ReadableStream<Uint8Array>, type: string, status = 200, extra: Record<string, string> = {}) =>
    new Response(body, { status, headers: { "Content-Type": type, ...SECURITY_HEADERS, ...extra } });
  const text = (status: number, message: string) => respond(message + "\n", "text/plain; charset=utf-8", status);
  const html = (s: string) => respond("<!doctype html>\n" + s, "text/html; charset=utf-8", 200, { "Content-Security-Policy": `${CSP}; frame-ancestors 'none'` });

  const reportInputOf = (id: string): ReportInput | undefined => {
    const w = runs.get(id);
    if (w?.run.done) return w.run.view().input;
    return o.backend.stored?.(id);
  };

  async function handle(req: Request, server: Bun.Server<unknown>): Promise<Response> {
    const url = new URL(req.url);
    const admitted = admit(req, url, guard);
    if (!admitted.ok) return text(admitted.status, admitted.message);
    if (admitted.redirect) return new Response(null, { status: 303, headers: { Location: admitted.redirect, "Set-Cookie": admitted.setCookie ?? "", ...SECURITY_HEADERS } });
    const path = url.pathname;
    if (path === "/app.js") return respond(SCRIPT, "text/javascript; charset=utf-8");
    if (path === "/favicon.ico") return new Response(null, { status: 204 });

    const m = /^\/runs\/([A-Za-z0-9_-]{1,64})(\/[a-z.]+)?$/.exec(path);
    if (req.method === "POST") {
      const action = m?.[2]?.slice(1);
      if (!m || (action !== "stop" && action !== "abort")) return text(404, "no such action");
      if (!controls[action]) return text(403, `${action} is not allowed here${o.readonly ? " (--ui-readonly)" : ""}`);
      const allowed = allowAction(req, url, action);
      if (!allowed.ok) {
        o.logger.warn("dashboard action refused", { action, run_id: m[1], remote: server.requestIP(req)?.address, reason: allowed.message });
        return text(allowed.status, allowed.message);
      }
      const who = { address: server.requestIP(req)?.address ?? "unknown", userAgent: req.headers.get("user-agent") ?? "" };
      o.logger.warn(`dashboard ${action} requested`, { action, run_id: m[1], remote: who.address, user_agent: who.userAgent });
      return o.backend.act(action, m[1]!, who) ? text(202, `${action} requested`) : text(409, `run ${m[1]} is not running`);
    }
    if (req.method !== "GET" && req.method !== "HEAD") return text(405, "method not allowed");

    if (path === "/") {
      if (o.mode === "local") {
        const last = order.at(-1);
        return last ? new Response(null, { status: 302, headers: { Location: `/runs/${last}`, ...SECURITY_HEADERS } }) : text(503, "the run has not started yet");
      }
      const rows = homeRuns();
      const agents = (await o.backend.agents?.().catch(() => [])) ?? [];
      if (url.searchParams.get("fragment") === "1") return respond(renderToString(h(HomeBody, { runs: rows, agents })), "text/html; charset=utf-8");
      return html(renderToString(h(HomePage, { runs: rows, agents, generator })));
    }
    if (!m) return text(404, "not found");
    const id = m[1]!;
    const sub = m[2];
    const watched = runs.get(id);
    if (sub === undefined) {
      if (watched) return html(renderToString(h(RunPage, { view: watched.run.view(), controls, generator, home: o.mode === "controller" })));
      const stored = o.backend.stored?.(id);
      if (!stored) return text(404, `no run ${id}`);
      return respond(renderHtmlReport(stored, undefined, { generator }), "text/html; charset=utf-8");
    }
    if (sub === "/events") {
      if (!watched) return text(404, `no live run ${id}`);
      const first = render(watched);
      return respond(watched.fanout.subscribe(first), "text/event-stream", 200, { Connection: "keep-alive", "X-Accel-Buffering": "no" });
    }
    const input = sub === "/report.html" || sub === "/report.json" || sub === "/junit.xml" ? reportInputOf(id) : undefined;
    if (!input) return text(404, watched ? `run ${id} has not ended: its report comes when it does` : `no run ${id}`);
    const download = { "Content-Disposition": `attachment; filename="indus-${id}${sub === "/junit.xml" ? "-junit.xml" : sub.slice(7)}"` };
    if (sub === "/report.html") return respond(renderHtmlReport(input, undefined, { generator }), "text/html; charset=utf-8", 200, download);
    if (sub === "/report.json") return respond(renderJsonReport(input), "application/json", 200, download);
    return respond(renderJunitReport(input), "application/xml", 200, download);
  }

  function homeRuns(): RunRow[] {
    const stored = o.backend.runs?.() ?? [];
    const inMemory = order
      .map((id) => runs.get(id)!.run.view().input)
      .filter((i) => !stored.some((s) => s.id === i.runId))
      .map((i): RunRow => ({ id: i.runId, planName: i.planName, state: i.state, passed: i.state === "running" ? undefined : i.passed, startedAt: i.startedAt, durationMs: i.durationMs }));
    return [...inMemory.reverse(), ...stored];
  }

  const server = Bun.serve({
    hostname: o.hostname,
    port: o.port,
    // SSE streams stay open: Bun's idle timeout would cut a watcher between two seconds
    idleTimeout: 0,
    // --tls-ca on the controller means mutual TLS for gRPC: the page asks for a client certificate just as strictly
    ...(o.tls ? { tls: { cert: o.tls.cert, key: o.tls.key, ...(o.tls.ca ? { ca: o.tls.ca, requestCert: true, rejectUnauthorized: true } : {}) } } : {}),
    fetch: (req, srv) => handle(req, srv),
    error: (e) => text(500, `dashboard error: ${e.message}`),
  });
  const shownHost = o.hostname.includes(":") ? `[${o.hostname}]` : o.hostname === "0.0.0.0" ? "127.0.0.1" : o.hostname;
  const url = `${o.tls ? "https" : "http"}://${shownHost}:${server.port}/`;

  return {
    url,
    port: server.port ?? o.port,
    begin(run) {
      runs.set(run.id, { run: createLiveRun(run), fanout: createFanout({ onDrop: (n) => o.logger.info("dashboard watcher dropped: too slow", { run_id: run.id, skipped: n }) }), frame: undefined });
      order.push(run.id);
      while (order.length > (o.keepRuns ?? 20)) {
        const old = runs.get(order[0]!);
        if (old && !old.run.done) break;
        old?.fanout.close();
        runs.delete(order.shift()!);
      }
    },
    second(runId, entry, merged) {
      runs.get(runId)?.run.second(entry, merged);
    },
    update(runId, u) {
      const w = runs.get(runId);
      if (!w) return;
      w.run.update(u);
      // rendered once a second whatever the number of watchers, and only when someone watches
      if (w.fanout.watchers > 0) w.fanout.publish(render(w));
    },
    finish(result) {
      const w = runs.get(result.runId);
      if (!w) return;
      w.run.finish(result);
      w.fanout.close(render(w));
    },
    watchers: (runId) => runs.get(runId)?.fanout.watchers ?? 0,
    async stop(graceMs = 0) {
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && [...runs.values()].some((w) => w.fanout.watchers > 0)) await Bun.sleep(50);
      for (const w of runs.values()) w.fanout.close();
      await server.stop(true);
    },
  };
}
