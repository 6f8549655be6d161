// One VU's HTTP/1.1 client: a single keep-alive connection, one request in flight, its result through a promise or a callback.
import type { SocketHandler } from "bun";
import { classifyStatus, emptyResult, type ErrorClass, type HttpClient, type PreparedRequest, type RequestResult } from "../types.ts";
import type { WireCache, WireRequest } from "./builder.ts";
import type { AbortWatch, AbortWatcher } from "./abort-watch.ts";
import { Connection, openConnection, type ConnectionOwner } from "./connection.ts";
import { classifyErrorCode, errorCode } from "./errors.ts";
import { rawResponse } from "../response.ts";
import { bodyForChecks } from "../compression.ts";
import { tlsProblem } from "../tls.ts";
import { COMPLETE, INVALID, MORE, ResponseParser } from "./parser.ts";
import { WakeQueue, type Sleeper } from "../wake-queue.ts";

/** What every client of one engine shares. */
export interface SocketClientContext {
  readonly wires: WireCache;
  readonly handlers: SocketHandler<Connection>;
  /** abort subscriptions of all clients, one listener per signal */
  readonly aborts: AbortWatch;
  /**
   * The executor of every send's promise: it leaves the promise's resolve function in `resolved`, which the
   * sending client takes at once (the executor runs inside the Promise constructor). One function per engine
   * instead of a closure per client (per VU).
   */
  readonly executor: (resolve: (result: RequestResult) => void) => void;
  /** request timeouts of every client, one queue (one timer) per timeout length */
  readonly timeouts: Map<number, WakeQueue>;
  /**
   * Parsers of clients between requests: a thinking VU hands its parser back (~270 bytes with its head record),
   * the next send takes one. 50,000 thinking VUs hold ~13 MB less; a busy engine reuses the same few.
   */
  readonly parsers: ResponseParser[];
  resolved: ((result: RequestResult) => void) | null;
}

/**
 * Sends one request at a time over one connection, reconnecting when the server closed it.
 * The returned result object is reused by the next send.
 *
 * - A request that finds the connection closed before any response byte, on a connection that
 *   already served a response, is sent once more on a fresh connection (the idle-close race).
 *   Its durationUs still starts at the first write, and `connected` is true.
 * - Timeout (request.timeout ms): error "timeout", the connection is dropped.
 * - A malformed response (framing, status line, header syntax): error "protocol", the connection is dropped.
 * - Abort through the signal, or close() during a send: error "other", status 0; callers
 *   ignore results of aborted sends.
 * - A connection serves one origin: a request to another origin replaces it.
 */
export class SocketClient implements HttpClient, ConnectionOwner, AbortWatcher, Sleeper {
  private readonly result: RequestResult = emptyResult();
  /** The request in flight keeps its response's head and body (checks, extraction). */
  private capture = false;
  /** The request in flight: its compression says whether the kept body is decoded. */
  private request: PreparedRequest | null = null;
  /** Why the TLS handshake of the connection in flight failed, in words. */
  private tlsDetail: string | null = null;
  /** the request in flight's parser; a client between requests may have handed it back (idle) */
  private parser: ResponseParser | null = null;
  private conn: Connection | null = null;
  private wire: WireRequest | null = null;
  private inFlight = false;
  private started = 0;
  private gotResponseByte = false;
  private retried = false;
  /** where the request in flight's result goes: its promise's resolve function (send), or the callback (sendThen) */
  private resolve: ((result: RequestResult) => void) | null = null;
  // Timeouts without a timer per request, nor per client: a send parks the client in the engine's queue for its
  // timeout (one timer per timeout length for every client), unless an entry that falls due no later is already
  // there; the entry coming due for a request still in flight with a later deadline arms a timer of the client's
  // own for the rest. A client between requests ends up holding neither (idle VUs keep no timer).
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** performance.now() when `timer` fires */
  private timerAt = 0;
  /** the timeout queue holding this client, and its ticket there */
  private parkedIn: WakeQueue | null = null;
  private ticket = -1;
  /** performance.now() when the request in flight times out; 0 when it has no timeout */
  private deadline = 0;
  // The signal stays subscribed between sends: VU loops pass the same run signal every time.
  private signal: AbortSignal | null = null;

  constructor(private readonly context: SocketClientContext) {}

  send(request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult> {
    if (!this.begin(request, signal)) return Promise.resolve(this.result);
    // the engine's one executor hands the resolve function over synchronously: no closure per client
    const context = this.context;
    const promise = new Promise<RequestResult>(context.executor);
    this.resolve = context.resolved;
    context.resolved = null;
    this.go();
    return promise;
  }

  sendThen(request: PreparedRequest, signal: AbortSignal, callback: (result: RequestResult) => void): void {
    if (!this.begin(request, signal)) {
      callback(this.result);
      return;
    }
    this.resolve = callback;
    this.go();
  }

  /** A send's set-up, up to the first byte: false when its signal had already aborted (the result says so). */
  private begin(request: PreparedRequest, signal: AbortSignal | undefined): boolean {
    if (this.inFlight) throw new Error("HttpClient.send: the previous request has not finished");
    const wire = this.context.wires.get(request);
    const r = this.result;
    r.status = 0;
    r.durationUs = 0;
    r.bytesIn = 0;
    r.bytesOut = 0;
    r.error = null;
    r.connected = false;
    r.setCookies = null;
    r.location = null;
    r.response = null;
    if (signal !== undefined) {
      if (signal.aborted) {
        r.error = "other";
        return false;
      }
      this.watch(signal);
    }
    this.inFlight = true;
    this.wire = wire;
    this.retried = false;
    this.gotResponseByte = false;
    this.request = request;
    this.tlsDetail = null;
    r.bytesDecoded = 0;
    r.errorDetail = null;
    this.capture = request.capture === true || (request.compression !== undefined && request.compression !== "none");
    (this.parser ??= this.context.parsers.pop() ?? new ResponseParser()).reset(wire.head, this.capture);
    return true;
  }

  /** The clock starts and the request goes out, on the open connection to its origin or a new one. */
  private go(): void {
    const wire = this.wire!;
    this.started = performance.now();
    this.armTimer(this.request!.timeout);
    const conn = this.conn;
    if (conn !== null && conn.origin === wire.origin) {
      this.write(conn);
    } else {
      if (conn !== null) this.drop(conn, true);
      this.connect(wire);
    }
  }

  close(): void {
    if (this.inFlight) this.fail("other");
    if (this.conn !== null) this.drop(this.conn, true);
    this.idle();
    this.unwatch();
  }

  /**
   * Between requests (a thinking VU): leave the timeout queue, drop any timer and hand the parser back; the next
   * send parks again and takes a parser. A parser that kept a response (checks, extraction, scripts) stays: its
   * buffers may still be read; it forgets the last head it read.
   */
  idle(): void {
    if (this.inFlight) return;
    if (this.parser !== null && !this.capture) {
      this.context.parsers.push(this.parser);
      this.parser = null;
    }
    this.parser?.forgetHead();
    if (this.parkedIn !== null) this.parkedIn.cancel(this.ticket);
    this.parkedIn = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The timeout queue's entry fell due (Sleeper). */
  wake(): void {
    this.parkedIn = null;
    this.checkDeadline();
  }

  /** The client's own timer fell due. */
  onTimer(): void {
    this.timer = null;
    this.checkDeadline();
  }

  private checkDeadline(): void {
    if (!this.inFlight || this.deadline === 0) return;
    const left = this.deadline - performance.now();
    if (left <= 0) this.fail("timeout");
    else this.setTimer(left);
  }

  /** The send's signal aborted (AbortWatcher). */
  onAbort(): void {
    if (this.inFlight) this.fail("other");
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
    const parser = this.parser!;
    const state = parser.feed(chunk);
    if (state === MORE) return;
    if (state === INVALID) {
      this.fail("protocol"); // a malformed response: the connection is out of step, never reused
      return;
    }
    conn.responses++;
    if (!parser.keepAlive || parser.trailing > 0 || conn.writing) this.drop(conn, true);
    this.complete();
  }

  onDrain(conn: Connection): void {
    if (conn !== this.conn || !this.inFlight) return;
    const n = conn.flush();
    if (n < 0) this.lost(conn);
    else this.result.bytesOut += n;
  }

  onClose(conn: Connection, error?: unknown): void {
    if (conn !== this.conn) return;
    if (conn.tls && !conn.open && error != null) this.tlsDetail = tlsProblem(errorCode(error), (error as Error).message);
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
    if (this.parser!.finishAtEof()) {
      this.complete(); // a body delimited by the close
      return;
    }
    if (!this.gotResponseByte && conn.responses > 0 && !this.retried) {
      this.retried = true;
      this.parser!.reset(this.wire!.head, this.capture);
      this.connect(this.wire!);
      return;
    }
    this.fail(conn.tls && !conn.open ? "tls" : "reset");
    if (conn.tls && !conn.open) this.result.errorDetail = this.tlsDetail ?? "handshake failed";
  }

  private complete(): void {
    const r = this.result;
    const parser = this.parser!;
    r.status = parser.status;
    r.error = classifyStatus(r.status);
    r.setCookies = parser.setCookies;
    r.location = parser.location;
    if (this.capture) {
      const kept = parser.captured();
      r.response = kept === null ? null : rawResponse(r.status, kept.head, kept.body);
      const request = this.request!;
      if (kept !== null && request.compression !== undefined && request.compression !== "none") {
        const body = bodyForChecks(request, r.response!.header("content-encoding"), kept.body, r);
        if (body === null) r.error = "protocol";
        r.response = body === null || !request.capture ? null : rawResponse(r.status, kept.head, body);
      }
    }
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
    // last: a sendThen caller may send its next request from inside its callback
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
      // No timeout for this request: an entry or timer left by an earlier one finds no deadline and stays quiet.
      this.deadline = 0;
      return;
    }
    this.deadline = this.started + ms;
    // Something already due no later than this deadline wakes the client in time: the common case, costing nothing.
    if (this.timer !== null && this.timerAt <= this.deadline) return;
    const parked = this.parkedIn;
    if (parked !== null && parked.pauseMs <= ms) return;
    if (parked !== null) parked.cancel(this.ticket);
    const queues = this.context.timeouts;
    let queue = queues.get(ms);
    if (queue === undefined) queues.set(ms, (queue = new WakeQueue(ms)));
    this.parkedIn = queue;
    this.ticket = queue.park(this);
  }

  private setTimer(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(fireTimer, ms, this);
    this.timerAt = performance.now() + ms;
  }

  private watch(signal: AbortSignal): void {
    if (signal === this.signal) return;
    this.unwatch();
    this.context.aborts.add(signal, this);
    this.signal = signal;
  }

  private unwatch(): void {
    if (this.signal === null) return;
    this.context.aborts.remove(this.signal, this);
    this.signal = null;
  }
}

/** One timer callback for every client (the client rides as the timer's argument): no closure per VU. */
function fireTimer(client: SocketClient): void {
  client.onTimer();
}
