// vu.http: a script's requests on the VU's own client, with the same timeouts, cookies, redirects and metrics as plan steps.
import { parseDuration } from "../../core/duration.ts";
import type { StepRecorder } from "../../metrics/recorder.ts";
import { headerProblem } from "../socket/builder.ts";
import { followRedirects, redirects, withCookies } from "../steps/step-io.ts";
import type { VuState } from "../steps/vu-state.ts";
import type { CapturedResponse, ErrorClass, PreparedRequest, RequestResult } from "../types.ts";

/** A plan step's default timeout: a script's requests get the same. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Thrown out of a script when its VU must stop now (the run is aborted, or the VU retired): not an error. */
export class VuStopped extends Error {
  constructor() {
    super("the VU was stopped");
    this.name = "VuStopped";
  }
}

export interface RequestOptions {
  step?: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Uint8Array;
  form?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  timeout?: string | number;
  redirects?: boolean;
  discard?: boolean;
}

type Body = string | Uint8Array | { json: unknown } | { form: Record<string, string | number> } | { body: string | Uint8Array };

/** What a script's request needs from the VU it runs on. */
export interface HttpHost {
  readonly state: VuState;
  readonly abort: AbortSignal;
  /** the recorder of the step a request without `step` goes to; null: not recorded (setup, teardown) */
  recorderFor(step: string | undefined): StepRecorder | null;
  /** µs the iteration started after its intended time (arrival rate), or -1 */
  readonly lateUs: number;
  /** true once the VU must not start another request */
  halted(): boolean;
  /** a request was recorded on this step (a failed check may turn it into an error) */
  recorded(recorder: StepRecorder, failed: boolean): void;
  /** requests without headers or body, prepared once (shared by the thread's VUs of a scenario) */
  readonly prepared?: Map<string, PreparedEntry[]>;
  /** requests sent (and sleeps begun): counted here, so the VU loop knows an iteration let the event loop run */
  waits: number;
}

/** A prepared plain request, by what it was asked with (the method as the script wrote it). */
export interface PreparedEntry {
  method: string;
  timeout: string | number | undefined;
  discard: boolean;
  request: PreparedRequest;
}

/** Distinct plain requests kept prepared per scenario and thread; beyond, they are prepared each time. */
const MAX_PREPARED = 256;

const encoder = new TextEncoder();
const FOLLOW = { followRedirects: true };

export class ScriptResponse {
  constructor(
    readonly status: number,
    readonly error: ErrorClass | null,
    private readonly request: PreparedRequest,
    readonly durationMs: number,
    private readonly captured: CapturedResponse | null,
  ) {}

  get url(): string {
    return this.request.url.href;
  }

  get ok(): boolean {
    return this.error === null && this.status >= 200 && this.status < 400;
  }

  header(name: string): string | undefined {
    return this.captured?.header(name);
  }

  text(): string {
    if (this.captured === null) throw new Error(this.status === 0 ? `no response (${this.error})` : "the body was not kept (discard: true)");
    return this.captured.text();
  }

  json(): any {
    const value = this.captured === null ? undefined : this.captured.json();
    if (value === undefined) {
      const text = this.text();
      throw new Error(`the response body is not JSON (status ${this.status}, ${text.length} chars: ${JSON.stringify(text.slice(0, 60))})`);
    }
    return value;
  }
}

export class ScriptHttp {
  /** a request of this VU is in flight */
  private active = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly host: HttpHost) {}

  get(url: string, options?: RequestOptions) {
    return this.request("GET", url, options);
  }
  head(url: string, options?: RequestOptions) {
    return this.request("HEAD", url, options);
  }
  delete(url: string, options?: RequestOptions) {
    return this.request("DELETE", url, options);
  }
  options(url: string, options?: RequestOptions) {
    return this.request("OPTIONS", url, options);
  }
  post(url: string, body?: Body, options?: RequestOptions) {
    return this.request("POST", url, withBody(body, options));
  }
  put(url: string, body?: Body, options?: RequestOptions) {
    return this.request("PUT", url, withBody(body, options));
  }
  patch(url: string, body?: Body, options?: RequestOptions) {
    return this.request("PATCH", url, withBody(body, options));
  }

  /**
   * A request with no headers, body or query (the common GET) is parsed once and reused: no URL parse,
   * no duration parse, no allocation on the next iteration's same request. Looked up by the URL string
   * (a literal's hash is computed once), then method, timeout and discard compared.
   */
  private prepared(method: string, url: string, o: RequestOptions): PreparedRequest {
    const cache = this.host.prepared;
    if (cache === undefined || o.headers !== undefined || o.json !== undefined || o.form !== undefined || o.body !== undefined || o.query !== undefined) return prepare(method, url, o);
    const discard = o.discard === true;
    const kept = cache.get(url);
    if (kept !== undefined) {
      for (let i = 0; i < kept.length; i++) {
        const k = kept[i]!;
        if (k.method === method && k.timeout === o.timeout && k.discard === discard) return k.request;
      }
    }
    const request = prepare(method, url, o);
    if (cache.size < MAX_PREPARED) {
      const entry: PreparedEntry = { method, timeout: o.timeout, discard, request };
      if (kept === undefined) cache.set(url, [entry]);
      else kept.push(entry);
    }
    return request;
  }

  /**
   * A VU has one connection with one request in flight (as a YAML VU): requests started together
   * (Promise.all) go one after another, in the order they were asked for.
   */
  request(method: string, url: string, options: RequestOptions = {}): Promise<ScriptResponse> {
    if (this.active) return this.queued(method, url, options);
    this.active = true;
    return this.send(method, url, options);
  }

  /** Waits for the request before it to hand its turn over (active stays true), then sends. */
  private async queued(method: string, url: string, options: RequestOptions): Promise<ScriptResponse> {
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.send(method, url, options);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active = false;
  }

  /** One request, its turn held until it ends (however it ends). */
  private async send(method: string, url: string, options: RequestOptions): Promise<ScriptResponse> {
    try {
      const host = this.host;
      if (host.halted() || host.abort.aborted) throw new VuStopped();
      const recorder = host.recorderFor(options.step);
      const prepared = this.prepared(method, url, options);
      const vu = host.state;
      const request = withCookies(vu, prepared);
      host.waits++;
      let result: RequestResult = await vu.client.send(request, host.abort);
      if (host.abort.aborted) throw new VuStopped();
      if (options.redirects !== false && result.location != null && redirects(FOLLOW, result)) {
        // each hop is a request of the step, as for plan steps; the last one is what the script sees
        const sink = recorder ?? scratch();
        const last = await followRedirects(vu, FOLLOW, request, result, sink, host.lateUs, host.abort);
        if (last === null) throw new VuStopped();
        result = last;
      }
      // as for plan steps: the final response's cookies are stored for the URL the step asked for
      if (result.setCookies) vu.cookieJar()?.store(result.setCookies, request.url);
      if (recorder !== null) {
        recorder.record(result);
        if (host.lateUs >= 0) recorder.recordIntended(result.durationUs + host.lateUs);
        host.recorded(recorder, result.error !== null);
      }
      // the client reuses its result object: what the script keeps is copied out now
      return new ScriptResponse(result.status, result.error, request, result.durationUs / 1000, result.response ?? null);
    } finally {
      this.release();
    }
  }
}

function withBody(body: Body | undefined, options: RequestOptions | undefined): RequestOptions {
  if (body === undefined) return options ?? {};
  if (typeof body === "string" || body instanceof Uint8Array) return { ...options, body };
  return { ...options, ...body };
}

/** The request a script asked for, checked as a plan step's would be; a bad one throws (a script error). */
function prepare(method: string, url: string, o: RequestOptions): PreparedRequest {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError(`invalid URL ${JSON.stringify(url)}`);
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") throw new TypeError(`unsupported URL scheme ${target.protocol} in ${url}`);
  if (o.query !== undefined) for (const [k, v] of Object.entries(o.query)) target.searchParams.append(k, String(v));
  const headers: Record<string, string> = {};
  let body: Uint8Array | undefined;
  if (o.json !== undefined) {
    body = encoder.encode(JSON.stringify(o.json));
    headers["Content-Type"] = "application/json";
  } else if (o.form !== undefined) {
    body = encoder.encode(new URLSearchParams(Object.entries(o.form).map(([k, v]) => [k, String(v)])).toString());
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (o.body !== undefined) {
    body = typeof o.body === "string" ? encoder.encode(o.body) : o.body;
  }
  if (o.headers !== undefined) {
    for (const [name, value] of Object.entries(o.headers)) {
      const problem = headerProblem(name, String(value));
      if (problem !== null) throw new TypeError(problem);
      if (body !== undefined && name.toLowerCase() === "content-type") delete headers["Content-Type"];
      headers[name] = String(value);
    }
  }
  const timeout = o.timeout === undefined ? DEFAULT_TIMEOUT_MS : typeof o.timeout === "number" ? o.timeout : parseDuration(o.timeout);
  if (timeout === undefined || !(timeout > 0)) throw new TypeError(`invalid timeout ${JSON.stringify(o.timeout)}: use "10s", "500ms" or a number of ms`);
  const upper = method.toUpperCase();
  if (!/^[A-Z]+$/.test(upper)) throw new TypeError(`invalid HTTP method ${JSON.stringify(method)}`);
  const request: PreparedRequest = { method: upper, url: target, headers, body, timeout };
  if (o.discard !== true) request.capture = true;
  return request;
}

/** Redirect hops of an unrecorded request (setup, teardown) go nowhere. */
function scratch(): StepRecorder {
  return { record() {}, recordIntended() {} } as unknown as StepRecorder;
}
