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
 * Finds the blank line that ends a head: returns the index just past it, or, when the chunk
 * ends first, -(state + 1) where state must be passed back in with the next chunk.
 * state: 0 inside a line, 1 just after LF, 2 after LF CR. Bare LF line ends are accepted.
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
      s = b === CR ? 2 : 0;
    }
    i++;
  }
  return -(s + 1);
}

/** Parses buf[start, end) — a complete head including its blank line — into out. False if malformed. */
export function parseHead(buf: Uint8Array, start: number, end: number, out: Head): boolean {
  // "HTTP/1.1 200" at least; the reason phrase is optional.
  if (end - start < 13) return false;
  if (!matchLower(buf, start, "http/1.") || !isDigit(buf[start + 7]!) || buf[start + 8] !== SP) return false;
  const d0 = buf[start + 9]!;
  const d1 = buf[start + 10]!;
  const d2 = buf[start + 11]!;
  if (!isDigit(d0) || !isDigit(d1) || !isDigit(d2)) return false;
  const after = buf[start + 12]!;
  if (after !== SP && after !== CR && after !== LF) return false;
  out.status = (d0 - 48) * 100 + (d1 - 48) * 10 + (d2 - 48);
  out.minor = buf[start + 7]! - 48;
  out.contentLength = -1;
  out.transferEncoding = false;
  out.chunked = false;
  out.close = false;
  out.keepAlive = false;
  out.setCookies = null;
  out.location = null;

  // Plain loops, not Uint8Array#indexOf: header lines are short, and a native call per line costs more than the scan.
  const statusEnd = indexOfByte(buf, LF, start + 12, end);
  if (statusEnd < 0) return false;
  let pos = statusEnd + 1;
  while (pos < end) {
    const lf = indexOfByte(buf, LF, pos, end);
    if (lf < 0) return false;
    let lineEnd = lf;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
    if (lineEnd === pos) return true; // the blank line
    const first = buf[pos]!;
    if (first !== SP && first !== HT && !header(buf, pos, lineEnd, out)) return false; // obs-fold lines are ignored
    pos = lf + 1;
  }
  return false;
}

function header(buf: Uint8Array, start: number, end: number, out: Head): boolean {
  const colon = indexOfByte(buf, COLON, start, end);
  if (colon < 0) return false;
  let vs = colon + 1;
  let ve = end;
  while (vs < ve && isSpace(buf[vs]!)) vs++;
  while (ve > vs && isSpace(buf[ve - 1]!)) ve--;
  switch (colon - start) {
    case 14:
      if (matchLower(buf, start, "content-length")) return contentLength(buf, vs, ve, out);
      break;
    case 17:
      if (matchLower(buf, start, "transfer-encoding")) {
        out.transferEncoding = true;
        // The last header line decides: only a final "chunked" coding makes the body chunked.
        out.chunked = ve - vs >= 7 && matchLower(buf, ve - 7, "chunked") && (ve - vs === 7 || isDelimiter(buf[ve - 8]!));
      }
      break;
    case 10:
      if (matchLower(buf, start, "connection")) connection(buf, vs, ve, out);
      else if (matchLower(buf, start, "set-cookie")) (out.setCookies ??= []).push(text(buf, vs, ve));
      break;
    case 8:
      if (matchLower(buf, start, "location")) out.location = text(buf, vs, ve);
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
  let ts = vs;
  while (ts < ve) {
    let te = ts;
    while (te < ve && buf[te] !== COMMA) te++;
    let a = ts;
    let b = te;
    while (a < b && isSpace(buf[a]!)) a++;
    while (b > a && isSpace(buf[b - 1]!)) b--;
    if (b - a === 5 && matchLower(buf, a, "close")) out.close = true;
    else if (b - a === 10 && matchLower(buf, a, "keep-alive")) out.keepAlive = true;
    ts = te + 1;
  }
}

const utf8 = new TextDecoder();

/** A header value as text: made only for the few headers that are read as values. */
function text(buf: Uint8Array, from: number, to: number): string {
  return utf8.decode(buf.subarray(from, to));
}

/** The first index of `byte` in buf[from, to), or -1. */
function indexOfByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i;
  return -1;
}

/** buf at start spells `lower` ignoring ASCII case; `lower` is lower case. */
function matchLower(buf: Uint8Array, start: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    const b = buf[start + k]!;
    const l = b >= 65 && b <= 90 ? b + 32 : b;
    if (l !== lower.charCodeAt(k)) return false;
  }
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
