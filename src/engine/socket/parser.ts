// Incremental HTTP/1.1 response parser over byte chunks: it frames responses and never decodes the body.
import { BARE_CR, findHeadEnd, parseHead, TCHAR, type Head } from "./head.ts";

/** feed() results. */
export const MORE = 0;
export const COMPLETE = 1;
export const INVALID = -1;
export type FeedResult = typeof MORE | typeof COMPLETE | typeof INVALID;

const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_CR = 4;
const CHUNK_LF = 5;
const TRAILERS = 6;
const UNTIL_CLOSE = 7;
const DONE = 8;

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const SEMI = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

// Where a chunk-size line is (RFC 9112 §7.1):  1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) CRLF
const SIZE = 0; // in the digits
const SIZE_WS = 1; // BWS after the digits or after a value: only ";" may follow
const EXT_WS = 2; // after ";": BWS, then a name
const EXT_NAME = 3;
const NAME_WS = 4; // BWS after a name: "=" or ";" may follow
const VALUE_WS = 5; // after "=": BWS, then a token or a quoted string
const VALUE = 6; // in a token value
const QUOTED = 7;
const QUOTED_ESCAPE = 8;
const QUOTED_END = 9;
const SIZE_CR = 10; // after CR: only LF may follow

// Where a trailer line is: field lines as in the head, then an empty line.
const TRAILER_START = 0;
const TRAILER_NAME = 1;
const TRAILER_VALUE = 2;
const TRAILER_CR = 3; // after a CR ending a field line
const TRAILER_END_CR = 4; // after the CR of the empty line

// Where the empty lines a robust client skips before a status line are (RFC 9112 §2.2).
const IN_HEAD = 0;
const LEAD_LINE = 1;
const LEAD_CR = 2;

/**
 * A response head larger than this is refused, however its bytes arrive (nginx's default
 * large_client_header_buffers is 32 KiB). Empty lines before the status line count; so does a trailer section.
 */
export const MAX_HEAD = 64 * 1024;
/** A chunk-size line longer than this is refused: extensions are skipped, but not without end. */
export const MAX_CHUNK_LINE = 16 * 1024;
/** 2^48 bytes is no chunk we will ever see. */
const MAX_CHUNK_SIZE = 2 ** 48;
/** Checks and extraction see at most this much of a body; the rest is counted, not kept. */
export const MAX_CAPTURE = 8 * 1024 * 1024;

/**
 * One parser per connection, reset before each request. Bodies are skipped by counting;
 * only the head block is looked at byte by byte, and never turned into strings.
 */
export class ResponseParser {
  /** Final status of the response (interim 1xx responses are skipped). */
  status = 0;
  /** False when the connection must not carry another request. */
  keepAlive = true;
  /** Bytes left in the last chunk after the response ended: unexpected, as nothing is pipelined. */
  trailing = 0;

  private phase = HEAD;
  private headRequest = false;
  private remaining = 0;
  private chunkSize = 0;
  /** Position in the chunk-size line (SIZE …) or in the trailer section (TRAILER_…). */
  private lineState = 0;
  private lineLength = 0;
  /** Empty lines before a status line: IN_HEAD once the status line has begun. */
  private lead = LEAD_LINE;
  /** Bytes of empty lines skipped before the head now read; they count toward MAX_HEAD. */
  private skipped = 0;
  /** Only for a head split across chunks (rare): allocated then, so an idle VU holds no buffer. */
  private headBuffer: Uint8Array | null = null;
  private headLength = 0;
  /** Line-end state of the head scan, carried across chunks (see findHeadEnd). */
  private eol = 0;
  private readonly head: Head = {
    status: 0,
    minor: 1,
    contentLength: -1,
    chunked: false,
    transferEncoding: false,
    close: false,
    keepAlive: false,
    setCookies: null,
    location: null,
  };
  /** Capture mode (a step with checks or extraction): the final head and the de-chunked body are kept. */
  private capturing = false;
  private capturedHead: Uint8Array | null = null;
  private bodyParts: Uint8Array[] = [];
  private bodyLength = 0;

  /** Set-Cookie values of the final response, or null. */
  get setCookies(): string[] | null {
    return this.status === 0 ? null : this.head.setCookies;
  }

  /** Location of the final response, or null. */
  get location(): string | null {
    return this.status === 0 ? null : this.head.location;
  }

  /** The kept head and body (capture mode), once the response is complete; null otherwise. */
  captured(): { head: Uint8Array; body: Uint8Array } | null {
    const head = this.capturedHead;
    if (head === null) return null;
    const parts = this.bodyParts;
    let body: Uint8Array;
    if (parts.length === 1) body = parts[0]!;
    else {
      body = new Uint8Array(this.bodyLength);
      let at = 0;
      for (const p of parts) {
        body.set(p, at);
        at += p.length;
      }
    }
    return { head, body };
  }

  reset(headRequest: boolean, capture = false): void {
    this.capturing = capture;
    if (this.capturedHead !== null) {
      this.capturedHead = null;
      this.bodyParts = [];
      this.bodyLength = 0;
    }
    this.status = 0;
    this.keepAlive = true;
    this.trailing = 0;
    this.phase = HEAD;
    this.headRequest = headRequest;
    this.headLength = 0;
    this.eol = 0;
    this.lead = LEAD_LINE;
    this.skipped = 0;
  }

  /** Whether the head of the final response has been read (bytes of its body may follow). */
  get headDone(): boolean {
    return this.phase !== HEAD;
  }

  feed(chunk: Uint8Array): FeedResult {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.phase) {
        case HEAD:
          i = this.feedHead(chunk, i);
          if (i < 0) return INVALID;
          break;
        case LENGTH: {
          const take = Math.min(this.remaining, n - i);
          if (this.capturing) this.keep(chunk, i, i + take);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.phase = DONE;
          break;
        }
        case CHUNK_SIZE:
          i = this.feedChunkSize(chunk, i);
          if (i < 0) return INVALID;
          break;
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, n - i);
          if (this.capturing) this.keep(chunk, i, i + take);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.phase = CHUNK_CR;
          break;
        }
        case CHUNK_CR:
          // chunk-data CRLF, exactly: a looser end would let a chunk of the wrong size pass
          if (chunk[i++] !== CR) return INVALID;
          this.phase = CHUNK_LF;
          break;
        case CHUNK_LF:
          if (chunk[i++] !== LF) return INVALID;
          this.startChunk();
          break;
        case TRAILERS:
          i = this.feedTrailers(chunk, i);
          if (i < 0) return INVALID;
          break;
        case UNTIL_CLOSE:
          if (this.capturing) this.keep(chunk, i, n);
          i = n;
          break;
        default:
          this.trailing = n - i;
          return COMPLETE;
      }
    }
    return this.phase === DONE ? COMPLETE : MORE;
  }

  /** The peer closed the connection: true when that ends the response (a close-delimited body). */
  finishAtEof(): boolean {
    if (this.phase === UNTIL_CLOSE) this.phase = DONE;
    return this.phase === DONE;
  }

  private feedHead(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    const start = this.lead === IN_HEAD ? from : this.skipEmptyLines(chunk, from);
    if (start < 0 || start === n) return start;
    const found = findHeadEnd(chunk, start, n, this.eol);
    if (found === BARE_CR) return -1;
    const end = found < 0 ? n : found;
    if (found < 0) this.eol = -found - 1;
    let ok: boolean;
    let head = chunk;
    let headStart = start;
    let headEnd = end;
    if (this.headLength === 0 && found >= 0) {
      // the same limit as for a head gathered across chunks (appendHead)
      if (this.skipped + (end - start) > MAX_HEAD) return -1;
      ok = parseHead(chunk, start, end, this.head);
    } else {
      if (!this.appendHead(chunk, start, end)) return -1;
      if (found < 0) return n;
      head = this.headBuffer!;
      ok = parseHead(head, 0, this.headLength, this.head);
      headStart = 0;
      headEnd = this.headLength;
      this.headLength = 0;
    }
    this.eol = 0;
    if (!ok || !this.startBody()) return -1;
    if (this.phase === HEAD) {
      // an interim 1xx head is no response of its own: empty lines may come again before the next one
      this.lead = LEAD_LINE;
      this.skipped = 0;
    } else if (this.capturing) {
      this.capturedHead = head.slice(headStart, headEnd);
    }
    return end;
  }

  /** Skips CRLF (or bare LF) lines before a status line; returns where the status line starts, n if not yet, -1 on a bare CR. */
  private skipEmptyLines(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    let lead = this.lead;
    const from = i;
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (lead === LEAD_CR) {
        if (b !== LF) return -1;
        lead = LEAD_LINE;
      } else if (b === CR) {
        lead = LEAD_CR;
      } else if (b !== LF) {
        lead = IN_HEAD;
        break;
      }
    }
    this.lead = lead;
    this.skipped += i - from;
    return this.skipped > MAX_HEAD ? -1 : i;
  }

  /** Keeps body bytes (capture mode) up to MAX_CAPTURE; a copy, as the socket may reuse its buffer. */
  private keep(chunk: Uint8Array, from: number, to: number): void {
    const room = MAX_CAPTURE - this.bodyLength;
    const take = Math.min(room, to - from);
    if (take <= 0) return;
    this.bodyParts.push(chunk.slice(from, from + take));
    this.bodyLength += take;
  }

  private appendHead(chunk: Uint8Array, start: number, end: number): boolean {
    const need = this.headLength + (end - start);
    if (this.skipped + need > MAX_HEAD) return false;
    let buffer = this.headBuffer;
    if (buffer === null || need > buffer.length) {
      const grown = new Uint8Array(Math.min(MAX_HEAD, Math.max(need, 4096, (buffer?.length ?? 0) * 2)));
      if (buffer !== null) grown.set(buffer.subarray(0, this.headLength));
      this.headBuffer = buffer = grown;
    }
    buffer.set(chunk.subarray(start, end), this.headLength);
    this.headLength = need;
    return true;
  }

  /** Chooses how the body is delimited (RFC 9112 §6.3). */
  private startBody(): boolean {
    const h = this.head;
    const status = h.status;
    if (status >= 100 && status < 200 && status !== 101) return true; // interim: the next head follows
    this.status = status;
    this.keepAlive = h.minor >= 1 ? !h.close : h.keepAlive && !h.close;
    if (status === 101) this.keepAlive = false; // we cannot speak whatever it switched to
    // Both framings at once smells of request smuggling, and a transfer coding from an HTTP/1.0 server is
    // faulty framing (RFC 9112 §6.1, §6.3): whatever the body turns out to be, the connection is dropped after it.
    if (h.transferEncoding && (h.contentLength >= 0 || h.minor === 0)) this.keepAlive = false;
    if (this.headRequest || status < 200 || status === 204 || status === 304) {
      this.phase = DONE;
    } else if (h.transferEncoding) {
      if (h.chunked) {
        this.startChunk();
      } else {
        this.phase = UNTIL_CLOSE;
        this.keepAlive = false;
      }
    } else if (h.contentLength > 0) {
      this.remaining = h.contentLength;
      this.phase = LENGTH;
    } else if (h.contentLength === 0) {
      this.phase = DONE;
    } else {
      this.phase = UNTIL_CLOSE;
      this.keepAlive = false;
    }
    return true;
  }

  private startChunk(): void {
    this.phase = CHUNK_SIZE;
    this.chunkSize = 0;
    this.lineState = SIZE;
    this.lineLength = 0;
  }

  /**
   * 1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) CRLF, byte by byte across chunks;
   * anything else is malformed (RFC 9112 §7.1). Extensions are checked, never kept.
   */
  private feedChunkSize(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    let state = this.lineState;
    const from = i;
    for (; i < n; i++) {
      const b = chunk[i]!;
      switch (state) {
        case SIZE: {
          const d = hexValue(b);
          if (d >= 0) {
            this.chunkSize = this.chunkSize * 16 + d;
            if (this.chunkSize > MAX_CHUNK_SIZE) return -1;
          } else if (i === from && this.lineLength === 0) return -1; // no digit at all
          else if (b === CR) state = SIZE_CR;
          else if (b === SEMI) state = EXT_WS;
          else if (b === SP || b === HT) state = SIZE_WS;
          else return -1;
          break;
        }
        case SIZE_WS:
          if (b === SEMI) state = EXT_WS;
          else if (b !== SP && b !== HT) return -1;
          break;
        case EXT_WS:
          if (TCHAR[b] === 1) state = EXT_NAME;
          else if (b !== SP && b !== HT) return -1;
          break;
        case EXT_NAME:
          if (TCHAR[b] === 1) break;
          if (b === CR) state = SIZE_CR;
          else if (b === SEMI) state = EXT_WS;
          else if (b === EQUALS) state = VALUE_WS;
          else if (b === SP || b === HT) state = NAME_WS;
          else return -1;
          break;
        case NAME_WS:
          if (b === SEMI) state = EXT_WS;
          else if (b === EQUALS) state = VALUE_WS;
          else if (b !== SP && b !== HT) return -1;
          break;
        case VALUE_WS:
          if (TCHAR[b] === 1) state = VALUE;
          else if (b === QUOTE) state = QUOTED;
          else if (b !== SP && b !== HT) return -1;
          break;
        case VALUE:
          if (TCHAR[b] === 1) break;
          if (b === CR) state = SIZE_CR;
          else if (b === SEMI) state = EXT_WS;
          else if (b === SP || b === HT) state = SIZE_WS;
          else return -1;
          break;
        case QUOTED:
          // qdtext / quoted-pair (RFC 9110 §5.6.4)
          if (b === QUOTE) state = QUOTED_END;
          else if (b === BACKSLASH) state = QUOTED_ESCAPE;
          else if ((b < 32 && b !== HT) || b === 127) return -1;
          break;
        case QUOTED_ESCAPE:
          if ((b < 32 && b !== HT) || b === 127) return -1;
          state = QUOTED;
          break;
        case QUOTED_END:
          if (b === CR) state = SIZE_CR;
          else if (b === SEMI) state = EXT_WS;
          else if (b === SP || b === HT) state = SIZE_WS;
          else return -1;
          break;
        default: // SIZE_CR
          if (b !== LF || this.lineLength + (i - from) > MAX_CHUNK_LINE) return -1;
          if (this.chunkSize === 0) {
            this.phase = TRAILERS;
            this.lineState = TRAILER_START;
            this.lineLength = 0;
          } else {
            this.remaining = this.chunkSize;
            this.phase = CHUNK_DATA;
          }
          return i + 1;
      }
    }
    this.lineState = state;
    this.lineLength += n - from;
    return this.lineLength > MAX_CHUNK_LINE ? -1 : n;
  }

  /** trailer-section CRLF: field lines as in a head (no obs-fold, no control bytes), then an empty line. */
  private feedTrailers(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    let state = this.lineState;
    const from = i;
    for (; i < n; i++) {
      const b = chunk[i]!;
      switch (state) {
        case TRAILER_START:
          if (b === LF) return this.endTrailers(i - from, i + 1);
          if (b === CR) state = TRAILER_END_CR;
          else if (TCHAR[b] === 1) state = TRAILER_NAME;
          else return -1;
          break;
        case TRAILER_NAME:
          if (b === COLON) state = TRAILER_VALUE;
          else if (TCHAR[b] !== 1) return -1;
          break;
        case TRAILER_VALUE:
          if (b >= 32 && b !== 127) break;
          if (b === LF) state = TRAILER_START;
          else if (b === CR) state = TRAILER_CR;
          else if (b !== HT) return -1;
          break;
        case TRAILER_CR:
          if (b !== LF) return -1;
          state = TRAILER_START;
          break;
        default: // TRAILER_END_CR
          if (b !== LF) return -1;
          return this.endTrailers(i - from, i + 1);
      }
    }
    this.lineState = state;
    this.lineLength += n - from;
    return this.lineLength > MAX_HEAD ? -1 : n;
  }

  /** The trailer section ended `read` bytes into this chunk: within the same limit as a head, the response is done. */
  private endTrailers(read: number, next: number): number {
    if (this.lineLength + read > MAX_HEAD) return -1;
    this.phase = DONE;
    return next;
  }
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  const lower = b | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}
