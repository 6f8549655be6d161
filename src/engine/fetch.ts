// The fetch engine: the same interface on Bun's fetch, for what the socket client does not speak.
import { classifyStatus, emptyResult, type Engine, type ErrorClass, type HttpClient, type PreparedRequest, type RequestResult } from "./types.ts";
import { classifyErrorCode, errorCode } from "./socket/errors.ts";
import { LookupResponse } from "./response.ts";
import { bodyForChecks } from "./compression.ts";
import { bunTlsOptions, DEFAULT_TLS, tlsProblem, type TlsSettings } from "./tls.ts";

const USER_AGENT = "indus/0.1";

export interface FetchEngineOptions {
  tls?: TlsSettings;
}

/**
 * Bun pools at most 64 keep-alive connections per process, shared by every client, so
 * connections are not per VU here and `connected` is always false (fetch does not say).
 * bytesIn is the body as received (not decompressed) plus an estimate of the head.
 */
export function createFetchEngine(options: FetchEngineOptions = {}): Engine {
  const tls = options.tls ?? DEFAULT_TLS;
  const headerCache = new WeakMap<PreparedRequest, Record<string, string>>();
  return {
    name: "fetch",
    createClient: () => new FetchClient(tls, headerCache),
  } satisfies Engine;
}

class FetchClient implements HttpClient {
  private readonly result: RequestResult = emptyResult();
  /** Aborts the send in flight when the client is closed. */
  private closer = new AbortController();

  constructor(
    private readonly tls: TlsSettings,
    private readonly headerCache: WeakMap<PreparedRequest, Record<string, string>>,
  ) {}

  /** The request's headers plus indus's User-Agent, computed once per request. */
  private headers(request: PreparedRequest): Record<string, string> {
    let headers = this.headerCache.get(request);
    if (headers === undefined) {
      const own = Object.keys(request.headers).some((name) => name.toLowerCase() === "user-agent");
      headers = own ? request.headers : { "User-Agent": USER_AGENT, ...request.headers };
      this.headerCache.set(request, headers);
    }
    return headers;
  }

  async send(request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult> {
    const r = this.result;
    r.status = 0;
    r.bytesIn = 0;
    r.bytesOut = requestSize(request, this.headers(request));
    r.error = null;
    r.errorDetail = null;
    r.bytesDecoded = 0;
    r.connected = false;
    r.setCookies = null;
    r.location = null;
    r.response = null;
    const timeout = AbortSignal.timeout(request.timeout > 0 ? request.timeout : 2 ** 31 - 1);
    const signals = [timeout, this.closer.signal];
    if (signal !== undefined) signals.push(signal);
    const started = performance.now();
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: this.headers(request),
        body: request.body as Uint8Array<ArrayBuffer> | undefined,
        signal: AbortSignal.any(signals),
        keepalive: true,
        redirect: "manual",
        decompress: false,
        tls: bunTlsOptions(this.tls, request.url.hostname),
      });
      const body = await response.bytes();
      r.bytesIn = body.length + headSize(response);
      if (response.status < 100 || response.status > 599) {
        // Bun's fetch passes a status line like "HTTP/1.1 000" through; a strict client does not.
        r.error = "protocol";
      } else {
        r.status = response.status;
        r.error = classifyStatus(response.status);
        const cookies = response.headers.getSetCookie();
        r.setCookies = cookies.length > 0 ? cookies : null;
        r.location = response.headers.get("location");
        const headers = response.headers;
        const forChecks = bodyForChecks(request, headers.get("content-encoding") ?? undefined, body, r);
        if (forChecks === null) r.error = "protocol";
        else if (request.capture) r.response = new LookupResponse(response.status, (name) => headers.get(name) ?? undefined, forChecks);
      }
    } catch (error) {
      r.status = 0;
      r.error = timeout.aborted && !signal?.aborted ? "timeout" : classifyFetchError(error);
      if (r.error === "tls") r.errorDetail = tlsProblem(errorCode(error), (error as Error).message);
    }
    r.durationUs = Math.round((performance.now() - started) * 1000);
    return r;
  }

  close(): void {
    this.closer.abort();
    this.closer = new AbortController();
  }
}

function classifyFetchError(error: unknown): ErrorClass {
  const code = errorCode(error);
  if (code === "AbortError") return "other";
  return classifyErrorCode(code);
}

/** Status line and headers as they were probably written on the wire. */
function headSize(response: Response): number {
  let size = 9 + 3 + 1 + response.statusText.length + 2 + 2; // "HTTP/1.1 200 OK\r\n" ... "\r\n"
  response.headers.forEach((value, name) => {
    size += name.length + 2 + value.length + 2;
  });
  return size;
}

function requestSize(request: PreparedRequest, headers: Record<string, string>): number {
  const url = request.url;
  let size = request.method.length + 1 + url.pathname.length + url.search.length + 11; // " HTTP/1.1\r\n"
  size += 8 + url.host.length; // "Host: ...\r\n"
  for (const name in headers) size += name.length + 2 + headers[name]!.length + 2;
  if (request.body !== undefined) size += 18 + String(request.body.length).length + request.body.length;
  return size + 2;
}
