// The mock target: a small JSON API on Bun.serve with configurable latency and injected 500s, for examples and tests.
import { parseDuration } from "../core/duration.ts";
import { buildBodies, orderCreatedBody } from "./bodies.ts";
import { createLoginEndpoints } from "./login.ts";
import { itemsPage, signedRequest } from "./scripted.ts";
import { createRequestCounts, type MockStats } from "./counts.ts";
import { resolveMockOptions, type MockOptions } from "./options.ts";
import { createLatencySampler, createRandom } from "./random.ts";

export interface MockServer {
  readonly port: number;
  readonly hostname: string;
  /** base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** Stops listening and closes every connection; resolves when the port is free. */
  stop(): Promise<void>;
  /** Holds every answer (those in progress and those that arrive) until ms from now: a server that freezes. */
  stall(ms: number): void;
  stats(): MockStats;
}

type Server = Bun.Server<undefined>;
type Handler = (req: Request, server: Server) => Response | Promise<Response>;

const JSON_HEADERS = { "content-type": "application/json" } as const;
/** /api/reports/summary is the slow endpoint. */
const SUMMARY_LATENCY_FACTOR = 3;
const STATS_PATH = "/__stats";
const STALL_PATH = "/__stall";

/** The endpoints the examples use, by path and method; anything else is 404 (405 for a known path). */
export const MOCK_ENDPOINTS = {
  "/healthz": "GET",
  "/api/users": "GET",
  "/api/orders": "POST",
  "/api/checkout": "POST",
  "/api/reports/summary": "GET",
  "/api/login": "POST",
  "/api/me": "GET",
  "/api/redirect": "GET",
  "/api/items": "GET",
  "/api/signed": "POST",
} as const;

export function createMockServer(options: MockOptions = {}): MockServer {
  const o = resolveMockOptions(options);
  const bodies = buildBodies();
  const counts = createRequestCounts();
  // Separate streams, so the error pattern for a seed does not change with the latency settings.
  const errorDraw = createRandom(o.seed);
  const sampleLatency = createLatencySampler(o.latency, o.jitter, createRandom(o.seed ^ 0x5bd1e995));
  const zeroLatency = o.latency === 0 && o.jitter === 0;
  let nextOrderId = 1;
  const login = createLoginEndpoints();
  /** performance.now() until which every answer waits (POST /__stall) */
  let stalledUntil = 0;

  const json = (body: string, status = 200) => new Response(body, { status, headers: JSON_HEADERS });

  /** Wraps an endpoint with counting, injected errors and latency. */
  const endpoint =
    (path: string, answer: (req: Request) => Response | Promise<Response>, opts: { latencyFactor: number; canFail: boolean }): Handler =>
    (req, server) => {
      counts.record(path, server.requestIP(req));
      const failed = opts.canFail && o.errorRate > 0 && errorDraw() < o.errorRate;
      const response = failed ? json(bodies.serverError, 500) : answer(req);
      const stallMs = stalledUntil - performance.now();
      if ((zeroLatency || opts.latencyFactor === 0) && stallMs <= 0) return response;
      const delayMs = Math.max(0, stallMs) + (zeroLatency ? 0 : sampleLatency() * opts.latencyFactor);
      return delayMs > 0 ? delayed(response, delayMs, () => stalledUntil) : response;
    };

  const routes: Record<string, Record<string, Handler>> = {
    "/healthz": { GET: endpoint("/healthz", () => json(bodies.health), { latencyFactor: 0, canFail: false }) },
    "/api/users": { GET: endpoint("/api/users", () => json(bodies.users), { latencyFactor: 1, canFail: true }) },
    "/api/orders": {
      POST: endpoint(
        "/api/orders",
        async (req) => json(orderCreatedBody(nextOrderId++, await req.text()), 201),
        { latencyFactor: 1, canFail: true },
      ),
    },
    "/api/checkout": { POST: endpoint("/api/checkout", () => json(bodies.checkout), { latencyFactor: 1, canFail: true }) },
    "/api/reports/summary": {
      GET: endpoint("/api/reports/summary", () => json(bodies.summary), {
        latencyFactor: SUMMARY_LATENCY_FACTOR,
        canFail: true,
      }),
    },
    "/api/login": { POST: endpoint("/api/login", (req) => login.login(req), { latencyFactor: 1, canFail: true }) },
    "/api/me": { GET: endpoint("/api/me", (req) => login.me(req), { latencyFactor: 1, canFail: true }) },
    "/api/redirect": { GET: endpoint("/api/redirect", (req) => login.redirect(req), { latencyFactor: 0, canFail: false }) },
    "/api/items": { GET: endpoint("/api/items", itemsPage, { latencyFactor: 1, canFail: true }) },
    "/api/signed": { POST: endpoint("/api/signed", (req) => signedRequest(req), { latencyFactor: 1, canFail: true }) },
    [STATS_PATH]: { GET: () => json(JSON.stringify(counts.snapshot())) },
    // POST /__stall?for=2s (or ms): every answer waits until then
    [STALL_PATH]: {
      POST: (req) => {
        const text = new URL(req.url).searchParams.get("for") ?? "";
        const ms = /^\d+$/.test(text) ? Number(text) : parseDuration(text);
        if (ms === undefined) return json(JSON.stringify({ error: "for= must be ms or a duration such as 2s" }), 400);
        stalledUntil = performance.now() + ms;
        return json(JSON.stringify({ stalled_ms: ms }));
      },
    },
  };

  const slowestMs = SUMMARY_LATENCY_FACTOR * (o.latency + 4 * o.jitter);
  const server: Server = Bun.serve({
    port: o.port,
    hostname: o.hostname,
    development: false,
    // Bun 1.4 turns SO_REUSEPORT on with development: false unless told otherwise; a taken port must be an error.
    reusePort: false,
    // Bun's default idle timeout (10 s) would also cut a slow response short.
    idleTimeout: Math.min(255, Math.max(10, Math.ceil(slowestMs / 1000) + 10)),
    routes,
    fetch(req, srv) {
      const path = new URL(req.url).pathname;
      counts.record(path, srv.requestIP(req));
      const allowed = MOCK_ENDPOINTS[path as keyof typeof MOCK_ENDPOINTS];
      if (allowed !== undefined)
        return new Response(JSON.stringify({ error: `method ${req.method} not allowed` }), {
          status: 405,
          headers: { ...JSON_HEADERS, allow: allowed },
        });
      return json(bodies.notFound, 404);
    },
    error: () => json(bodies.serverError, 500),
  });

  const port = server.port ?? o.port;
  return {
    port,
    hostname: o.hostname,
    url: `http://${urlHost(o.hostname)}:${port}`,
    stop: () => server.stop(true),
    stall: (ms) => {
      stalledUntil = performance.now() + ms;
    },
    stats: () => counts.snapshot(),
  };
}

/** The startup lines, as the reference mock prints them. */
export function describeMockServer(server: Pick<MockServer, "port" | "hostname">): string {
  const local = isLoopbackOrAny(server.hostname);
  const listen = local ? `:${server.port}` : `${urlHost(server.hostname)}:${server.port}`;
  const curlHost = local ? "localhost" : urlHost(server.hostname);
  return `🚀 Mock server starting on ${listen}\nTest with: curl http://${curlHost}:${server.port}/healthz`;
}

/** Answers after ms, and not before the end of a stall that began meanwhile. */
async function delayed(response: Response | Promise<Response>, ms: number, stalledUntil: () => number): Promise<Response> {
  await Bun.sleep(ms);
  for (let wait = stalledUntil() - performance.now(); wait > 0; wait = stalledUntil() - performance.now()) await Bun.sleep(wait);
  return response;
}

function isLoopbackOrAny(hostname: string): boolean {
  return ["127.0.0.1", "localhost", "::1", "0.0.0.0", "::", ""].includes(hostname);
}

/** A hostname as it appears in a URL: wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
