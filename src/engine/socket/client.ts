// One VU's HTTP/1.1 client: a single keep-alive connection, one request in flight, one promise per send.
import type { SocketHandler } from "bun";
import { classifyStatus, type ErrorClass, type HttpClient, type PreparedRequest, type RequestResult } from "../types.ts";
import type { WireCache, WireRequest } from "./builder.ts";
import { Connection, openConnection, type ConnectionOwner } from "./connection.ts";
import { classifyErrorCode, errorCode } from "./errors.ts";
import { COMPLETE, INVALID, MORE, ResponseParser } from "./parser.ts";

/** What every client of one engine shares. */
export interface SocketClientContext {
  readonly wires: WireCache;
  readonly handlers: SocketHandler<Connection>;
}

/**
 * Sends one request at a time over one connection, reconnecting when the server closed it.
 * The returned result object is reused by the next send.
 *
 * - A request that finds the connection closed before any response byte, on a connection that
 *   already served a response, is sent once more on a fresh connection (the idle-close race).
 *   Its durationUs still starts at the first write, and `connected` is true.
 * - Timeout (request.timeout ms): error "timeout", the connection is dropped.
 * - Abort through the signal, or close() during a send: error "other", status 0; callers
 *   ignore results of aborted sends.
 * - A connection serves one origin: a request to another origin replaces it.
 */
export class SocketClient implements HttpClient, ConnectionOwner {
  private readonly result: RequestResult = { status: 0, durationUs: 0, bytesIn: 0, bytesOut: 0, error: null, connected: false };
  private readonly parser = new ResponseParser();
  private conn: Connection | null = null;
  private wire: WireRequest | null = null;
  private inFlight = false;
  private started = 0;
  private gotResponseByte = false;
  private retried = false;
  private resolve: ((result: RequestResult) => void) | null = null;
  private readonly executor = (resolve: (result: RequestResult) => void): void => {
    this.resolve = resolve;
  };
  // One timer per client, re-armed with refresh(): a fire with nothing in flight is a leftover and is ignored.
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerMs = 0;
  private readonly onTimer = (): void => {
    if (this.inFlight) this.fail("timeout");
  };
  // The signal stays subscribed between sends: VU loops pass the same run signal every time.
  private signal: AbortSignal | null = null;
  private readonly onAbort = (): void => {
    if (this.inFlight) this.fail("other");
  };

  constructor(private readonly context: SocketClientContext) {}

  send(request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult> {
    if (this.inFlight) throw new Error("HttpClient.send: the previous request has not finished");
    const wire = this.context.wires.get(request);
    const r = this.result;
    r.status = 0;
    r.durationUs = 0;
    r.bytesIn = 0;
    r.bytesOut = 0;
    r.error = null;
    r.connected = false;
    if (signal !== undefined) {
      if (signal.aborted) {
        r.error = "other";
        return Promise.resolve(r);
      }
      this.watch(signal);
    }
    this.inFlight = true;
    this.wire = wire;
    this.retried = false;
    this.gotResponseByte = false;
    this.parser.reset(wire.head);
    const promise = new Promise<RequestResult>(this.executor);
    this.armTimer(request.timeout);
    this.started = performance.now();
    const conn = this.conn;
    if (conn !== null && conn.origin === wire.origin) {
      this.write(conn);
    } else {
      if (conn !== null) this.drop(conn, true);
      this.connect(wire);
    }
    return promise;
  }

  close(): void {
    if (this.inFlight) this.fail("other");
    if (this.conn !== null) this.drop(this.conn, true);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.unwatch();
  }

  onOpen(conn: Connection): void {
    if (conn === this.conn && this.inFlight) this.write(conn);
  }

  onData(conn: Connection, chunk: Uint8Array): void {
    if (conn !== this.conn) return;
    if (!this.inFlight) {
      // Bytes nobody asked for (say, a 408 before an idle close): the connection is no longer in step.
      this.drop(conn, false);
      return;
    }
    this.gotResponseByte = true;
    this.result.bytesIn += chunk.length;
    const state = this.parser.feed(chunk);
    if (state === MORE) return;
    if (state === INVALID) {
      this.fail("other");
      return;
    }
    conn.responses++;
    if (!this.parser.keepAlive || this.parser.trailing > 0 || conn.writing) this.drop(conn, true);
    this.complete();
  }

  onDrain(conn: Connection): void {
    if (conn !== this.conn || !this.inFlight) return;
    const n = conn.flush();
    if (n < 0) this.lost(conn);
    else this.result.bytesOut += n;
  }

  onClose(conn: Connection): void {
    if (conn !== this.conn) return;
    this.conn = null;
    if (this.inFlight) this.lost(conn);
  }

  onConnectError(conn: Connection, error: Error): void {
    if (conn !== this.conn) return;
    this.conn = null;
    if (this.inFlight) this.fail(classifyErrorCode(errorCode(error)));
  }

  private connect(wire: WireRequest): void {
    this.result.connected = true;
    this.conn = openConnection(this, wire, this.context.handlers);
  }

  private write(conn: Connection): void {
    const n = conn.write(this.wire!.bytes);
    if (n < 0) {
      this.drop(conn, false);
      this.lost(conn);
      return;
    }
    this.result.bytesOut += n;
  }

  /** The connection ended with the request in flight. */
  private lost(conn: Connection): void {
    if (this.parser.finishAtEof()) {
      this.complete(); // a body delimited by the close
      return;
    }
    if (!this.gotResponseByte && conn.responses > 0 && !this.retried) {
      this.retried = true;
      this.parser.reset(this.wire!.head);
      this.connect(this.wire!);
      return;
    }
    this.fail(conn.tls && !conn.open ? "tls" : "reset");
  }

  private complete(): void {
    const r = this.result;
    r.status = this.parser.status;
    r.error = classifyStatus(r.status);
    this.settle();
  }

  private fail(error: ErrorClass): void {
    const conn = this.conn;
    if (conn !== null) this.drop(conn, false);
    this.result.status = 0;
    this.result.error = error;
    this.settle();
  }

  private settle(): void {
    const r = this.result;
    r.durationUs = Math.round((performance.now() - this.started) * 1000);
    this.inFlight = false;
    this.wire = null;
    const resolve = this.resolve!;
    this.resolve = null;
    resolve(r);
  }

  private drop(conn: Connection, polite: boolean): void {
    if (this.conn === conn) this.conn = null;
    if (polite) conn.end();
    else conn.destroy();
  }

  private armTimer(ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms)) {
      // No timeout for this request: a timer left armed by an earlier one must not fire into it.
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    if (this.timer !== null && this.timerMs === ms) {
      this.timer.refresh();
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(this.onTimer, ms);
    this.timerMs = ms;
  }

  private watch(signal: AbortSignal): void {
    if (signal === this.signal) return;
    this.unwatch();
    signal.addEventListener("abort", this.onAbort);
    this.signal = signal;
  }

  private unwatch(): void {
    if (this.signal === null) return;
    this.signal.removeEventListener("abort", this.onAbort);
    this.signal = null;
  }
}
