// The malformed-response corpus: raw responses, each with what a strict HTTP/1.1 client must make of it.

/** What the client must report, and whether the connection may carry the next request. */
export type Outcome =
  | { status: number; body: number; reuse: boolean }
  /** protocol: malformed, the connection dropped; reset: the server closed mid-response; timeout: the response never ends. */
  | { error: "protocol" | "reset" | "timeout" };

export type Kind = "framing" | "chunking" | "cl-te" | "status-line" | "header-syntax" | "interim" | "leftover" | "no-body" | "head-size";

export interface CorpusCase {
  name: string;
  kind: Kind;
  /** The bytes served, as latin1. */
  response: string;
  /** The request is a HEAD. */
  head?: boolean;
  /** The server closes the connection once the response is written. */
  close?: boolean;
  expect: Outcome;
}

const ok = (status: number, body: number, reuse = true): Outcome => ({ status, body, reuse });
const PROTOCOL: Outcome = { error: "protocol" };
const RESET: Outcome = { error: "reset" };
const TIMEOUT: Outcome = { error: "timeout" };

const CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
const chunked = (body: string) => CHUNKED + body;
const withLength = (n: number, extra = "") => `HTTP/1.1 200 OK\r\n${extra}Content-Length: ${n}\r\n\r\n${"x".repeat(n)}`;
const status = (line: string, rest = "Content-Length: 2\r\n\r\nok") => `${line}\r\n${rest}`;
const header = (line: string) => `HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 2\r\n\r\nok`;
const FINAL = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

const framing: CorpusCase[] = [
  { name: "Content-Length 5", kind: "framing", response: withLength(5), expect: ok(200, 5) },
  { name: "Content-Length 0", kind: "framing", response: withLength(0), expect: ok(200, 0) },
  { name: "Content-Length with leading zeros", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 005\r\n\r\nhello", expect: ok(200, 5) },
  { name: "Content-Length twice, same value", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5) },
  { name: "Content-Length twice, different values", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", expect: PROTOCOL },
  { name: "Content-Length as a list", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length negative", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length with a plus sign", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length empty", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length in hex", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length with a space inside", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 5 0\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length of 16 digits", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length decimal", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 5.0\r\n\r\nhello", expect: PROTOCOL },
  { name: "Content-Length with tabs around", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length:\t5\t\r\n\r\nhello", expect: ok(200, 5) },
  { name: "Content-Length without a space", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length:5\r\n\r\nhello", expect: ok(200, 5) },
  { name: "Content-Length in upper case", kind: "framing", response: "HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 5\r\n\r\nhello", expect: ok(200, 5) },
  { name: "body shorter than Content-Length, then close", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", close: true, expect: RESET },
  { name: "body shorter than Content-Length, connection kept open", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", expect: TIMEOUT },
  { name: "head only, then close", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", close: true, expect: RESET },
  { name: "head cut short, then close", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Len", close: true, expect: RESET },
  { name: "nothing, then close", kind: "framing", response: "", close: true, expect: RESET },
  { name: "neither length nor chunked: body until close", kind: "framing", response: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nclose delimited", close: true, expect: ok(200, 15, false) },
  { name: "HTTP/1.0, body until close", kind: "framing", response: "HTTP/1.0 200 OK\r\n\r\nold style", close: true, expect: ok(200, 9, false) },
  { name: "HTTP/1.0 with Content-Length: not reused", kind: "framing", response: "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5, false) },
  { name: "HTTP/1.0 with keep-alive: reused", kind: "framing", response: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5) },
  { name: "Connection: close", kind: "framing", response: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5, false) },
  { name: "Connection: keep-alive, close", kind: "framing", response: "HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5, false) },
  { name: "Connection: CLOSE in upper case", kind: "framing", response: "HTTP/1.1 200 OK\r\nConnection: CLOSE\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5, false) },
  { name: "Connection: closed is not close", kind: "framing", response: "HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5) },
  { name: "Connection: close on a second header line", kind: "framing", response: "HTTP/1.1 200 OK\r\nConnection: upgrade\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 5, false) },
  { name: "body of 3000 bytes", kind: "framing", response: withLength(3000), expect: ok(200, 3000) },
  { name: "body of 200000 bytes", kind: "framing", response: withLength(200_000), expect: ok(200, 200_000) },
  { name: "bare LF line ends", kind: "framing", response: "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", expect: ok(200, 5) },
  { name: "mixed CRLF and LF line ends", kind: "framing", response: "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 5\r\n\nhello", expect: ok(200, 5) },
];

const chunking: CorpusCase[] = [
  { name: "one chunk", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\n\r\n"), expect: ok(200, 5) },
  { name: "three chunks", kind: "chunking", response: chunked("5\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\n\r\n"), expect: ok(200, 12) },
  { name: "no data chunks", kind: "chunking", response: chunked("0\r\n\r\n"), expect: ok(200, 0) },
  { name: "upper-case hex size", kind: "chunking", response: chunked("1F\r\n" + "x".repeat(31) + "\r\n0\r\n\r\n"), expect: ok(200, 31) },
  { name: "lower-case hex size", kind: "chunking", response: chunked("1f\r\n" + "x".repeat(31) + "\r\n0\r\n\r\n"), expect: ok(200, 31) },
  { name: "size with leading zeros", kind: "chunking", response: chunked("0005\r\nhello\r\n000\r\n\r\n"), expect: ok(200, 5) },
  { name: "size with 16 leading zeros", kind: "chunking", response: chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"), expect: ok(200, 5) },
  { name: "extension name=value", kind: "chunking", response: chunked("5;name=value\r\nhello\r\n0\r\n\r\n"), expect: ok(200, 5) },
  { name: "extension name only", kind: "chunking", response: chunked("5;name\r\nhello\r\n0\r\n\r\n"), expect: ok(200, 5) },
  { name: "two extensions", kind: "chunking", response: chunked("5;a=1;b\r\nhello\r\n0\r\n\r\n"), expect: ok(200, 5) },
  { name: "extension with BWS everywhere", kind: "chunking", response: chunked("5 ; a = 1 ;\tb\r\nhello\r\n0\r\n\r\n"), expect: ok(200, 5) },
  { name: "extension with a quoted value", kind: "chunking", response: chunked('5;a="x y;z"\r\nhello\r\n0\r\n\r\n'), expect: ok(200, 5) },
  { name: "extension with an escaped quote", kind: "chunking", response: chunked('5;a="x\\"y"\r\nhello\r\n0\r\n\r\n'), expect: ok(200, 5) },
  { name: "extension on the last chunk", kind: "chunking", response: chunked("5\r\nhello\r\n0;last=1\r\n\r\n"), expect: ok(200, 5) },
  { name: "trailer fields", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\nX-Sum: 5\r\nX-More: a b\r\n\r\n"), expect: ok(200, 5) },
  { name: "trailer section ended by a bare LF", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\nX-Sum: 5\n\n"), expect: ok(200, 5) },
  { name: "chunk of 3000 bytes", kind: "chunking", response: chunked("BB8\r\n" + "y".repeat(3000) + "\r\n0\r\n\r\n"), expect: ok(200, 3000) },
  { name: "size 0x5 (issue 17)", kind: "chunking", response: chunked("0x5\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "bare CR inside the size line (issue 17: 1\\r0)", kind: "chunking", response: chunked("1\r0\r\n" + "x".repeat(16) + "\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "CR CR then an extension (issue 17: 5\\r\\r;ABCD)", kind: "chunking", response: chunked("5\r\r;ABCD\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "whitespace after the size, no extension", kind: "chunking", response: chunked("5 \r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "whitespace before the size", kind: "chunking", response: chunked(" 5\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "empty size line", kind: "chunking", response: chunked("\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "negative size", kind: "chunking", response: chunked("-5\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "size not hex", kind: "chunking", response: chunked("zz\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "two sizes", kind: "chunking", response: chunked("5 5\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "size line ended by a bare LF", kind: "chunking", response: chunked("5\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "last-chunk line ended by a bare LF", kind: "chunking", response: chunked("5\r\nhello\r\n0\n\r\n"), expect: PROTOCOL },
  { name: "size line ended by a bare CR", kind: "chunking", response: chunked("5\rhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "empty extension", kind: "chunking", response: chunked("5;\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "extension with an empty value", kind: "chunking", response: chunked("5;a=\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "extension with a space in its name", kind: "chunking", response: chunked("5;a b\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "extension value with a space", kind: "chunking", response: chunked("5;a=b c\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "extension value not a token", kind: "chunking", response: chunked("5;a=b/c\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "extension with trailing whitespace", kind: "chunking", response: chunked("5;a=b \r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "unterminated quoted value", kind: "chunking", response: chunked('5;a="open\r\nhello\r\n0\r\n\r\n'), expect: PROTOCOL },
  { name: "quoted value followed by a token", kind: "chunking", response: chunked('5;a="q"x\r\nhello\r\n0\r\n\r\n'), expect: PROTOCOL },
  { name: "NUL in an extension", kind: "chunking", response: chunked("5;a=\u0000\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "extension without a semicolon", kind: "chunking", response: chunked("5 a=b\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "size beyond 2^48", kind: "chunking", response: chunked("1000000000001\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "size line longer than 16 KiB", kind: "chunking", response: chunked("5;a=" + "b".repeat(17_000) + "\r\nhello\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "chunk data longer than its size", kind: "chunking", response: chunked("2\r\nabc\r\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "chunk data shorter than its size", kind: "chunking", response: chunked("9\r\nabc\r\n0\r\n\r\n"), close: true, expect: PROTOCOL },
  { name: "chunk data ended by a bare LF", kind: "chunking", response: chunked("5\r\nhello\n0\r\n\r\n"), expect: PROTOCOL },
  { name: "chunk data ended by a bare CR", kind: "chunking", response: chunked("5\r\nhello\r0\r\n\r\n"), expect: PROTOCOL },
  { name: "chunk data not ended at all", kind: "chunking", response: chunked("5\r\nhello0\r\n\r\n"), expect: PROTOCOL },
  { name: "trailer with obs-fold", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\nX-A: 1\r\n 2\r\n\r\n"), expect: PROTOCOL },
  { name: "trailer without a colon", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\nnot a field\r\n\r\n"), expect: PROTOCOL },
  { name: "trailer with a bare CR", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\nX-A: 1\rX-B: 2\r\n\r\n"), expect: PROTOCOL },
  { name: "trailer section ended by a bare CR", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\n\rX"), expect: PROTOCOL },
  { name: "trailer with NUL", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\nX-A: \u0000\r\n\r\n"), expect: PROTOCOL },
  { name: "chunked cut after a chunk, then close", kind: "chunking", response: chunked("5\r\nhello\r\n"), close: true, expect: RESET },
  { name: "chunked cut before the final CRLF, then close", kind: "chunking", response: chunked("5\r\nhello\r\n0\r\n"), close: true, expect: RESET },
  { name: "chunked cut inside a chunk, then close", kind: "chunking", response: chunked("5\r\nhel"), close: true, expect: RESET },
  { name: "chunked, last chunk never sent", kind: "chunking", response: chunked("5\r\nhello\r\n"), expect: TIMEOUT },
];

const clte: CorpusCase[] = [
  { name: "Content-Length then Transfer-Encoding: chunked wins, not reused", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", expect: ok(200, 5, false) },
  { name: "Transfer-Encoding then Content-Length: chunked wins, not reused", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n", expect: ok(200, 5, false) },
  { name: "Content-Length 0 with chunked", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", expect: ok(200, 5, false) },
  { name: "invalid Content-Length with chunked", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nContent-Length: abc\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", expect: PROTOCOL },
  { name: "gzip, chunked", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", expect: ok(200, 3) },
  { name: "chunked in mixed case", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: ChUnKeD\r\n\r\n3\r\nabc\r\n0\r\n\r\n", expect: ok(200, 3) },
  { name: "chunked with trailing whitespace", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked  \r\n\r\n3\r\nabc\r\n0\r\n\r\n", expect: ok(200, 3) },
  { name: "chunked not last: body until close", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "gzip only: body until close", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "identity: body until close", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "xchunked is not chunked", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "empty Transfer-Encoding: body until close", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "Transfer-Encoding lines chunked then gzip: until close", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "Transfer-Encoding lines gzip then chunked", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", expect: ok(200, 3) },
  { name: "gzip with Content-Length: length ignored, until close", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: gzip\r\n\r\nabcdef", close: true, expect: ok(200, 6, false) },
  { name: "HTTP/1.0 chunked: read, not reused", kind: "cl-te", response: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", expect: ok(200, 3, false) },
  { name: "Transfer-Encoding with a space before the colon", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\nabc", expect: PROTOCOL },
  { name: "Transfer-Encoding folded", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 3\r\n\r\nabc", expect: PROTOCOL },
  { name: "Transfer-Encoding hidden behind a bare CR", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nX-A: 1\rTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc", expect: PROTOCOL },
  { name: "Content-Length hidden behind a bare CR", kind: "cl-te", response: "HTTP/1.1 200 OK\r\nX-A: 1\rContent-Length: 3\r\n\r\nabc", expect: PROTOCOL },
];

const statusCodes = [100, 200, 201, 202, 203, 205, 206, 226, 299, 300, 301, 302, 303, 307, 308, 399, 400, 401, 403, 404, 429, 499, 500, 502, 503, 504, 599];
const statusLines: CorpusCase[] = [
  ...statusCodes
    .filter((code) => code >= 200)
    .map((code): CorpusCase => ({ name: `status ${code}`, kind: "status-line", response: status(`HTTP/1.1 ${code} Whatever`), expect: ok(code, 2) })),
  { name: "status 000 (issue 17)", kind: "status-line", response: status("HTTP/1.1 000 Zero"), expect: PROTOCOL },
  { name: "status 099 (issue 17)", kind: "status-line", response: status("HTTP/1.1 099 Low"), expect: PROTOCOL },
  { name: "status 600", kind: "status-line", response: status("HTTP/1.1 600 High"), expect: PROTOCOL },
  { name: "status 999", kind: "status-line", response: status("HTTP/1.1 999 High"), expect: PROTOCOL },
  { name: "two-digit status", kind: "status-line", response: status("HTTP/1.1 20 OK"), expect: PROTOCOL },
  { name: "four-digit status", kind: "status-line", response: status("HTTP/1.1 2000 OK"), expect: PROTOCOL },
  { name: "status glued to the reason", kind: "status-line", response: status("HTTP/1.1 200OK"), expect: PROTOCOL },
  { name: "status not numeric", kind: "status-line", response: status("HTTP/1.1 2x0 OK"), expect: PROTOCOL },
  { name: "no reason phrase", kind: "status-line", response: status("HTTP/1.1 404"), expect: ok(404, 2) },
  { name: "empty reason phrase", kind: "status-line", response: status("HTTP/1.1 404 "), expect: ok(404, 2) },
  { name: "reason phrase with obs-text", kind: "status-line", response: status("HTTP/1.1 200 Gr\u00fc\u00dfe"), expect: ok(200, 2) },
  { name: "reason phrase with a tab", kind: "status-line", response: status("HTTP/1.1 200 O\tK"), expect: ok(200, 2) },
  { name: "reason phrase with NUL", kind: "status-line", response: status("HTTP/1.1 200 O\u0000K"), expect: PROTOCOL },
  { name: "bare CR after the status line (issue 17)", kind: "status-line", response: "HTTP/1.1 200 OK\rContent-Length: 2\r\n\r\nok", expect: PROTOCOL },
  { name: "bare CR inside the reason phrase", kind: "status-line", response: status("HTTP/1.1 200 O\rK"), expect: PROTOCOL },
  { name: "lower-case http", kind: "status-line", response: status("http/1.1 200 OK"), expect: PROTOCOL },
  { name: "HTTP/2 status line", kind: "status-line", response: status("HTTP/2 200 OK"), expect: PROTOCOL },
  { name: "HTTP/2.0 status line", kind: "status-line", response: status("HTTP/2.0 200 OK"), expect: PROTOCOL },
  { name: "HTTP/11", kind: "status-line", response: status("HTTP/11 200 OK"), expect: PROTOCOL },
  { name: "HTTP/1.x", kind: "status-line", response: status("HTTP/1.x 200 OK"), expect: PROTOCOL },
  { name: "two spaces before the status", kind: "status-line", response: status("HTTP/1.1  200 OK"), expect: PROTOCOL },
  { name: "tab before the status", kind: "status-line", response: status("HTTP/1.1\t200 OK"), expect: PROTOCOL },
  { name: "leading space", kind: "status-line", response: status(" HTTP/1.1 200 OK"), expect: PROTOCOL },
  { name: "ICY 200 OK", kind: "status-line", response: status("ICY 200 OK"), expect: PROTOCOL },
  { name: "not HTTP at all", kind: "status-line", response: "SMTP ready\r\n\r\n", expect: PROTOCOL },
  { name: "HTTP/1.9 is read as 1.x", kind: "status-line", response: status("HTTP/1.9 200 OK"), expect: ok(200, 2) },
  { name: "empty line before the status line (issue 17)", kind: "status-line", response: "\r\n" + FINAL, expect: ok(200, 2) },
  { name: "three empty lines before the status line", kind: "status-line", response: "\r\n\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "bare LF before the status line", kind: "status-line", response: "\n" + FINAL, expect: ok(200, 2) },
  { name: "bare CR before the status line", kind: "status-line", response: "\r" + FINAL, expect: PROTOCOL },
  { name: "CR CR LF before the status line", kind: "status-line", response: "\r\r\n" + FINAL, expect: PROTOCOL },
  { name: "status line ended by LF", kind: "status-line", response: "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok", expect: ok(200, 2) },
  { name: "status line only, then the blank line", kind: "status-line", response: "HTTP/1.1 200 OK\r\n\r\nbody", close: true, expect: ok(200, 4, false) },
];

const headerSyntax: CorpusCase[] = [
  { name: "obs-fold continuing Content-Length (issue 17)", kind: "header-syntax", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n 0\r\n\r\nhello", expect: PROTOCOL },
  { name: "obs-fold with a tab", kind: "header-syntax", response: "HTTP/1.1 200 OK\r\nX-A: 1\r\n\t2\r\nContent-Length: 2\r\n\r\nok", expect: PROTOCOL },
  { name: "obs-fold in an unrelated header", kind: "header-syntax", response: "HTTP/1.1 200 OK\r\nX-A: 1\r\n  more\r\nContent-Length: 2\r\n\r\nok", expect: PROTOCOL },
  { name: "whitespace before the first header", kind: "header-syntax", response: "HTTP/1.1 200 OK\r\n Content-Length: 2\r\n\r\nok", expect: PROTOCOL },
  { name: "space before the colon", kind: "header-syntax", response: header("Content-Length : 2").replace("\r\nContent-Length: 2", ""), expect: PROTOCOL },
  { name: "tab before the colon", kind: "header-syntax", response: header("X-A\t: 1"), expect: PROTOCOL },
  { name: "no colon", kind: "header-syntax", response: header("broken header"), expect: PROTOCOL },
  { name: "empty field name", kind: "header-syntax", response: header(": value"), expect: PROTOCOL },
  { name: "field name with a parenthesis", kind: "header-syntax", response: header("X(a): 1"), expect: PROTOCOL },
  { name: "field name with a slash", kind: "header-syntax", response: header("X/a: 1"), expect: PROTOCOL },
  { name: "field name with obs-text", kind: "header-syntax", response: header("X-\u00e9: 1"), expect: PROTOCOL },
  { name: "field value with NUL", kind: "header-syntax", response: header("X-A: a\u0000b"), expect: PROTOCOL },
  { name: "field value with DEL", kind: "header-syntax", response: header("X-A: a\u007fb"), expect: PROTOCOL },
  { name: "field value with a vertical tab", kind: "header-syntax", response: header("X-A: a\u000bb"), expect: PROTOCOL },
  { name: "field value with ESC", kind: "header-syntax", response: header("X-A: a\u001bb"), expect: PROTOCOL },
  { name: "field value with a bare CR (issue 17)", kind: "header-syntax", response: header("X-A: a\rb"), expect: PROTOCOL },
  { name: "field value ending in CR CR LF", kind: "header-syntax", response: header("X-A: a\r"), expect: PROTOCOL },
  { name: "field value with obs-text", kind: "header-syntax", response: header("X-A: caf\u00e9"), expect: ok(200, 2) },
  { name: "field value with tabs", kind: "header-syntax", response: header("X-A:\ta\tb\t"), expect: ok(200, 2) },
  { name: "empty field value", kind: "header-syntax", response: header("X-Empty:"), expect: ok(200, 2) },
  { name: "field value of colons", kind: "header-syntax", response: header("X-A: ::"), expect: ok(200, 2) },
  { name: "token characters in a name", kind: "header-syntax", response: header("X!#$%&'*+-.^_`|~1: 1"), expect: ok(200, 2) },
  { name: "500 header lines", kind: "header-syntax", response: "HTTP/1.1 200 OK\r\n" + "X-N: 1\r\n".repeat(500) + "Content-Length: 2\r\n\r\nok", expect: ok(200, 2) },
  { name: "Set-Cookie and Location", kind: "header-syntax", response: "HTTP/1.1 302 Found\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n", expect: ok(302, 0) },
  { name: "a CR-only blank line", kind: "header-syntax", response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\rok", expect: PROTOCOL },
];

const headSize = (total: number) => {
  // A head of exactly `total` bytes: status line, one padded header, Content-Length, blank line.
  const fixed = "HTTP/1.1 200 OK\r\nX-Pad: \r\nContent-Length: 2\r\n\r\n".length;
  return `HTTP/1.1 200 OK\r\nX-Pad: ${"p".repeat(total - fixed)}\r\nContent-Length: 2\r\n\r\nok`;
};
const sizes: CorpusCase[] = [
  { name: "head of 60 KB", kind: "head-size", response: headSize(60_000), expect: ok(200, 2) },
  { name: "head of exactly 64 KiB", kind: "head-size", response: headSize(65_536), expect: ok(200, 2) },
  { name: "head of 64 KiB + 1 (issue 17)", kind: "head-size", response: headSize(65_537), expect: PROTOCOL },
  { name: "head of 70 KB (issue 17)", kind: "head-size", response: headSize(70_000), expect: PROTOCOL },
  { name: "head of 64 KiB after empty lines", kind: "head-size", response: "\r\n".repeat(10) + headSize(65_536), expect: PROTOCOL },
  { name: "64 KiB of empty lines", kind: "head-size", response: "\r\n".repeat(40_000) + FINAL, expect: PROTOCOL },
  { name: "trailer section over 64 KiB", kind: "head-size", response: chunked("5\r\nhello\r\n0\r\nX-T: " + "t".repeat(66_000) + "\r\n\r\n"), expect: PROTOCOL },
];

const interim: CorpusCase[] = [
  { name: "100 Continue, then 200", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "two 100s, then 200", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "103 Early Hints with headers, then 200", kind: "interim", response: "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "102, 103, then 404", kind: "interim", response: "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", expect: ok(404, 2) },
  { name: "199, then 200", kind: "interim", response: "HTTP/1.1 199 Whatever\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "100 without a reason phrase", kind: "interim", response: "HTTP/1.1 100\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "empty line after a 100 (issue 17)", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", expect: ok(404, 2) },
  { name: "two empty lines after a 100", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n\r\n\n" + FINAL, expect: ok(200, 2) },
  { name: "100 with Content-Length: no body of its own", kind: "interim", response: "HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "100 with Connection: close does not close", kind: "interim", response: "HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n" + FINAL, expect: ok(200, 2) },
  { name: "100, then a 200 with Connection: close", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", expect: ok(200, 2, false) },
  { name: "100, then HTTP/1.0 200", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", expect: ok(200, 2, false) },
  { name: "100, then chunked 200", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n" + chunked("2\r\nok\r\n0\r\n\r\n"), expect: ok(200, 2) },
  { name: "100, then garbage", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\ngarbage\r\n\r\n", expect: PROTOCOL },
  { name: "100, then a bare CR", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n\r" + FINAL, expect: PROTOCOL },
  { name: "100 with obs-fold", kind: "interim", response: "HTTP/1.1 100 Continue\r\nX-A: 1\r\n 2\r\n\r\n" + FINAL, expect: PROTOCOL },
  { name: "100 with a bare CR", kind: "interim", response: "HTTP/1.1 100 Continue\rX: 1\r\n\r\n" + FINAL, expect: PROTOCOL },
  { name: "100 with status 000 after it", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 000 Zero\r\nContent-Length: 2\r\n\r\nok", expect: PROTOCOL },
  { name: "100 only, then close", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n", close: true, expect: RESET },
  { name: "100 only, connection kept open", kind: "interim", response: "HTTP/1.1 100 Continue\r\n\r\n", expect: TIMEOUT },
  { name: "101 Switching Protocols ends the exchange, not reused", kind: "interim", response: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", expect: ok(101, 0, false) },
];

const leftover: CorpusCase[] = [
  { name: "a second response after a Content-Length body", kind: "leftover", response: withLength(5) + FINAL, expect: ok(200, 5, false) },
  { name: "a second response after a chunked body", kind: "leftover", response: chunked("5\r\nhello\r\n0\r\n\r\n") + FINAL, expect: ok(200, 5, false) },
  { name: "body longer than Content-Length", kind: "leftover", response: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhello", expect: ok(200, 3, false) },
  { name: "CRLF after a Content-Length body", kind: "leftover", response: withLength(5) + "\r\n", expect: ok(200, 5, false) },
  { name: "CRLF after a chunked body", kind: "leftover", response: chunked("5\r\nhello\r\n0\r\n\r\n\r\n"), expect: ok(200, 5, false) },
  { name: "one byte after the response", kind: "leftover", response: withLength(5) + "x", expect: ok(200, 5, false) },
  { name: "a 100 Continue after the response", kind: "leftover", response: FINAL + "HTTP/1.1 100 Continue\r\n\r\n", expect: ok(200, 2, false) },
  { name: "a second response after Content-Length 0", kind: "leftover", response: withLength(0) + FINAL, expect: ok(200, 0, false) },
  { name: "a second response after a 100 and a response", kind: "leftover", response: "HTTP/1.1 100 Continue\r\n\r\n" + FINAL + FINAL, expect: ok(200, 2, false) },
  { name: "garbage after the response", kind: "leftover", response: FINAL + "garbage", expect: ok(200, 2, false) },
];

const noBody: CorpusCase[] = [
  { name: "HEAD with Content-Length, no body", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", expect: ok(200, 0) },
  { name: "HEAD with a body anyway", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", expect: ok(200, 0, false) },
  { name: "HEAD with chunked, no body", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", expect: ok(200, 0) },
  { name: "HEAD with chunked and a last chunk anyway", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", expect: ok(200, 0, false) },
  { name: "HEAD with neither length nor chunked", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\n\r\n", expect: ok(200, 0) },
  { name: "HEAD answered 404 with Content-Length", kind: "no-body", head: true, response: "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n", expect: ok(404, 0) },
  { name: "HEAD with an invalid Content-Length", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", expect: PROTOCOL },
  { name: "HEAD with both Content-Length and chunked: not reused", kind: "no-body", head: true, response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", expect: ok(200, 0, false) },
  { name: "204 with both Content-Length and chunked: not reused", kind: "no-body", response: "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", expect: ok(204, 0, false) },
  { name: "HEAD after a 100", kind: "no-body", head: true, response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", expect: ok(200, 0) },
  { name: "204 with Content-Length, no body", kind: "no-body", response: "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", expect: ok(204, 0) },
  { name: "204 with a body anyway", kind: "no-body", response: "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", expect: ok(204, 0, false) },
  { name: "204 with chunked, no body", kind: "no-body", response: "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", expect: ok(204, 0) },
  { name: "204 with a chunked body anyway", kind: "no-body", response: "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", expect: ok(204, 0, false) },
  { name: "204 with neither", kind: "no-body", response: "HTTP/1.1 204 No Content\r\n\r\n", expect: ok(204, 0) },
  { name: "204 with Connection: close", kind: "no-body", response: "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", expect: ok(204, 0, false) },
  { name: "304 with Content-Length, no body", kind: "no-body", response: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", expect: ok(304, 0) },
  { name: "304 with a body anyway", kind: "no-body", response: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello", expect: ok(304, 0, false) },
  { name: "304 with chunked, no body", kind: "no-body", response: "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", expect: ok(304, 0) },
  { name: "304 with neither", kind: "no-body", response: "HTTP/1.1 304 Not Modified\r\n\r\n", expect: ok(304, 0) },
  { name: "205 keeps its Content-Length framing", kind: "no-body", response: "HTTP/1.1 205 Reset Content\r\nContent-Length: 5\r\n\r\nhello", expect: ok(205, 5) },
  { name: "200 with Content-Length 0 and a body anyway", kind: "no-body", response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nhello", expect: ok(200, 0, false) },
];

export const CORPUS: readonly CorpusCase[] = [...framing, ...chunking, ...clte, ...statusLines, ...headerSyntax, ...sizes, ...interim, ...leftover, ...noBody];

/** The bytes of a case, as served. */
export function caseBytes(c: CorpusCase): Uint8Array {
  return new Uint8Array(Buffer.from(c.response, "latin1"));
}
