// The last head a parser read, kept to recognise the next one byte for byte. A server answering the same request
// sends the same head again (nginx's static file: only its Date changes, once a second), and the same bytes read the
// same way: comparing them costs a quarter of reading them compiled ahead of time and a sixth in JSC's baseline and
// DFG tiers (bench/parser-micro.ts).
import { Buffer } from "node:buffer";
import type { Head } from "./head.ts";

export class KnownHead {
  private constructor(
    /** the head as it arrived, status line to blank line, read well-formed by readHead */
    private readonly bytes: Buffer,
    /** what readHead made of it */
    private readonly fields: Head,
  ) {}

  /**
   * buf[start, end) was read by readHead into `head`: keep a copy of both. Null for a head with Set-Cookie, whose
   * values go to a VU's cookie jar as an array of their own.
   */
  static of(buf: Uint8Array, start: number, end: number, head: Head): KnownHead | null {
    if (head.setCookies !== null) return null;
    return new KnownHead(Buffer.from(buf.subarray(start, end)), { ...head });
  }

  get length(): number {
    return this.bytes.length;
  }

  /** buf holds this head's bytes from start on. */
  matches(buf: Uint8Array, start: number): boolean {
    const bytes = this.bytes;
    const n = bytes.length;
    if (buf.length - start < n) return false;
    // Buffer#compare (memcmp) on the kept copy: 78 ns against 114 for a loop compiled ahead of time, 91 against 400
    // in the baseline and DFG tiers (bench/parser-micro.ts); Buffer#compare called on the chunk costs more (126)
    return bytes.compare(buf, start, start + n) === 0;
  }

  /** Fills `out` as readHead did for these bytes. */
  restore(out: Head): void {
    const f = this.fields;
    out.status = f.status;
    out.minor = f.minor;
    out.contentLength = f.contentLength;
    out.transferEncoding = f.transferEncoding;
    out.chunked = f.chunked;
    out.close = f.close;
    out.keepAlive = f.keepAlive;
    out.setCookies = null;
    out.location = f.location;
  }
}
