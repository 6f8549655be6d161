// compression: Accept-Encoding is sent, the body is decoded (Bun's zlib, brotli, zstd) for checks; bytesIn stays wire bytes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer as createH2Server, type Http2Server, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync } from "node:zlib";
import type { Server } from "bun";
import { createEngine, createH2Engine, prepareRequest, type Compression, type Engine } from "../../src/engine/index.ts";
import { send } from "./helpers.ts";

const TEXT = JSON.stringify({ message: "compressible ".repeat(2000), id: 42 });
const PLAIN = new TextEncoder().encode(TEXT);

function encode(coding: string): Uint8Array {
  switch (coding) {
    case "gzip":
      return Bun.gzipSync(PLAIN);
    case "br":
      return brotliCompressSync(PLAIN);
    case "deflate":
      return deflateSync(PLAIN);
    case "zstd":
      return Bun.zstdCompressSync(PLAIN);
    default:
      return PLAIN;
  }
}

/** What the server answers to an Accept-Encoding: the body in that coding ("garbage" claims gzip and is not). */
function answer(accept: string, path: string): { body: Uint8Array; headers: Record<string, string> } {
  if (path === "/garbage") return { body: new Uint8Array([1, 2, 3, 4, 5]), headers: { "content-encoding": "gzip" } };
  const coding = ["gzip", "br", "deflate", "zstd"].includes(accept) ? accept : "identity";
  return { body: encode(coding), headers: coding === "identity" ? {} : { "content-encoding": coding } };
}

let h1: Server<undefined>;
let h2: Http2Server;
const seen: string[] = [];

beforeAll(async () => {
  h1 = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const accept = request.headers.get("accept-encoding") ?? "";
      seen.push(accept);
      const { body, headers } = answer(accept, new URL(request.url).pathname);
      return new Response(body as Uint8Array<ArrayBuffer>, { headers });
    },
  });
  h2 = createH2Server().on("stream", (stream: ServerHttp2Stream, headers) => {
    const accept = String(headers["accept-encoding"] ?? "");
    seen.push(accept);
    const { body, headers: extra } = answer(accept, headers[":path"] ?? "/");
    stream.respond({ ":status": 200, "content-length": String(body.length), ...extra });
    stream.end(body);
  });
  await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", () => resolve()));
});
afterAll(() => {
  void h1.stop(true);
  h2.close();
});

const subjects: { name: string; make: () => Engine; url: (path: string) => string }[] = [
  { name: "socket", make: () => createEngine("socket"), url: (p) => `http://127.0.0.1:${h1.port}${p}` },
  { name: "fetch", make: () => createEngine("fetch"), url: (p) => `http://127.0.0.1:${h1.port}${p}` },
  { name: "h2", make: () => createH2Engine({ http: "2" }), url: (p) => `http://127.0.0.1:${(h2.address() as AddressInfo).port}${p}` },
];

for (const subject of subjects) {
  describe(`${subject.name} engine: compression`, () => {
    const request = (compression: Compression, path = "/", capture = true) => ({
      ...prepareRequest({ method: "GET", url: subject.url(path), headers: {}, timeout: 5000, compression }),
      capture,
    });

    for (const coding of ["gzip", "br", "deflate", "zstd"] as const) {
      test(`${coding}: asked for, decoded for checks, wire bytes counted as they came`, async () => {
        const client = subject.make().createClient();
        seen.length = 0;
        const r = await send(client, request(coding));
        client.close();
        expect(seen).toEqual([coding]);
        expect(r.error).toBeNull();
        expect(r.response?.text()).toBe(TEXT);
        expect((r.response?.json() as { id: number }).id).toBe(42);
        expect(r.bytesDecoded).toBe(PLAIN.length);
        expect(r.bytesIn).toBeLessThan(PLAIN.length / 5);
      });
    }

    test("none: Accept-Encoding identity, the body as sent", async () => {
      const client = subject.make().createClient();
      seen.length = 0;
      const r = await send(client, request("none"));
      client.close();
      expect(seen).toEqual(["identity"]);
      expect(r.response?.text()).toBe(TEXT);
      expect(r.bytesIn).toBeGreaterThan(PLAIN.length);
    });

    test("no compression asked for: no decoded bytes counted, with checks or without (the summary's decoded line is about compression)", async () => {
      const client = subject.make().createClient();
      const checked = await send(client, request(undefined as unknown as Compression, "/", true));
      const quiet = await send(client, request(undefined as unknown as Compression, "/", false));
      client.close();
      expect(checked.error).toBeNull();
      expect(checked.response?.text()).toBe(TEXT);
      expect(checked.bytesDecoded ?? 0).toBe(0);
      expect(quiet.bytesDecoded ?? 0).toBe(0);
    });

    test("decoded even without checks (the decoded-bytes figure), and a body that does not decode is a protocol error", async () => {
      const client = subject.make().createClient();
      const quiet = await send(client, request("br", "/", false));
      expect(quiet.error).toBeNull();
      expect(quiet.response ?? null).toBeNull();
      expect(quiet.bytesDecoded).toBe(PLAIN.length);
      const bad = await send(client, request("gzip", "/garbage"));
      client.close();
      expect(bad.error).toBe("protocol");
    });
  });
}
