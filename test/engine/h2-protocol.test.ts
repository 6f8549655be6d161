// HTTP/2 specifics against node:http2 servers that misbehave on purpose: GOAWAY, RST_STREAM, refused streams,
// a lowered stream limit, flow-control stalls, shared connections, ALPN.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { constants, createSecureServer, createServer, type Http2SecureServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { createH2Engine, createSocketEngine, type Engine, type HttpClient } from "../../src/engine/index.ts";
import { req, send } from "./helpers.ts";
import { makeSelfSignedCert } from "./tls-cert.ts";

type Handler = (stream: ServerHttp2Stream, path: string, server: H2TestServer) => void;

interface H2TestServer {
  url(path: string): string;
  sessions: number;
  /** streams open at once, at most, since the last reset */
  maxOpen: number;
  open: number;
  requests: number;
  close(): void;
}

const toClose: (() => void)[] = [];
afterAll(() => {
  for (const close of toClose) close();
});

async function h2Server(handler: Handler, settings: { maxConcurrentStreams?: number } = {}, tls?: { cert: string; key: string }): Promise<H2TestServer> {
  const server: Http2Server | Http2SecureServer = tls ? createSecureServer({ ...tls, settings }) : createServer({ settings });
  const state: H2TestServer = {
    url: (path) => `${tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    sessions: 0,
    maxOpen: 0,
    open: 0,
    requests: 0,
    close: () => server.close(),
  };
  server.on("session", (session) => {
    state.sessions++;
    session.on("error", () => {});
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    state.requests++;
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    stream.on("close", () => state.open--);
    handler(stream as ServerHttp2Stream, headers[":path"] ?? "/", state);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  toClose.push(() => server.close());
  return state;
}

const ok = (stream: ServerHttp2Stream, body = "ok") => {
  if (stream.destroyed) return;
  stream.respond({ ":status": 200, "content-length": String(body.length) });
  stream.end(body);
};

function engineOf(options: Parameters<typeof createH2Engine>[0] = {}) {
  const engine = createH2Engine({ http: "2", ...options });
  toClose.push(() => engine.close());
  return engine;
}

function clientOf(engine: Engine): HttpClient {
  const c = engine.createClient();
  toClose.push(() => c.close());
  return c;
}

describe("connections", () => {
  test("by default each VU owns one connection; its requests reuse it", async () => {
    const server = await h2Server((s) => ok(s));
    const engine = engineOf();
    const results = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const c = clientOf(engine);
        const out = [];
        for (let i = 0; i < 10; i++) out.push(await send(c, req(server.url("/"))));
        return out;
      }),
    );
    expect(results.flat().every((r) => r.status === 200 && r.error === null)).toBe(true);
    expect(results.map((rs) => rs.map((r) => r.connected))).toEqual(Array.from({ length: 5 }, () => [true, ...Array(9).fill(false)]));
    expect(server.sessions).toBe(5);
  });

  test("connections: N — VUs share N connections, streams multiplexed over them", async () => {
    const server = await h2Server((s) => setTimeout(() => ok(s), 20));
    const engine = engineOf({ connections: 2 });
    const results = await Promise.all(Array.from({ length: 12 }, () => send(clientOf(engine), req(server.url("/")))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.sessions).toBe(2);
    expect(results.filter((r) => r.connected).length).toBe(2);
    expect(server.maxOpen).toBeGreaterThan(2); // several streams at once on a connection
  });

  test("SETTINGS_MAX_CONCURRENT_STREAMS is respected; a VU waiting for a slot is measured from its intended start", async () => {
    const server = await h2Server((s) => setTimeout(() => ok(s), 100), { maxConcurrentStreams: 2 });
    const engine = engineOf({ connections: 1 });
    const warm = await send(clientOf(engine), req(server.url("/"))); // SETTINGS have arrived after this
    expect(warm.error).toBeNull();
    server.maxOpen = 0;
    const results = await Promise.all(Array.from({ length: 6 }, () => send(clientOf(engine), req(server.url("/")))));
    expect(results.every((r) => r.status === 200 && r.error === null)).toBe(true);
    expect(server.maxOpen).toBe(2);
    // three waves of two: the last pair waited ~200 ms for a slot, and that wait is in its duration
    const durations = results.map((r) => r.durationUs).sort((a, b) => a - b);
    expect(durations[5]!).toBeGreaterThanOrEqual(290_000);
  });

  test("requests that time out while waiting for a stream slot do not hold up the ones behind them", async () => {
    const server = await h2Server((s) => setTimeout(() => ok(s), 150), { maxConcurrentStreams: 1 });
    const engine = engineOf({ connections: 1 });
    expect((await send(clientOf(engine), req(server.url("/")))).error).toBeNull();
    const first = send(clientOf(engine), req(server.url("/"), { timeout: 5000 }));
    const impatient = [send(clientOf(engine), req(server.url("/"), { timeout: 50 })), send(clientOf(engine), req(server.url("/"), { timeout: 50 }))];
    const patient = send(clientOf(engine), req(server.url("/"), { timeout: 5000 }));
    expect((await Promise.all(impatient)).map((r) => r.error)).toEqual(["timeout", "timeout"]);
    expect((await first).error).toBeNull();
    const last = await patient;
    expect(last.error).toBeNull();
    expect(last.durationUs).toBeLessThan(1_000_000);
  });

  test("a server that lowers its stream limit mid-run: no more streams than the new limit", async () => {
    let lowered = false;
    const server = await h2Server((s) => {
      if (!lowered) {
        lowered = true;
        s.session?.settings({ maxConcurrentStreams: 1 });
      }
      setTimeout(() => ok(s), 30);
    }, { maxConcurrentStreams: 50 });
    const engine = engineOf({ connections: 1 });
    const c = clientOf(engine);
    expect((await send(c, req(server.url("/")))).error).toBeNull();
    server.maxOpen = 0;
    const results = await Promise.all(Array.from({ length: 5 }, () => send(clientOf(engine), req(server.url("/")))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.maxOpen).toBe(1);
  });
});

describe("GOAWAY, RST_STREAM, refused streams", () => {
  test("graceful GOAWAY mid-run: requests in flight finish, later ones go to a new connection", async () => {
    const server = await h2Server((s, path) => {
      if (path === "/bye") {
        ok(s, "bye");
        s.session?.close();
      } else ok(s);
    });
    const c = clientOf(engineOf());
    const before = await send(c, req(server.url("/")));
    const bye = await send(c, req(server.url("/bye")));
    const after = await send(c, req(server.url("/")));
    expect([before.error, bye.error, after.error]).toEqual([null, null, null]);
    expect(after.connected).toBe(true);
    expect(server.sessions).toBe(2);
  });

  test("streams beyond a GOAWAY's last stream id were never processed: sent again on a new connection", async () => {
    let first = true;
    const server = await h2Server((s) => {
      if (first) {
        first = false;
        // announce the end before answering, so streams opened meanwhile are refused
        s.session?.goaway(constants.NGHTTP2_NO_ERROR, s.id);
        setTimeout(() => ok(s), 50);
      } else ok(s);
    });
    const engine = engineOf({ connections: 1 });
    const results = await Promise.all(Array.from({ length: 4 }, () => send(clientOf(engine), req(server.url("/")))));
    expect(results.map((r) => r.error)).toEqual([null, null, null, null]);
    expect(server.sessions).toBeGreaterThanOrEqual(2);
  });

  test("GOAWAY with an error code while streams are in flight: class protocol", async () => {
    const server = await h2Server((s, path) => {
      if (path === "/boom") s.session?.goaway(constants.NGHTTP2_PROTOCOL_ERROR, 0);
      else setTimeout(() => ok(s), 200);
    });
    const engine = engineOf({ connections: 1 });
    const slow = send(clientOf(engine), req(server.url("/slow")));
    await Bun.sleep(20);
    const boom = await send(clientOf(engine), req(server.url("/boom")));
    expect(boom.error).toBe("protocol");
    expect((await slow).error).toBe("protocol");
    const next = await send(clientOf(engine), req(server.url("/")));
    expect(next.error).toBeNull();
    expect(next.connected).toBe(true);
  });

  test("RST_STREAM before the response: class reset; the connection stays in use", async () => {
    const server = await h2Server((s, path) => (path === "/rst" ? s.close(constants.NGHTTP2_INTERNAL_ERROR) : ok(s)));
    const c = clientOf(engineOf());
    expect((await send(c, req(server.url("/")))).connected).toBe(true);
    const r = await send(c, req(server.url("/rst")));
    expect(r.error).toBe("reset");
    expect(r.status).toBe(0);
    const next = await send(c, req(server.url("/")));
    expect(next.error).toBeNull();
    expect(next.connected).toBe(false);
  });

  test("RST_STREAM mid-body: class reset, not a short success", async () => {
    const server = await h2Server((s) => {
      s.respond({ ":status": 200, "content-length": "100000" });
      s.write(Buffer.alloc(1000, 97));
      setTimeout(() => s.close(constants.NGHTTP2_INTERNAL_ERROR), 20);
    });
    const r = await send(clientOf(engineOf()), req(server.url("/")));
    expect(r.error).toBe("reset");
  });

  test("refused stream (RST_STREAM REFUSED_STREAM): class reset, the next request succeeds", async () => {
    let n = 0;
    const server = await h2Server((s) => (n++ === 0 ? s.close(constants.NGHTTP2_REFUSED_STREAM) : ok(s)));
    const c = clientOf(engineOf());
    const refused = await send(c, req(server.url("/")));
    expect(refused.error).toBe("reset");
    expect((await send(c, req(server.url("/")))).error).toBeNull();
  });

  test("connection refused: class connect_refused", async () => {
    const server = await h2Server((s) => ok(s));
    const url = server.url("/");
    server.close();
    await Bun.sleep(20);
    const r = await send(clientOf(engineOf()), req(url.replace(/:\d+\//, ":1/")));
    expect(r.error).toBe("connect_refused");
  });
});

test("a name that does not resolve: class dns", async () => {
  const r = await send(clientOf(engineOf()), req("http://indus-test.invalid/"));
  expect(r.error).toBe("dns");
});

describe("flow control", () => {
  test("a body far beyond the initial 64 KiB window arrives whole (WINDOW_UPDATEs are sent)", async () => {
    const size = 3 * 1024 * 1024;
    const server = await h2Server((s) => {
      s.respond({ ":status": 200, "content-length": String(size) });
      s.end(Buffer.alloc(size, 98));
    });
    const c = clientOf(engineOf());
    for (let i = 0; i < 2; i++) {
      const r = await send(c, req(server.url("/"), { timeout: 20_000 }));
      expect(r.error).toBeNull();
      expect(r.bytesIn).toBeGreaterThan(size);
    }
  });

  test("a server that stalls mid-body: timeout, and the client goes on", async () => {
    const server = await h2Server((s, path) => {
      if (path !== "/stall") return ok(s);
      s.respond({ ":status": 200, "content-length": "1000000" });
      s.write(Buffer.alloc(70_000, 99)); // then nothing more
    });
    const c = clientOf(engineOf());
    const r = await send(c, req(server.url("/stall"), { timeout: 300 }));
    expect(r.error).toBe("timeout");
    expect(r.durationUs).toBeGreaterThanOrEqual(295_000);
    expect((await send(c, req(server.url("/")))).error).toBeNull();
  });
});

describe("TLS and ALPN", () => {
  test("http: auto — ALPN picks h2 where offered, HTTP/1.1 (the socket engine) where not", async () => {
    const cert = await makeSelfSignedCert();
    toClose.push(() => rmSync(cert.dir, { recursive: true, force: true }));
    const h2 = await h2Server((s) => ok(s, "h2"), {}, cert);
    const h1 = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert: cert.cert, key: cert.key }, fetch: () => new Response("h1") });
    toClose.push(() => void h1.stop(true));
    const tls = { rejectUnauthorized: false };
    const engine = engineOf({ http: "auto", tls, fallback: createSocketEngine({ tls }) });
    const c = clientOf(engine);
    const viaH2 = await send(c, req(h2.url("/")));
    expect(viaH2.error).toBeNull();
    expect(h2.requests).toBe(1);
    const viaH1 = await send(c, { ...req(`https://127.0.0.1:${h1.port}/`), capture: true });
    expect(viaH1.error).toBeNull();
    expect(viaH1.response?.text()).toBe("h1");
  });

  test("h2 over TLS with the server's certificate as CA and server_name: verified, no insecure flag", async () => {
    const cert = await makeSelfSignedCert();
    toClose.push(() => rmSync(cert.dir, { recursive: true, force: true }));
    const server = await h2Server((s) => ok(s), {}, cert);
    const good = engineOf({ tls: { rejectUnauthorized: true, ca: cert.cert, serverName: "localhost" } });
    expect((await send(clientOf(good), req(server.url("/")))).error).toBeNull();
    const noName = engineOf({ tls: { rejectUnauthorized: true, ca: cert.cert } });
    const r = await send(clientOf(noName), req(server.url("/")));
    expect(r.error).toBe("tls");
    expect(r.errorDetail).toBe("name mismatch");
  });
});
