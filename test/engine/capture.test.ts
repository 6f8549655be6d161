// Keeping a response for checks and extraction: the parser's capture mode, and both engines against a real server.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { createEngine, prepareRequest } from "../../src/engine/index.ts";
import { COMPLETE, MORE, ResponseParser } from "../../src/engine/socket/parser.ts";
import { KnownHead } from "../../src/engine/socket/known-head.ts";
import { startRawServer, type RawServer } from "./raw-server.ts";

const utf8 = new TextDecoder();

interface Case {
  name: string;
  response: string;
  body: string;
  setCookies: string[] | null;
  location: string | null;
}

const CASES: Case[] = [
  { name: "Content-Length", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", body: "hello", setCookies: null, location: null },
  {
    name: "chunked is de-chunked",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
    body: "hello world",
    setCookies: null,
    location: null,
  },
  {
    name: "two Set-Cookie headers and a Location",
    response: "HTTP/1.1 302 Found\r\nSet-Cookie: a=1; Path=/\r\nLocation: /next?x=1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n",
    body: "",
    setCookies: ["a=1; Path=/", "b=2"],
    location: "/next?x=1",
  },
  {
    name: "an interim 100 is not the kept head",
    response: "HTTP/1.1 100 Continue\r\nSet-Cookie: early=1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    body: "ok",
    setCookies: null,
    location: null,
  },
];

/** Feeds the response in pieces of `size` bytes (0: whole). */
function feed(parser: ResponseParser, bytes: Uint8Array, size: number): number {
  let state: number = MORE;
  const step = size === 0 ? bytes.length : size;
  for (let i = 0; i < bytes.length; i += step) state = parser.feed(bytes.subarray(i, Math.min(bytes.length, i + step)));
  return state;
}

describe("parser capture", () => {
  for (const c of CASES) {
    test(`${c.name}: whole, split at every byte, one byte at a time`, () => {
      const bytes = new TextEncoder().encode(c.response);
      for (const size of [0, 1, 2, 3, 7, 13]) {
        const parser = new ResponseParser();
        parser.reset(false, true);
        expect(feed(parser, bytes, size)).toBe(COMPLETE);
        const kept = parser.captured()!;
        expect(utf8.decode(kept.body)).toBe(c.body);
        expect(utf8.decode(kept.head)).toStartWith(`HTTP/1.1 ${parser.status}`);
        expect(utf8.decode(kept.head)).toEndWith("\r\n\r\n");
        expect(parser.setCookies).toEqual(c.setCookies);
        expect(parser.location).toEqual(c.location);
      }
    });
  }

  test("without capture nothing is kept, but cookies and Location are still read", () => {
    const parser = new ResponseParser();
    parser.reset(false, false);
    expect(feed(parser, new TextEncoder().encode(CASES[2]!.response), 0)).toBe(COMPLETE);
    expect(parser.captured()).toBeNull();
    expect(parser.setCookies).toEqual(["a=1; Path=/", "b=2"]);
  });

  test("the next response starts afresh", () => {
    const parser = new ResponseParser();
    parser.reset(false, true);
    feed(parser, new TextEncoder().encode(CASES[2]!.response), 0);
    parser.reset(false, true);
    feed(parser, new TextEncoder().encode(CASES[0]!.response), 0);
    expect(parser.setCookies).toBeNull();
    expect(parser.location).toBeNull();
    expect(utf8.decode(parser.captured()!.body)).toBe("hello");
  });
});

/** A server on 127.0.0.1 (port 0) for the tests of one describe block. */
function serveDuring(fetch: (req: Request) => Response): () => ReturnType<typeof Bun.serve> {
  let server: ReturnType<typeof Bun.serve> | undefined;
  beforeAll(() => {
    server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch });
  });
  afterAll(() => server?.stop(true));
  return () => server!;
}

describe("both engines keep a response only when asked", () => {
  const server = serveDuring((req) => {
    const url = new URL(req.url);
    if (url.pathname === "/stream") {
      // a streamed body goes out chunked
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"items": [{"id": '));
          c.enqueue(new TextEncoder().encode("42}]}"));
          c.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "application/json" } });
    }
    const headers = new Headers({ "content-type": "application/json", "x-trace": "t-1", location: "/elsewhere" });
    headers.append("set-cookie", "session=abc; Path=/");
    headers.append("set-cookie", "theme=dark");
    return new Response(JSON.stringify({ token: "tok", user: { name: "ada" } }), { status: 201, headers });
  });

  for (const name of ["socket", "fetch"] as const) {
    test(`${name}: headers, text and JSON of a captured response; cookies and Location always`, async () => {
      const client = createEngine(name).createClient();
      const base = `http://127.0.0.1:${server().port}`;
      const plain = await client.send(prepareRequest({ method: "GET", url: `${base}/`, headers: {}, timeout: 5000 }));
      expect(plain.status).toBe(201);
      expect(plain.response).toBeNull();
      expect(plain.setCookies).toEqual(["session=abc; Path=/", "theme=dark"]);
      expect(plain.location).toBe("/elsewhere");

      const kept = await client.send({ ...prepareRequest({ method: "GET", url: `${base}/`, headers: {}, timeout: 5000 }), capture: true });
      expect(kept.response?.header("X-Trace")).toBe("t-1");
      expect(kept.response?.header("content-type")).toBe("application/json");
      expect(kept.response?.json()).toEqual({ token: "tok", user: { name: "ada" } });

      const streamed = await client.send({ ...prepareRequest({ method: "GET", url: `${base}/stream`, headers: {}, timeout: 5000 }), capture: true });
      expect(streamed.response?.text()).toBe('{"items": [{"id": 42}]}');
      expect(streamed.setCookies).toBeNull();
      client.close();
    });
  }
});

describe("thinking clients hand their parser back", () => {
  // every path answers with itself, half of them across two chunks, so a parser carried over would show
  const server = serveDuring((req) => {
    const path = new URL(req.url).pathname;
    if (path.endsWith("/split")) {
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(path.slice(0, 3)));
          c.enqueue(new TextEncoder().encode(path.slice(3)));
          c.close();
        },
      });
      return new Response(stream, { headers: { "x-path": path } });
    }
    return new Response(path, { headers: { "x-path": path, connection: path.includes("close") ? "close" : "keep-alive" } });
  });

  test("clients that go idle between requests share parsers, each response read whole and as its own", async () => {
    const engine = createEngine("socket");
    const clients = Array.from({ length: 5 }, () => engine.createClient());
    const base = `http://127.0.0.1:${server().port}`;
    const get = (path: string, capture: boolean) => ({ ...prepareRequest({ method: "GET", url: `${base}${path}`, headers: {}, timeout: 5000 }), capture });
    for (let round = 0; round < 6; round++) {
      // some clients in flight together, some alone; idle() between, as a thinking VU does
      const results = await Promise.all(
        clients.map(async (client, i) => {
          const path = `/c${i}/r${round}${(i + round) % 3 === 0 ? "/split" : ""}${i === 4 ? "/close" : ""}`;
          const r = await client.send(get(path, true));
          const seen = { status: r.status, error: r.error, body: r.response?.text(), header: r.response?.header("x-path") };
          client.idle?.();
          return { path, seen };
        }),
      );
      for (const { path, seen } of results) expect(seen).toEqual({ status: 200, error: null, body: path, header: path });
      // without capture (the parser goes back): status and bytes still right, one at a time
      for (const [i, client] of clients.entries()) {
        const r = await client.send(get(`/p${i}/${round}`, false));
        expect({ status: r.status, error: r.error, bytesIn: r.bytesIn > 0 }).toEqual({ status: 200, error: null, bytesIn: true });
        client.idle?.();
      }
    }
    // a client that kept a response keeps its parser: another client's request does not overwrite what it kept
    const [a, b] = clients;
    const kept = await a!.send(get("/kept/split", true));
    a!.idle?.();
    await b!.send(get("/other/split", true));
    b!.idle?.();
    expect(kept.response?.text()).toBe("/kept/split");
    for (const client of clients) client.close();
  });
});

describe("the last head read (KnownHead) and thinking clients", () => {
  // a fixed head, the same for every response (Bun.serve's Date header could change between two requests)
  const HEAD = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n";
  let server: RawServer;
  beforeAll(() => {
    server = startRawServer((socket) => socket.write(`${HEAD}ok`));
  });
  afterAll(() => server.stop());

  test("a busy client recognises the head it read last; a thinking client that kept a response lets it go", async () => {
    const learned = spyOn(KnownHead, "of");
    try {
      const client = createEngine("socket").createClient();
      const request = { ...prepareRequest({ method: "GET", url: `http://127.0.0.1:${server.port}/`, headers: {}, timeout: 5000 }), capture: true };
      const body = async () => (await client.send(request)).response?.text();
      expect(await body()).toBe("ok");
      expect(learned).toHaveBeenCalledTimes(1);
      expect(await body()).toBe("ok"); // the same head: recognised, not read and kept again
      expect(learned).toHaveBeenCalledTimes(1);
      client.idle?.(); // thinking: the parser stays (its response may still be read), the head it knew goes
      expect(await body()).toBe("ok");
      expect(learned).toHaveBeenCalledTimes(2);
      client.close();
    } finally {
      learned.mockRestore();
    }
  });
});
