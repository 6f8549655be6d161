// One HTTP/2 connection: its session, and the stream slots SETTINGS_MAX_CONCURRENT_STREAMS allows.
import { nodeHttp2 } from "../../core/builtins.ts";
import type { ClientHttp2Session, SecureClientSessionOptions } from "node:http2";

/** Before the server's SETTINGS arrive, at most this many streams are opened (RFC 9113 advises ≥ 100). */
const INITIAL_STREAM_LIMIT = 100;

/**
 * A connection is usable until it closes or the server sends GOAWAY; then new streams go to a new one.
 * Streams beyond the limit wait here, in order, for a slot.
 */
export class H2Connection {
  readonly session: ClientHttp2Session;
  /** Resolves once the connection (and TLS handshake) is up; rejects with the failure. */
  readonly ready: Promise<void>;
  active = 0;
  /** GOAWAY received or closed: no new streams. */
  gone = false;
  /** The error that closed the session, if any. */
  failure: unknown = null;
  /** The GOAWAY's error code, or -1 when none came. */
  goawayCode = -1;
  private readonly waiters: (() => void)[] = [];
  /** The server's stream limit, read when its SETTINGS arrive (the getter builds an object: not per request). */
  private streamLimit = INITIAL_STREAM_LIMIT;

  constructor(authority: string, options: SecureClientSessionOptions) {
    const session = nodeHttp2().connect(authority, options);
    this.session = session;
    this.ready = new Promise<void>((resolve, reject) => {
      session.once("connect", () => resolve());
      session.once("error", reject);
      session.once("close", () => reject(this.failure ?? new Error("connection closed before it opened")));
    });
    this.ready.catch(ignore);
    session.on("error", (error) => {
      this.failure ??= error;
      this.markGone();
    });
    session.on("goaway", (code: number) => {
      this.goawayCode = code;
      this.markGone();
    });
    session.on("close", () => this.markGone());
    // SETTINGS may lower the stream limit mid-run: waiters re-check it; nothing to do when it rises but wake them
    session.on("remoteSettings", () => {
      const max = session.remoteSettings?.maxConcurrentStreams;
      this.streamLimit = max === undefined || max <= 0 ? INITIAL_STREAM_LIMIT : Math.min(max, 2 ** 31);
      this.wakeWaiters();
    });
  }

  /** The server's stream limit, as last announced. */
  limit(): number {
    return this.streamLimit;
  }

  hasSlot(): boolean {
    return this.active < this.limit();
  }

  /** Calls `wake` when a slot may be free (or the connection is gone): callers re-check. */
  waitForSlot(wake: () => void): void {
    this.waiters.push(wake);
  }

  /** Forgets a waiter that gave up (timeout, abort). */
  dropWaiter(resolve: () => void): void {
    const i = this.waiters.indexOf(resolve);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  release(): void {
    this.active--;
    if (this.waiters.length > 0 && this.hasSlot()) this.waiters.shift()!();
  }

  close(): void {
    this.markGone();
    if (!this.session.destroyed) this.session.destroy();
  }

  private markGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    const all = this.waiters.splice(0);
    for (const wake of all) wake();
  }
}

function ignore(): void {}
