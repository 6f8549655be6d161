// One VU's HTTP/2 client: a stream per request on its own (or a shared) connection, measured from the intended start.
import { nodeHttp2 } from "../../core/builtins.ts";
import type { ClientHttp2Stream, IncomingHttpHeaders, SecureClientSessionOptions } from "node:http2";
import { bodyForChecks } from "../compression.ts";
import { LookupResponse } from "../response.ts";
import { nodeTlsOptions, type TlsSettings } from "../tls.ts";
import { classifyStatus, emptyResult, type ErrorClass, type HttpClient, type PreparedRequest, type RequestResult } from "../types.ts";
import type { Negotiated } from "./alpn.ts";
import type { H2Connection } from "./connection.ts";
import { classifyH2Error } from "./errors.ts";
import { ownConnections, type ConnectionSource } from "./pool.ts";
import { buildRequestHead, FRAME_HEADER, responseHeadSize, type H2RequestHead } from "./request-head.ts";

export interface H2Context {
  readonly tls: TlsSettings;
  /** Connections shared by every client, or null: each client owns its own. */
  readonly shared: ConnectionSource | null;
  readonly heads: WeakMap<PreparedRequest, H2RequestHead>;
  /** `http: auto`: what an https origin negotiates; null for `http: "2"` (always h2, h2c over http://). */
  readonly negotiate: ((origin: string, hostname: string, port: number) => Promise<Negotiated>) | null;
  /** For `auto` when the origin speaks only HTTP/1.1: a client of the plan's HTTP/1.1 engine. */
  readonly fallback: (() => HttpClient) | null;
}

/** A stream that was never processed (beyond a graceful GOAWAY's last stream id): sent again once, on a new connection. */
const RETRY = Symbol("retry");
type Outcome = typeof RETRY | undefined;

const NO_BODY = new Uint8Array(0);

export class H2Client implements HttpClient {
  private readonly result: RequestResult = emptyResult();
  private own: ConnectionSource | null = null;
  private fallbackClient: HttpClient | null = null;
  /** The signal this client listens to (VU loops pass the run's signal every time): one listener, not one per request. */
  private signal: AbortSignal | null = null;
  /** Ends the exchange in flight; called when the signal aborts. */
  private abortInFlight: (() => void) | null = null;
  private readonly onAbort = (): void => this.abortInFlight?.();

  constructor(private readonly ctx: H2Context) {}

  async send(request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult> {
    const head = this.head(request);
    // an ALPN probe (once per origin) is part of the first request's time, like a connect
    const started = performance.now();
    if (this.ctx.negotiate !== null) {
      const protocol = head.secure ? await this.ctx.negotiate(head.origin, head.hostname, head.port) : "http/1.1";
      if (protocol === "http/1.1" && this.ctx.fallback !== null) return (this.fallbackClient ??= this.ctx.fallback()).send(request, signal);
    }
    const r = this.result;
    r.status = 0;
    r.bytesIn = 0;
    r.bytesDecoded = 0;
    r.bytesOut = 0;
    r.error = null;
    r.errorDetail = null;
    r.connected = false;
    r.setCookies = null;
    r.location = null;
    r.response = null;
    if (signal?.aborted) {
      r.error = "other";
      r.durationUs = 0;
      return r;
    }
    const deadline = started + (request.timeout > 0 ? request.timeout : 2 ** 31 - 1);
    if (signal !== undefined && signal !== this.signal) {
      this.signal?.removeEventListener("abort", this.onAbort);
      this.signal = signal;
      signal.addEventListener("abort", this.onAbort);
    }
    const source = this.ctx.shared ?? (this.own ??= ownConnections());
    for (let attempt = 0; attempt < 2; attempt++) {
      const { conn, fresh } = source.get(head.origin, () => this.sessionOptions(head));
      if (fresh) r.connected = true;
      const outcome = await this.exchange(conn, head, request, deadline, signal);
      if (outcome !== RETRY) break;
      if (attempt === 1) {
        r.error = "protocol";
        r.status = 0;
      }
    }
    r.durationUs = Math.round((performance.now() - started) * 1000);
    return r;
  }

  close(): void {
    this.signal?.removeEventListener("abort", this.onAbort);
    this.signal = null;
    this.own?.close();
    this.own = null;
    this.fallbackClient?.close();
  }

  private head(request: PreparedRequest): H2RequestHead {
    let head = this.ctx.heads.get(request);
    if (head === undefined) {
      head = buildRequestHead(request);
      this.ctx.heads.set(request, head);
    }
    return head;
  }

  private sessionOptions(head: H2RequestHead): SecureClientSessionOptions {
    return head.secure ? { ...nodeTlsOptions(this.ctx.tls, head.hostname), ALPNProtocols: ["h2"] } : {};
  }

  /** One stream: waits for the connection and a stream slot, sends, reads the response. */
  private exchange(conn: H2Connection, head: H2RequestHead, request: PreparedRequest, deadline: number, signal: AbortSignal | undefined): Promise<Outcome> {
    const self = this;
    const r = this.result;
    return new Promise<Outcome>((resolve) => {
      let finished = false;
      let stream: ClientHttp2Stream | null = null;
      let waiter: (() => void) | null = null;
      let headers: IncomingHttpHeaders | null = null;
      let ended = false;
      let streamError: unknown = null;
      let bodyBytes = 0;
      let frames = 0;
      const keep = request.capture === true || (request.compression !== undefined && request.compression !== "none");
      const chunks: Uint8Array[] = [];

      const finish = (error: ErrorClass | null, outcome?: Outcome, detail: string | null = null): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        self.abortInFlight = null;
        if (waiter !== null) conn.dropWaiter(waiter);
        if (stream !== null) {
          conn.release();
          if (!stream.closed) stream.close(nodeHttp2().constants.NGHTTP2_CANCEL);
        }
        if (outcome !== RETRY) {
          r.error = error;
          r.errorDetail = detail;
        }
        resolve(outcome);
      };
      const timer = setTimeout(() => finish("timeout"), Math.max(0, deadline - performance.now()));
      if (signal !== undefined) this.abortInFlight = () => finish("other");

      const complete = (): void => {
        if (finished) return;
        if (headers === null) {
          const failure = streamError ?? conn.failure;
          if (failure === null) return finish("reset"); // RST_STREAM (Bun reports it as a bare end)
          const code = (failure as { code?: string }).code;
          // beyond a graceful GOAWAY's last stream id, or refused: never processed, safe to send again
          if (code === "ERR_HTTP2_GOAWAY_SESSION" && conn.goawayCode <= 0) return finish(null, RETRY);
          if (conn.goawayCode > 0) return finish("protocol");
          const c = classifyH2Error(failure);
          return finish(c.error, undefined, c.detail);
        }
        const status = Number(headers[":status"]);
        const length = headers["content-length"];
        // a reset mid-body ends the stream quietly in Bun: a short body against its Content-Length tells
        const short = length !== undefined && request.method !== "HEAD" && status !== 304 && Number(length) !== bodyBytes;
        if (!ended || short) {
          const failure = streamError ?? conn.failure;
          if (conn.goawayCode > 0) return finish("protocol");
          return finish(failure === null ? "reset" : classifyH2Error(failure).error);
        }
        r.status = status;
        r.bytesIn = responseHeadSize(headers) + bodyBytes + frames * FRAME_HEADER;
        r.bytesOut = head.bytesOut;
        const cookies = headers["set-cookie"];
        r.setCookies = cookies !== undefined && cookies.length > 0 ? cookies : null;
        const location = headers.location;
        r.location = location ?? null;
        let error = classifyStatus(status);
        if (keep) {
          const body = chunks.length === 0 ? NO_BODY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          const h = headers;
          const encoding = first(h["content-encoding"]);
          const forChecks = bodyForChecks(request, encoding, body, r);
          if (forChecks === null) error = "protocol";
          else if (request.capture) r.response = new LookupResponse(status, (name) => first(h[name.toLowerCase()]), forChecks);
        }
        finish(error);
      };

      const start = (): void => {
        waiter = null;
        if (finished) return;
        if (conn.gone) {
          // lost before this stream began: a new connection (once), or the reason it failed
          if (conn.failure === null) return finish(null, RETRY);
          const c = classifyH2Error(conn.failure);
          return finish(c.error, undefined, c.detail);
        }
        if (!conn.hasSlot()) {
          waiter = start;
          conn.waitForSlot(start);
          return;
        }
        conn.active++;
        try {
          stream = conn.session.request(head.headers, { endStream: request.body === undefined });
        } catch (error) {
          conn.active--;
          stream = null;
          const c = classifyH2Error(error);
          return finish(c.error, undefined, c.detail);
        }
        const s = stream;
        s.on("response", (h) => {
          headers = h;
        });
        s.on("data", (chunk: Uint8Array) => {
          bodyBytes += chunk.length;
          frames++;
          if (keep) chunks.push(chunk);
        });
        s.on("end", () => {
          ended = true;
        });
        s.on("error", (error) => {
          streamError = error;
        });
        s.on("close", complete);
        if (request.body !== undefined) s.end(request.body);
      };

      conn.ready.then(start, (error: unknown) => {
        const c = classifyH2Error(error);
        finish(c.error, undefined, c.detail);
      });
    });
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
