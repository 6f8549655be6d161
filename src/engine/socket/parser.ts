// Incremental HTTP/1.1 response parser over byte chunks: it frames responses and never decodes the body.
import { ChunkSizeLine, TrailerSection } from "./chunked.ts";
import { BARE_CR, findHeadEnd, MAX_HEAD, parseHead, readHead, type Head } from "./head.ts";
import { KnownHead } from "./known-head.ts";

export { MAX_HEAD };

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

// Where the empty lines a robust client skips before a status line are (RFC 9112 §2.2).
const IN_HEAD = 0;
const LEAD_LINE = 1;
const LEAD_CR = 2;

/**
 * A parser compares each whole head with the last one it read (KnownHead) while they keep matching; after this many
 * heads in a row that did not, it compares and learns only every KNOWN_HEAD_RETRY-th head: a server that sends a
 * different head every time (a request id, a cookie) costs one compare in 64, not one a response.
 */
const KNOWN_HEAD_TRIES = 4;
const KNOWN_HEAD_RETRY = 64;

/** Checks and extraction see at most this much of a body; the rest is counted, not kept. */
export const MAX_CAPTURE = 8 * 1024 * 1024;

/**
 * One parser per connection, reset before each request. Bodies are skipped by counting; the head,
 * chunk-size lines and trailers are read byte by byte, never turned into strings, and held to RFC 9112:
 * whatever a strict client would not accept is INVALID (the caller drops the connection), and the outcome
 * is the same however the bytes are cut into chunks.
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
  // made at the first chunked response: a VU whose target never chunks does not carry them (memory per VU)
  private sizeLine: ChunkSizeLine | null = null;
  private trailers: TrailerSection | null = null;
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
  /** The last whole head read, to recognise the next; null before the first (or when it had Set-Cookie). */
  private known: KnownHead | null = null;
  /** Heads read since `known` last matched. */
  private sinceKnown = 0;
  /** Capture mode (a step with checks or extraction): the final head and the de-chunked body are kept. */
  private capturing = false;
  private capturedHead: Uint8Array | null = null;
  /** capture mode only, made on first use */
  private bodyParts: Uint8Array[] | null = null;
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
    const parts = this.bodyParts ?? [];
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

  /**
   * Lets go of the last head read (KnownHead): for a parser that stays with a thinking VU because it kept a response
   * (checks, extraction), so that 50,000 of them do not each hold a copy of a head until their next request.
   */
  forgetHead(): void {
    this.known = null;
    this.sinceKnown = 0;
  }

  reset(headRequest: boolean, capture = false): void {
    this.capturing = capture;
    if (this.capturedHead !== null) {
      this.capturedHead = null;
      this.bodyParts = null;
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
        case CHUNK_SIZE: {
          const line = this.sizeLine!;
          i = line.feed(chunk, i);
          if (i < 0) return INVALID;
          if (!line.done) break;
          if (line.size === 0) {
            (this.trailers ??= new TrailerSection()).reset();
            this.phase = TRAILERS;
          } else {
            this.remaining = line.size;
            this.phase = CHUNK_DATA;
          }
          break;
        }
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
          i = this.trailers!.feed(chunk, i);
          if (i < 0) return INVALID;
          if (this.trailers!.done) this.phase = DONE;
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
    if (this.headLength === 0) {
      // The common case, a whole head in this chunk: the same bytes as the last head read (readHead's outcome depends
      // on them alone), or else read in one pass. Anything else (a head cut by the chunk's end, or malformed) goes the
      // general way below, which decides it the same however the bytes were cut.
      const known = this.known;
      const look = known !== null && (this.sinceKnown < KNOWN_HEAD_TRIES || this.sinceKnown % KNOWN_HEAD_RETRY === 0);
      if (look && known.matches(chunk, start) && this.skipped + known.length <= MAX_HEAD) {
        this.sinceKnown = 0;
        known.restore(this.head);
        const end = start + known.length;
        return this.headRead(chunk, start, end) ? end : -1;
      }
      const end = readHead(chunk, start, n, this.head);
      if (end > 0 && this.skipped + (end - start) <= MAX_HEAD) {
        if (known === null || look) this.known = KnownHead.of(chunk, start, end, this.head);
        this.sinceKnown++;
        return this.headRead(chunk, start, end) ? end : -1;
      }
    }
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
    return ok && this.headRead(head, headStart, headEnd) ? end : -1;
  }

  /** A well-formed head was read into this.head, from head[start, end): on to its body, or to the next head after a 1xx. */
  private headRead(head: Uint8Array, start: number, end: number): boolean {
    if (!this.startBody()) return false;
    if (this.phase === HEAD) {
      // an interim 1xx head is no response of its own: empty lines may come again before the next one
      this.lead = LEAD_LINE;
      this.skipped = 0;
    } else if (this.capturing) {
      this.capturedHead = head.slice(start, end);
    }
    return true;
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
    (this.bodyParts ??= []).push(chunk.slice(from, from + take));
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
    (this.sizeLine ??= new ChunkSizeLine()).reset();
  }
}
