// The chunked body's own lines (RFC 9112 §7.1): chunk-size lines and the trailer section, checked byte by byte across reads.
import { MAX_HEAD, TCHAR } from "./head.ts";

/** A chunk-size line longer than this is refused: extensions are skipped, but not without end. */
export const MAX_CHUNK_LINE = 16 * 1024;
/** 2^48 bytes is no chunk we will ever see. */
const MAX_CHUNK_SIZE = 2 ** 48;

const SP = 32;
const HT = 9;
const SEMI = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const CR = 13;
const LF = 10;

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

/** One chunk-size line at a time; reset() before each. One per parser: nothing is allocated per response. */
export class ChunkSizeLine {
  /** The chunk's size, once done. */
  size = 0;
  /** The line has ended (its CRLF read). */
  done = false;
  private state = SIZE;
  /** Bytes of the line read in earlier chunks. */
  private length = 0;

  reset(): void {
    this.size = 0;
    this.done = false;
    this.state = SIZE;
    this.length = 0;
  }

  /**
   * 1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) CRLF, byte by byte across chunks;
   * anything else is malformed (RFC 9112 §7.1). Extensions are checked, never kept.
   */
  feed(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    let state = this.state;
    const from = i;
    for (; i < n; i++) {
      const b = chunk[i]!;
      switch (state) {
        case SIZE: {
          const d = hexValue(b);
          if (d >= 0) {
            this.size = this.size * 16 + d;
            if (this.size > MAX_CHUNK_SIZE) return -1;
          } else if (i === from && this.length === 0) return -1; // no digit at all
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
          if (b !== LF || this.length + (i - from) > MAX_CHUNK_LINE) return -1;
          this.done = true;
          return i + 1;
      }
    }
    this.state = state;
    this.length += n - from;
    return this.length > MAX_CHUNK_LINE ? -1 : n;
  }
}

/** The trailer section after the last chunk; reset() before each. */
export class TrailerSection {
  /** The empty line that ends the section has been read. */
  done = false;
  private state = TRAILER_START;
  /** Bytes of the section read in earlier chunks. */
  private length = 0;

  reset(): void {
    this.done = false;
    this.state = TRAILER_START;
    this.length = 0;
  }

  /** trailer-section CRLF: field lines as in a head (no obs-fold, no control bytes), then an empty line. */
  feed(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    let state = this.state;
    const from = i;
    for (; i < n; i++) {
      const b = chunk[i]!;
      switch (state) {
        case TRAILER_START:
          if (b === LF) return this.end(i - from, i + 1);
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
          return this.end(i - from, i + 1);
      }
    }
    this.state = state;
    this.length += n - from;
    return this.length > MAX_HEAD ? -1 : n;
  }

  /** The section ended `read` bytes into this chunk: done, if within the same limit as a head. */
  private end(read: number, next: number): number {
    if (this.length + read > MAX_HEAD) return -1;
    this.done = true;
    return next;
  }
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  const lower = b | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}
