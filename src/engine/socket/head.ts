// Reads a response head (status line and the framing headers) straight from bytes, without making strings.

/** What the framing of a response depends on. Filled in place: one object per parser. */
export interface Head {
  status: number;
  /** HTTP/1.x minor version. */
  minor: number;
  /** -1 when absent. */
  contentLength: number;
  transferEncoding: boolean;
  /** The final transfer coding is chunked. */
  chunked: boolean;
  /** Connection: close */
  close: boolean;
  /** Connection: keep-alive (matters for HTTP/1.0 only). */
  keepAlive: boolean;
  /** Set-Cookie values, for the VU's cookie jar; null when there were none (the common case allocates nothing). */
  setCookies: string[] | null;
  /** Location, for following redirects; null when absent. */
  location: string | null;
}

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const COLON = 58;
const COMMA = 44;

/**
 * A response head larger than this is refused, however its bytes arrive (nginx's default
 * large_client_header_buffers is 32 KiB). Empty lines before the status line count; a trailer section has the same limit.
 */
export const MAX_HEAD = 64 * 1024;

// The words the parser looks for, as bytes: compared byte to byte with no string access on the hot path. Read-only.
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const HTTP_1 = ascii("HTTP/1.");
const CONTENT_LENGTH = ascii("content-length");
const TRANSFER_ENCODING = ascii("transfer-encoding");
const CHUNKED = ascii("chunked");
const CONNECTION = ascii("connection");
const SET_COOKIE = ascii("set-cookie");
const LOCATION = ascii("location");
const KEEP_ALIVE = ascii("keep-alive");
const CLOSE = ascii("close");

/** 1 for the bytes of a token (RFC 9110 §5.6.2): field names, chunk extension names. Read-only. */
export const TCHAR: Uint8Array = tokenTable();

function tokenTable(): Uint8Array {
  const table = new Uint8Array(256);
  for (let b = 0x21; b < 0x7f; b++) table[b] = 1;
  for (const c of '"(),/:;<=>?@[\\]{}') table[c.charCodeAt(0)] = 0;
  return table;
}

/** findHeadEnd: the head is malformed. */
export const BARE_CR = -100;

/**
 * Finds the blank line that ends a head: returns the index just past it, or, when the chunk
 * ends first, -(state + 1) where state must be passed back in with the next chunk.
 * state: 0 inside a line, 1 just after LF, 2 after LF CR. Bare LF line ends are accepted.
 * BARE_CR when a line opens with a CR not followed by LF (other bare CRs are refused by parseHead).
 */
export function findHeadEnd(buf: Uint8Array, from: number, to: number, state: number): number {
  let s = state;
  let i = from;
  while (i < to) {
    if (s === 0) {
      // Inside a line only an LF changes the state: skip to it (a third faster than a step per byte).
      while (i < to && buf[i] !== LF) i++;
      if (i === to) break;
      s = 1;
    } else {
      const b = buf[i]!;
      if (b === LF) return i + 1;
      if (s === 2) return BARE_CR; // CR at a line start, not followed by LF: the head can never end well
      s = b === CR ? 2 : 0;
    }
    i++;
  }
  return -(s + 1);
}

/**
 * Parses buf[start, end) — a complete head including its blank line — into out. False if malformed.
 * Strict where framing could be misread (RFC 9112): "HTTP/1.x", a three-digit status 100–599, field
 * names made of token characters right up to the colon, no obs-fold, no control bytes (a CR only
 * right before its LF). Bare LF line ends are accepted, as robust clients do.
 */
export function parseHead(buf: Uint8Array, start: number, end: number, out: Head): boolean {
  return readHead(buf, start, end, out) === end;
}

/**
 * Reads a head from buf[start] on, no further than `to`, in one pass: returns the index just past its blank line,
 * or -1 when buf[start, to) holds no complete, well-formed head (malformed, or `to` came first: the caller cannot
 * tell which, and falls back to findHeadEnd and parseHead). The rules are parseHead's; out is filled either way.
 */
export function readHead(buf: Uint8Array, start: number, to: number, out: Head): number {
  // "HTTP/1.1 200" at least; the reason phrase is optional.
  if (to - start < 13) return -1;
  if (!matchExact(buf, start, HTTP_1) || !isDigit(buf[start + 7]!) || buf[start + 8] !== SP) return -1;
  const d0 = buf[start + 9]!;
  const d1 = buf[start + 10]!;
  const d2 = buf[start + 11]!;
  if (d0 < 49 || d0 > 53 || !isDigit(d1) || !isDigit(d2)) return -1; // 100–599 only: 000 would read as "no response"
  out.status = (d0 - 48) * 100 + (d1 - 48) * 10 + (d2 - 48);
  out.minor = buf[start + 7]! - 48;
  out.contentLength = -1;
  out.transferEncoding = false;
  out.chunked = false;
  out.close = false;
  out.keepAlive = false;
  out.setCookies = null;
  out.location = null;

  const after = buf[start + 12]!;
  if (after !== SP && after !== CR && after !== LF) return -1;
  // The reason phrase is skipped, but may hold no control byte (a bare CR there could hide a header).
  const statusEnd = lineEnd(buf, start + 12, to);
  if (statusEnd < 0) return -1;
  let pos = statusEnd + 1;
  while (pos < to) {
    const first = buf[pos]!;
    if (first === LF) return pos + 1; // the blank line
    if (first === CR) return pos + 1 < to && buf[pos + 1] === LF ? pos + 2 : -1;
    // A field name is 1*tchar right up to the colon: this also refuses obs-fold (a line opening with
    // whitespace), which a client must not read as its own line nor silently drop (RFC 9112 §5.2).
    let colon = pos;
    while (colon < to && TCHAR[buf[colon]!] === 1) colon++;
    if (colon === pos || colon === to || buf[colon] !== COLON) return -1;
    const lf = lineEnd(buf, colon + 1, to);
    if (lf < 0) return -1;
    if (!header(buf, pos, colon, buf[lf - 1] === CR ? lf - 1 : lf, out)) return -1;
    pos = lf + 1;
  }
  return -1;
}

/**
 * The index of the LF ending the line that holds `from`, or -1 when a control byte (other than HT)
 * comes first, a CR not followed by LF included.
 */
function lineEnd(buf: Uint8Array, from: number, to: number): number {
  // Plain loops, not Uint8Array#indexOf: header lines are short, and a native call per line costs more than the scan.
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b >= 32 && b !== 127) continue;
    if (b === LF) return i;
    if (b === CR) return i + 1 < to && buf[i + 1] === LF ? i + 1 : -1;
    if (b !== HT) return -1;
  }
  return -1;
}

// The fields a response's framing and the VU read; every other field is OTHER.
const OTHER = 0;
const CONTENT_LENGTH_FIELD = 1;
const TRANSFER_ENCODING_FIELD = 2;
const CONNECTION_FIELD = 3;
const SET_COOKIE_FIELD = 4;
const LOCATION_FIELD = 5;

/** One field line: name buf[start, colon), value up to end (the line end, CR excluded). */
function header(buf: Uint8Array, start: number, colon: number, end: number, out: Head): boolean {
  // Which field it is, by the name's length first, so that most names cost one compare.
  let field = OTHER;
  switch (colon - start) {
    case 14:
      if (matchLower(buf, start, CONTENT_LENGTH)) field = CONTENT_LENGTH_FIELD;
      break;
    case 17:
      if (matchLower(buf, start, TRANSFER_ENCODING)) field = TRANSFER_ENCODING_FIELD;
      break;
    case 10:
      if (matchLower(buf, start, CONNECTION)) field = CONNECTION_FIELD;
      else if (matchLower(buf, start, SET_COOKIE)) field = SET_COOKIE_FIELD;
      break;
    case 8:
      if (matchLower(buf, start, LOCATION)) field = LOCATION_FIELD;
      break;
  }
  if (field === OTHER) return true; // most lines of a head: their scan was all they cost
  let vs = colon + 1;
  let ve = end;
  while (vs < ve && isSpace(buf[vs]!)) vs++;
  while (ve > vs && isSpace(buf[ve - 1]!)) ve--;
  switch (field) {
    case CONTENT_LENGTH_FIELD:
      return contentLength(buf, vs, ve, out);
    case TRANSFER_ENCODING_FIELD:
      out.transferEncoding = true;
      // The last header line decides: only a final "chunked" coding makes the body chunked.
      out.chunked = ve - vs >= 7 && matchLower(buf, ve - 7, CHUNKED) && (ve - vs === 7 || isDelimiter(buf[ve - 8]!));
      break;
    case CONNECTION_FIELD:
      connection(buf, vs, ve, out);
      break;
    case SET_COOKIE_FIELD:
      (out.setCookies ??= []).push(text(buf, vs, ve));
      break;
    case LOCATION_FIELD:
      out.location = text(buf, vs, ve);
      break;
  }
  return true;
}

function contentLength(buf: Uint8Array, vs: number, ve: number, out: Head): boolean {
  if (vs === ve || ve - vs > 15) return false;
  let value = 0;
  for (let i = vs; i < ve; i++) {
    const b = buf[i]!;
    if (!isDigit(b)) return false;
    value = value * 10 + (b - 48);
  }
  if (out.contentLength >= 0 && out.contentLength !== value) return false;
  out.contentLength = value;
  return true;
}

/** Connection: token, token — looks for "close" and "keep-alive". */
function connection(buf: Uint8Array, vs: number, ve: number, out: Head): void {
  if (ve - vs === 10 && matchLower(buf, vs, KEEP_ALIVE)) {
    out.keepAlive = true; // the common value, alone
    return;
  }
  let ts = vs;
  while (ts < ve) {
    let te = ts;
    while (te < ve && buf[te] !== COMMA) te++;
    let a = ts;
    let b = te;
    while (a < b && isSpace(buf[a]!)) a++;
    while (b > a && isSpace(buf[b - 1]!)) b--;
    if (b - a === 5 && matchLower(buf, a, CLOSE)) out.close = true;
    else if (b - a === 10 && matchLower(buf, a, KEEP_ALIVE)) out.keepAlive = true;
    ts = te + 1;
  }
}

const utf8 = new TextDecoder();

/** A header value as text: made only for the few headers that are read as values. */
function text(buf: Uint8Array, from: number, to: number): string {
  return utf8.decode(buf.subarray(from, to));
}

/** buf at start spells `lower` ignoring ASCII case; `lower` is lower case. */
function matchLower(buf: Uint8Array, start: number, lower: Uint8Array): boolean {
  for (let k = 0; k < lower.length; k++) {
    const b = buf[start + k]!;
    if ((b >= 65 && b <= 90 ? b + 32 : b) !== lower[k]) return false;
  }
  return true;
}

/** buf at start spells `exact`, case included (HTTP-name is case-sensitive). */
function matchExact(buf: Uint8Array, start: number, exact: Uint8Array): boolean {
  for (let k = 0; k < exact.length; k++) if (buf[start + k] !== exact[k]) return false;
  return true;
}

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}

function isSpace(b: number): boolean {
  return b === SP || b === HT;
}

function isDelimiter(b: number): boolean {
  return b === SP || b === HT || b === COMMA;
}
