// Table tests for the response parser: every response is also fed split at every byte and one byte at a time.
import { describe, expect, test } from "bun:test";
import { COMPLETE, INVALID, MAX_HEAD, MORE, ResponseParser, type FeedResult } from "../../src/engine/socket/parser.ts";
import { parseHead, readHead, type Head } from "../../src/engine/socket/head.ts";
import { KnownHead } from "../../src/engine/socket/known-head.ts";

interface Case {
  name: string;
  response: string;
  head?: boolean;
  /** Expected outcome; "eof" means complete only once the peer closes (close-delimited body). */
  result: "complete" | "invalid" | "eof";
  status?: number;
  keepAlive?: boolean;
  trailing?: number;
}

const CASES: Case[] = [
  { name: "Content-Length", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", result: "complete", status: 200, keepAlive: true },
  { name: "Content-Length: 0", response: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", result: "complete", status: 200, keepAlive: true },
  { name: "no reason phrase", response: "HTTP/1.1 404\r\nContent-Length: 2\r\n\r\nno", result: "complete", status: 404, keepAlive: true },
  {
    name: "chunked, extensions and trailers",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\nA ; x\r\n0123456789\r\n0\r\nX-Sum: 15\r\nX-More: 1\r\n\r\n",
    result: "complete",
    status: 200,
    keepAlive: true,
  },
  { name: "chunked, upper-case hex", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n1F\r\n" + "x".repeat(31) + "\r\n0\r\n\r\n", result: "complete", status: 200 },
  { name: "gzip, chunked", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", result: "complete", status: 200, keepAlive: true },
  { name: "chunked and Content-Length: chunked wins, connection dropped", response: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", result: "complete", keepAlive: false },
  { name: "transfer coding not chunked: until close", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc", result: "eof", keepAlive: false },
  { name: "neither length nor chunked: until close", response: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody bytes", result: "eof", status: 200, keepAlive: false },
  { name: "100 Continue, then the response", response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", result: "complete", status: 200 },
  { name: "103 Early Hints with headers, then 204", response: "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", result: "complete", status: 204 },
  { name: "204 ignores Content-Length", response: "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", result: "complete", status: 204 },
  { name: "304 ignores Content-Length", response: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", result: "complete", status: 304 },
  { name: "HEAD ignores Content-Length", response: "HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n", head: true, result: "complete", status: 200, keepAlive: true },
  { name: "Connection: close", response: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", result: "complete", keepAlive: false },
  { name: "Connection: Keep-Alive, Close", response: "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 1\r\n\r\nx", result: "complete", keepAlive: false },
  { name: "HTTP/1.0 closes by default", response: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", result: "complete", keepAlive: false },
  { name: "HTTP/1.0 with keep-alive", response: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", result: "complete", keepAlive: true },
  { name: "bare LF line ends", response: "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", result: "complete", status: 200 },
  { name: "header value with spaces", response: "HTTP/1.1 200 OK\r\nContent-Length:    3   \r\n\r\nabc", result: "complete" },
  { name: "bytes after the response", response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", result: "complete", trailing: 5 },
  { name: "not HTTP", response: "SMTP ready\r\n\r\n", result: "invalid" },
  { name: "status not numeric", response: "HTTP/1.1 2x0 OK\r\n\r\n", result: "invalid" },
  { name: "header without colon", response: "HTTP/1.1 200 OK\r\nbroken header\r\n\r\n", result: "invalid" },
  { name: "Content-Length not a number", response: "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", result: "invalid" },
  { name: "conflicting Content-Length", response: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", result: "invalid" },
  { name: "bad chunk size", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", result: "invalid" },
  { name: "chunk data longer than its size", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", result: "invalid" },
];

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

/** Feeds the pieces in order; stops at the first non-MORE result like the client does. */
function run(parser: ResponseParser, pieces: Uint8Array[], head: boolean): FeedResult | "eof" {
  parser.reset(head);
  for (const piece of pieces) {
    const r = parser.feed(piece);
    if (r !== MORE) return r;
  }
  return parser.finishAtEof() ? "eof" : MORE;
}

function check(c: Case, parser: ResponseParser, outcome: FeedResult | "eof", how: string): void {
  const expected = c.result === "complete" ? COMPLETE : c.result === "invalid" ? INVALID : "eof";
  expect(`${how}: ${outcome}`).toBe(`${how}: ${expected}`);
  if (c.status !== undefined) expect(parser.status).toBe(c.status);
  if (c.keepAlive !== undefined) expect(parser.keepAlive).toBe(c.keepAlive);
}

describe("ResponseParser", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const all = bytes(c.response);
      const parser = new ResponseParser();
      const whole = run(parser, [all], c.head ?? false);
      check(c, parser, whole, "whole");
      if (c.trailing !== undefined) expect(parser.trailing).toBe(c.trailing);
      if (c.trailing !== undefined) return; // split feeds stop before the extra bytes
      for (let k = 1; k < all.length; k++) {
        check(c, parser, run(parser, [all.subarray(0, k), all.subarray(k)], c.head ?? false), `split at ${k}`);
      }
      const ones = Array.from(all, (b) => Uint8Array.of(b));
      check(c, parser, run(parser, ones, c.head ?? false), "byte by byte");
    });
  }

  test("one parser serves many responses after reset", () => {
    const parser = new ResponseParser();
    for (const c of CASES.filter((x) => x.result === "complete" && x.trailing === undefined)) {
      check(c, parser, run(parser, [bytes(c.response)], c.head ?? false), c.name);
    }
  });

  test("a head larger than 64 KiB is refused", () => {
    const parser = new ResponseParser();
    const big = "HTTP/1.1 200 OK\r\n" + "X-Big: " + "a".repeat(70_000) + "\r\n\r\n";
    const all = bytes(big);
    expect(run(parser, [all.subarray(0, 100), all.subarray(100)], false)).toBe(INVALID);
  });
});

/** Every way of cutting `all` that matters here: whole, at every byte (short inputs), byte by byte, in 1 KiB pieces. */
function feeds(all: Uint8Array): [string, Uint8Array[]][] {
  const out: [string, Uint8Array[]][] = [["whole", [all]]];
  if (all.length <= 400) for (let k = 1; k < all.length; k++) out.push([`split at ${k}`, [all.subarray(0, k), all.subarray(k)]]);
  out.push(["byte by byte", Array.from(all, (b) => Uint8Array.of(b))]);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += 1024) pieces.push(all.subarray(i, i + 1024));
  out.push(["1 KiB pieces", pieces]);
  return out;
}

/** The outcome of `response` for every feed, as "how: outcome status keepAlive". */
function outcomes(response: string, head = false): string[] {
  const parser = new ResponseParser();
  return feeds(bytes(response)).map(([how, pieces]) => {
    const r = run(parser, pieces, head);
    return r === COMPLETE ? `${how}: complete ${parser.status} ${parser.keepAlive}` : `${how}: ${r === INVALID ? "invalid" : r}`;
  });
}
const all = (response: string, outcome: string, head = false) =>
  expect(outcomes(response, head)).toEqual(feeds(bytes(response)).map(([how]) => `${how}: ${outcome}`));

// The six disagreements with a strict parser found by the differential run of issue 17, each fixed and kept fixed.
describe("issue 17 framing defects", () => {
  const CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

  test("1. chunk-size lines follow RFC 9112 §7.1 strictly: 0x5, 1\\r0, 5\\r\\r;ABCD are protocol errors", () => {
    all(CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n", "invalid");
    all(CHUNKED + "1\r0\r\n" + "x".repeat(16) + "\r\n0\r\n\r\n", "invalid");
    all(CHUNKED + "5\r\r;ABCD\r\nhello\r\n0\r\n\r\n", "invalid");
    all(CHUNKED + "5 \r\nhello\r\n0\r\n\r\n", "invalid"); // BWS only before ";"
    all(CHUNKED + "5\nhello\r\n0\r\n\r\n", "invalid"); // CRLF, not a bare LF
    all(CHUNKED + "5\r\nhello\n0\r\n\r\n", "invalid"); // chunk data ends in CRLF too
    // the grammar's full range is accepted
    all(CHUNKED + '5 ;\ta = 1 ; b;c="q \\" ;"\r\nhello\r\n00\r\n\r\n', "complete 200 true");
  });

  test("2. obs-fold in a header is a protocol error, never dropped: Content-Length: 5 CRLF SP 0", () => {
    all("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n 0\r\n\r\nhello", "invalid");
    all("HTTP/1.1 200 OK\r\nX-A: 1\r\n\t2\r\nContent-Length: 5\r\n\r\nhello", "invalid");
  });

  test("3. a status must be three digits 100-599: 000 and 099 are protocol errors, not successes", () => {
    all("HTTP/1.1 000 Zero\r\nContent-Length: 0\r\n\r\n", "invalid");
    all("HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n", "invalid");
    all("HTTP/1.1 600 High\r\nContent-Length: 0\r\n\r\n", "invalid");
    all("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 000 Zero\r\nContent-Length: 0\r\n\r\n", "invalid");
    all("HTTP/1.1 599 Edge\r\nContent-Length: 0\r\n\r\n", "complete 599 true");
  });

  test("4. the head-size limit is the same however the bytes are chunked", () => {
    const head = (total: number) => {
      const fixed = "HTTP/1.1 200 OK\r\nX-Pad: \r\nContent-Length: 0\r\n\r\n".length;
      return `HTTP/1.1 200 OK\r\nX-Pad: ${"p".repeat(total - fixed)}\r\nContent-Length: 0\r\n\r\n`;
    };
    expect(MAX_HEAD).toBe(65_536);
    all(head(70_000), "invalid"); // accepted in one read before the fix
    all(head(MAX_HEAD + 1), "invalid");
    all(head(MAX_HEAD), "complete 200 true");
    all("\r\n" + head(MAX_HEAD - 2), "complete 200 true"); // empty lines before it count
    all("\r\n" + head(MAX_HEAD - 1), "invalid");
  });

  test("5. empty lines before a status line are skipped, also after a 1xx", () => {
    all("\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "complete 404 true");
    all("\r\n\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "complete 200 true");
    all("HTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "complete 404 true");
    all("\rHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "invalid"); // a bare CR is no empty line
  });

  test("6. a bare CR inside the head is a protocol error: it could hide a Content-Length", () => {
    all("HTTP/1.1 200 OK\r\nX-A: 1\rContent-Length: 5\r\n\r\nhello", "invalid");
    all("HTTP/1.1 200 OK\rContent-Length: 5\r\n\r\nhello", "invalid");
    all("HTTP/1.1 200 OK\r\n\rContent-Length: 5\r\n\r\nhello", "invalid");
    all("HTTP/1.1 200 OK\r\nContent-Length: 5\r\r\n\r\nhello", "invalid");
  });

  test("an incomplete response is not complete at EOF", () => {
    const parser = new ResponseParser();
    expect(run(parser, [bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")], false)).toBe(MORE);
  });
});

// readHead: the one-pass read of a head that arrived whole (the parser's common case); anything it cannot read, it
// leaves to the general path, so it answers only "here the head ends" or -1.
describe("readHead", () => {
  const head = (): Head => ({ status: 0, minor: 1, contentLength: -1, chunked: false, transferEncoding: false, close: false, keepAlive: false, setCookies: null, location: null });
  const NGINX = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 3\r\nConnection: keep-alive\r\nETag: \"x\"\r\n\r\n";
  const cases: [string, string, number][] = [
    ["a whole head: the index past its blank line", NGINX + "abc", NGINX.length],
    ["bare LF line ends", "HTTP/1.1 204\n\n", 14],
    ["the first blank line ends it, whatever follows", "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 19],
    ["cut inside a header line", NGINX.slice(0, 40), -1],
    ["cut between the last CR and LF", NGINX.slice(0, NGINX.length - 1), -1],
    ["cut inside the status line", "HTTP/1.1 2", -1],
    ["a header without a colon", "HTTP/1.1 200 OK\r\nbroken\r\n\r\n", -1],
    ["a bare CR in a value", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", -1],
    ["CR at a line start not followed by LF", "HTTP/1.1 200 OK\r\n\rX: 1\r\n\r\n", -1],
    ["status 000", "HTTP/1.1 000 Nothing\r\n\r\n", -1],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => {
      const buf = bytes(text);
      expect(readHead(buf, 0, buf.length, head())).toBe(expected);
    });
  }

  test("what it reads is what parseHead reads", () => {
    const one = head();
    const two = head();
    const buf = bytes(NGINX + "abc");
    const end = readHead(buf, 0, buf.length, one);
    expect(parseHead(buf, 0, end, two)).toBe(true);
    expect(one).toEqual(two);
    expect(one).toMatchObject({ status: 200, contentLength: 3, keepAlive: true, close: false });
  });
});

// The known head: a parser recognises a head byte-identical to the last one it read, and reads any other afresh.
describe("KnownHead", () => {
  const head = (): Head => ({ status: 0, minor: 1, contentLength: -1, chunked: false, transferEncoding: false, close: false, keepAlive: false, setCookies: null, location: null });
  /** A Head with every field set to a value no readHead gives: a field restore() forgets shows. */
  const junk = (): Head => ({ status: -7, minor: -7, contentLength: -7, chunked: true, transferEncoding: true, close: true, keepAlive: true, setCookies: ["junk"], location: "junk" });
  const HEADS = [
    "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n",
    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n",
    "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n",
    "HTTP/1.1 204\n\n",
  ];

  for (const text of HEADS) {
    test(`restore gives every field readHead gave: ${JSON.stringify(text.split("\r\n")[0])}`, () => {
      const buf = bytes(`xx${text}body`);
      const read = head();
      const end = readHead(buf, 2, buf.length, read);
      const known = KnownHead.of(buf, 2, end, read)!;
      expect(known.length).toBe(text.length);
      const out = junk();
      known.restore(out);
      expect(out).toEqual(read);
    });
  }

  test("matches the same bytes anywhere in a buffer, not one byte changed, not a buffer cut short", () => {
    const text = HEADS[0]!;
    const buf = bytes(text);
    const known = KnownHead.of(buf, 0, buf.length, (() => { const h = head(); readHead(buf, 0, buf.length, h); return h; })())!;
    expect(known.matches(bytes(`abc${text}more`), 3)).toBe(true);
    for (let i = 0; i < text.length; i++) {
      const changed = bytes(text);
      changed[i] = changed[i]! ^ 1;
      expect(known.matches(changed, 0)).toBe(false);
    }
    expect(known.matches(buf.subarray(0, buf.length - 1), 0)).toBe(false);
    expect(known.matches(buf, 1)).toBe(false);
  });

  test("a head with Set-Cookie is not kept (its values go to a cookie jar as an array of their own)", () => {
    const buf = bytes("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 0\r\n\r\n");
    const read = head();
    const end = readHead(buf, 0, buf.length, read);
    expect(KnownHead.of(buf, 0, end, read)).toBeNull();
  });

  test("the same head again reads the same; a head of the same length with another value reads its own", () => {
    const parser = new ResponseParser();
    const first = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n";
    const read = (text: string) => {
      parser.reset(false, true);
      const r = parser.feed(bytes(text));
      return { r, status: parser.status, keepAlive: parser.keepAlive, trailing: parser.trailing, body: r === COMPLETE ? parser.captured()!.body.length : -1 };
    };
    expect(read(`${first}hello`)).toEqual({ r: COMPLETE, status: 200, keepAlive: true, trailing: 0, body: 5 });
    expect(read(`${first}hello`)).toEqual({ r: COMPLETE, status: 200, keepAlive: true, trailing: 0, body: 5 });
    expect(read(`${first.replace("5", "7")}hello!!`)).toEqual({ r: COMPLETE, status: 200, keepAlive: true, trailing: 0, body: 7 });
    expect(read(`${first.replace("200", "503")}hello`)).toEqual({ r: COMPLETE, status: 503, keepAlive: true, trailing: 0, body: 5 });
    expect(read(`${first.replace("keep-alive", "close     ")}hello`)).toEqual({ r: COMPLETE, status: 200, keepAlive: false, trailing: 0, body: 5 });
    expect(read(`${first.replace("Content-Length: 5", "Content-Length:5x")}hello`).r).toBe(INVALID);
    expect(read(`${first}hello`)).toEqual({ r: COMPLETE, status: 200, keepAlive: true, trailing: 0, body: 5 });
  });
});
