// The engine test suite every engine passes against every target that can serve the case.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEngine, type Engine, type EngineOptions, type HttpClient, type RequestResult } from "../../src/engine/index.ts";
import { req, send } from "./helpers.ts";
import { registerRawCases } from "./raw.cases.ts";
import { FILE_SIZES } from "./routes.ts";

/** The engine under test. */
export interface EngineSubject {
  readonly name: string;
  create(options?: EngineOptions): Engine;
  /** One connection per client, reported by `connected`, and exact byte counts (the socket engine). */
  readonly exact: boolean;
}

export const socketSubject: EngineSubject = { name: "socket", create: (o) => createEngine("socket", o), exact: true };
/** Bun's fetch pools connections per process and does not say when it opened one. */
export const fetchSubject: EngineSubject = { name: "fetch", create: (o) => createEngine("fetch", o), exact: false };

/**
 * What a target can serve. Routes: /hello, /files/{small,medium,large}.bin (304 with If-Modified-Since),
 * /chunked (with Accept-Encoding: gzip), /status/204, /status/503, /missing (404), POST /echo,
 * /slow?ms=N, /close (Connection: close), /idle (idle keep-alive closed after idleCloseMs).
 * "raw": the cases that run their own raw TCP servers, and those needing no server at all.
 */
export type Feature =
  | "files"
  | "chunked"
  | "head"
  | "status"
  | "not-modified"
  | "echo"
  | "slow"
  | "conn-close"
  | "idle-close"
  | "https"
  | "raw";

export interface EngineTarget {
  readonly name: string;
  readonly features: ReadonlySet<Feature>;
  /** For "idle-close": how long the server keeps an idle keep-alive connection. */
  readonly idleCloseMs: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  url(path: string): string;
  httpsUrl(path: string): string;
  /** Connections the target has accepted so far (its own bookkeeping connections excluded). */
  connections(): Promise<number>;
}

/** Registers the cases `target` can serve; the others are left out rather than shown as skipped. */
export function registerEngineCases(subject: EngineSubject, target: EngineTarget): void {
  const has = (f: Feature) => target.features.has(f);
  const testIf = (f: Feature) => (has(f) ? test : leaveOut);
  const engine = subject.create();
  const clients: HttpClient[] = [];
  const client = (e: Engine = engine) => {
    const c = e.createClient();
    clients.push(c);
    return c;
  };

  describe(`${subject.name} engine against ${target.name}`, () => {
    beforeAll(() => target.start());
    afterAll(async () => {
      for (const c of clients) c.close();
      await target.stop();
    });

    /** A follow-up request on the same client succeeds without a new connection: the previous response was framed exactly. */
    async function expectSameConnection(c: HttpClient): Promise<void> {
      const next = await send(c, req(target.url("/hello")));
      expect(next.error).toBeNull();
      expect(next.status).toBe(200);
      if (subject.exact) expect(next.connected).toBe(false);
    }

    test("keep-alive: N clients x M requests open N connections", async () => {
      const n = 6;
      const m = 20;
      const before = await target.connections();
      const request = req(target.url("/hello"));
      const results = await Promise.all(
        Array.from({ length: n }, async () => {
          const c = client();
          const out: RequestResult[] = [];
          for (let i = 0; i < m; i++) out.push(await send(c, request));
          return out;
        }),
      );
      const flat = results.flat();
      expect(flat.every((r) => r.status === 200 && r.error === null)).toBe(true);
      const opened = (await target.connections()) - before;
      if (subject.exact) {
        expect(opened).toBe(n);
        expect(flat.filter((r) => r.connected).length).toBe(n);
        expect(flat.every((r) => r.bytesOut > 0 && r.bytesIn > 0 && r.durationUs > 0)).toBe(true);
      } else {
        expect(opened).toBeGreaterThanOrEqual(1);
        expect(opened).toBeLessThanOrEqual(n);
      }
    });

    testIf("files")("Content-Length bodies of several sizes, on one connection", async () => {
      const c = client();
      for (const name of ["small.bin", "medium.bin", "small.bin", "medium.bin"] as const) {
        const r = await send(c, req(target.url(`/files/${name}`)));
        expect(r.error).toBeNull();
        expect(r.status).toBe(200);
        expect(r.bytesIn).toBeGreaterThan(FILE_SIZES[name]);
        expect(r.bytesIn).toBeLessThan(FILE_SIZES[name] + 1024);
      }
      await expectSameConnection(c);
    });

    testIf("files")("5 MiB body", async () => {
      const c = client();
      const size = FILE_SIZES["large.bin"];
      for (let i = 0; i < 2; i++) {
        const r = await send(c, req(target.url("/files/large.bin"), { timeout: 20_000 }));
        expect(r.error).toBeNull();
        expect(r.bytesIn).toBeGreaterThan(size);
        // HTTP/2 frames a body: 9 bytes per 16 KiB DATA frame
        expect(r.bytesIn).toBeLessThan(size + 1024 + Math.ceil(size / 16_384) * 9);
      }
      await expectSameConnection(c);
    });

    testIf("chunked")("chunked bodies", async () => {
      const c = client();
      const request = req(target.url("/chunked"), { headers: { "Accept-Encoding": "gzip" } });
      for (let i = 0; i < 3; i++) {
        const r = await send(c, request);
        expect(r.error).toBeNull();
        expect(r.status).toBe(200);
        expect(r.bytesIn).toBeGreaterThan(200);
        if (subject.exact) expect(r.connected).toBe(i === 0);
      }
      await expectSameConnection(c);
    });

    testIf("head")("HEAD: headers only, though Content-Length says otherwise", async () => {
      const c = client();
      const r = await send(c, req(target.url("/files/medium.bin"), { method: "HEAD" }));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      expect(r.bytesIn).toBeLessThan(1024);
      await expectSameConnection(c);
    });

    testIf("status")("204 has no body", async () => {
      const c = client();
      const r = await send(c, req(target.url("/status/204")));
      expect(r.status).toBe(204);
      expect(r.error).toBeNull();
      await expectSameConnection(c);
    });

    testIf("not-modified")("304 has no body", async () => {
      const c = client();
      const r = await send(c, req(target.url("/files/medium.bin"), { headers: { "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT" } }));
      expect(r.status).toBe(304);
      expect(r.error).toBeNull();
      expect(r.bytesIn).toBeLessThan(1024);
      await expectSameConnection(c);
    });

    testIf("status")("4xx and 5xx are classified, and the connection is kept", async () => {
      const c = client();
      const notFound = await send(c, req(target.url("/missing")));
      expect(notFound.status).toBe(404);
      expect(notFound.error).toBe("http_4xx");
      const unavailable = await send(c, req(target.url("/status/503")));
      expect(unavailable.status).toBe(503);
      expect(unavailable.error).toBe("http_5xx");
      if (subject.exact) expect(unavailable.connected).toBe(false);
      await expectSameConnection(c);
    });

    testIf("echo")("POST body is sent and echoed", async () => {
      const c = client();
      const body = "x".repeat(10_000);
      const r = await send(c, req(target.url("/echo"), { method: "POST", body, headers: { "Content-Type": "text/plain" } }));
      expect(r.status).toBe(200);
      expect(r.error).toBeNull();
      expect(r.bytesOut).toBeGreaterThan(body.length);
      expect(r.bytesIn).toBeGreaterThan(body.length);
      await expectSameConnection(c);
    });

    testIf("echo")("8 MiB POST body: written across partial writes", async () => {
      const c = client();
      const body = "y".repeat(8 * 1024 * 1024);
      const r = await send(c, req(target.url("/echo"), { method: "POST", body, timeout: 20_000 }));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      expect(r.bytesOut).toBeGreaterThan(body.length);
      expect(r.bytesIn).toBeGreaterThan(body.length);
      await expectSameConnection(c);
    });

    testIf("slow")("slower than the timeout: timeout, and the client recovers", async () => {
      const c = client();
      const r = await send(c, req(target.url("/slow?ms=1500"), { timeout: 300 }));
      expect(r.error).toBe("timeout");
      expect(r.status).toBe(0);
      expect(r.durationUs).toBeGreaterThanOrEqual(295_000);
      expect(r.durationUs).toBeLessThan(1_200_000);
      const next = await send(c, req(target.url("/hello")));
      expect(next.error).toBeNull();
      if (subject.exact) expect(next.connected).toBe(true);
    });

    testIf("slow")("timeouts shared across requests: each request still times out at its own deadline", async () => {
      const c = client();
      // parks the client for 400 ms; the slow request starts 150 ms later, so it outlives that entry and needs the rest
      await send(c, req(target.url("/slow?ms=150"), { timeout: 400 }));
      const late = await send(c, req(target.url("/slow?ms=1500"), { timeout: 400 }));
      expect(late.error).toBe("timeout");
      expect(late.durationUs).toBeGreaterThanOrEqual(395_000);
      expect(late.durationUs).toBeLessThan(1_200_000);
      // a shorter timeout after a longer one is not held to the longer one's entry
      await send(c, req(target.url("/hello"), { timeout: 5000 }));
      const short = await send(c, req(target.url("/slow?ms=1500"), { timeout: 200 }));
      expect(short.error).toBe("timeout");
      expect(short.durationUs).toBeLessThan(1_200_000);
    });

    testIf("slow")("faster than the timeout: success, duration covers the delay", async () => {
      const c = client();
      await send(c, req(target.url("/hello")));
      const r = await send(c, req(target.url("/slow?ms=200"), { timeout: 3000 }));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      expect(r.durationUs).toBeGreaterThanOrEqual(200_000);
      expect(r.durationUs).toBeLessThan(1_500_000);
    });

    testIf("slow")("abort resolves promptly with error other", async () => {
      const c = client();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const t0 = performance.now();
      const r = await send(c, req(target.url("/slow?ms=2000")), controller.signal);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(r.error).toBe("other");
      const already = await send(c, req(target.url("/hello")), controller.signal);
      expect(already.error).toBe("other");
      const next = await send(c, req(target.url("/hello")));
      expect(next.error).toBeNull();
    });

    testIf("conn-close")("Connection: close after each response: every request succeeds on a new connection", async () => {
      const c = client();
      const before = await target.connections();
      for (let i = 0; i < 3; i++) {
        const r = await send(c, req(target.url("/close")));
        expect(r.error).toBeNull();
        expect(r.status).toBe(200);
        if (subject.exact) expect(r.connected).toBe(true);
      }
      if (subject.exact) expect((await target.connections()) - before).toBe(3);
    });

    testIf("idle-close")("idle keep-alive closed by the server: the next request reconnects", async () => {
      const c = client();
      const first = await send(c, req(target.url("/idle")));
      expect(first.error).toBeNull();
      await Bun.sleep(target.idleCloseMs + 700);
      const second = await send(c, req(target.url("/idle")));
      expect(second.error).toBeNull();
      expect(second.status).toBe(200);
      if (subject.exact) expect(second.connected).toBe(true);
    });

    testIf("https")("https with a self-signed certificate, verification off", async () => {
      const c = client(subject.create({ tls: { rejectUnauthorized: false } }));
      for (let i = 0; i < 2; i++) {
        const r = await send(c, req(target.httpsUrl("/files/medium.bin")));
        expect(r.error).toBeNull();
        expect(r.status).toBe(200);
        expect(r.bytesIn).toBeGreaterThan(FILE_SIZES["medium.bin"]);
        if (subject.exact) expect(r.connected).toBe(i === 0);
      }
    });

    testIf("https")("https with a self-signed certificate, verification on: tls", async () => {
      const c = client();
      const r = await send(c, req(target.httpsUrl("/hello")));
      expect(r.error).toBe("tls");
      expect(r.status).toBe(0);
    });

    if (has("raw")) registerRawCases(subject, client);
  });
}

function leaveOut(_name: string, _fn: () => Promise<void>): void {}
