// The request bytes the socket engine writes, and prepareRequest's checks.
import { describe, expect, test } from "bun:test";
import { IndusError } from "../../src/core/errors.ts";
import { prepareRequest } from "../../src/engine/index.ts";
import { buildWireRequest, createWireCache } from "../../src/engine/socket/builder.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const prep = (url: string, extra: Partial<Parameters<typeof prepareRequest>[0]> = {}) =>
  prepareRequest({ method: "GET", url, headers: {}, timeout: 1000, ...extra });

describe("buildWireRequest", () => {
  test("GET: request line, Host, User-Agent, Connection; no Content-Length", () => {
    const wire = buildWireRequest(prep("http://example.test:8080/a/b?x=1&y=2"), true);
    expect(text(wire.bytes)).toBe("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example.test:8080\r\nUser-Agent: indus/0.1\r\nConnection: keep-alive\r\n\r\n");
    expect(wire).toMatchObject({ hostname: "example.test", port: 8080, tls: undefined, head: false, origin: "http://example.test:8080" });
  });

  test("POST with a body and headers as written", () => {
    const wire = buildWireRequest(prep("http://h/p", { method: "post", body: "héllo", headers: { "Content-Type": "text/plain", "X-Id": "7" } }), true);
    expect(text(wire.bytes)).toBe(
      "POST /p HTTP/1.1\r\nHost: h\r\nUser-Agent: indus/0.1\r\nContent-Type: text/plain\r\nX-Id: 7\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nhéllo",
    );
  });

  test("POST without a body says Content-Length: 0", () => {
    expect(text(buildWireRequest(prep("http://h/", { method: "POST" }), true).bytes)).toContain("Content-Length: 0\r\n");
  });

  test("the request's own Host, User-Agent and Connection win", () => {
    const wire = buildWireRequest(prep("http://h/", { headers: { host: "other", "user-agent": "me", connection: "close" } }), true);
    const s = text(wire.bytes);
    expect(s).toBe("GET / HTTP/1.1\r\nhost: other\r\nuser-agent: me\r\nconnection: close\r\n\r\n");
  });

  test("https: default port, SNI for names only, IPv6 without brackets", () => {
    expect(buildWireRequest(prep("https://example.test/"), false)).toMatchObject({ port: 443, tls: { rejectUnauthorized: false, serverName: "example.test" } });
    expect(buildWireRequest(prep("https://127.0.0.1:8443/"), true).tls).toEqual({ rejectUnauthorized: true });
    expect(buildWireRequest(prep("http://[::1]:81/"), true)).toMatchObject({ hostname: "::1", port: 81 });
  });

  test("HEAD is marked", () => {
    expect(buildWireRequest(prep("http://h/", { method: "HEAD" }), true).head).toBe(true);
  });

  test("the cache builds once per request object", () => {
    const cache = createWireCache(true);
    const request = prep("http://h/");
    expect(cache.get(request)).toBe(cache.get(request));
    expect(cache.get(prep("http://h/"))).not.toBe(cache.get(request));
  });
});

describe("prepareRequest", () => {
  test("parses the URL and encodes the body once", () => {
    const r = prep("http://h/x", { method: "put", body: "abc" });
    expect(r.method).toBe("PUT");
    expect(r.url.pathname).toBe("/x");
    expect(r.body).toEqual(new TextEncoder().encode("abc"));
  });

  test.each([
    ["not a URL", { url: "nope" }],
    ["ftp", { url: "ftp://h/" }],
    ["header injection", { headers: { "X-A": "1\r\nX-B: 2" } }],
    ["bad header name", { headers: { "X A": "1" } }],
    ["bad method", { method: "GE T" }],
  ])("rejects %s with an IndusError", (_name, extra) => {
    expect(() => prep("http://h/", extra)).toThrow(IndusError);
  });
});
