// Types for indus scenario scripts (`script: ./flows/x.ts` in a plan). Print them with `indus types > indus.d.ts`.
declare module "indus" {
  /** Why a request failed; null on success. A failure is data: requests never throw. */
  export type ErrorClass =
    | "connect_refused" | "timeout" | "reset" | "dns" | "tls" | "http_4xx" | "http_5xx" | "check" | "script" | "other"
    | (string & {});

  /** "250ms", "2s", "1m30s", or milliseconds as a number. */
  export type Duration = string | number;

  export interface RequestOptions {
    /** The step this request is recorded under (default: the enclosing vu.step, else "default"). */
    step?: string;
    headers?: Record<string, string>;
    /** Sent as JSON, with Content-Type: application/json. */
    json?: unknown;
    /** Sent as written. */
    body?: string | Uint8Array;
    /** Sent as application/x-www-form-urlencoded. */
    form?: Record<string, string | number>;
    /** Added to the URL's query string. */
    query?: Record<string, string | number | boolean>;
    /** Default: 30s, as a plan step's. */
    timeout?: Duration;
    /** Follow 3xx responses with a Location, up to 10 (default true). */
    redirects?: boolean;
    /** Do not keep the body (text()/json() then throw): a little less CPU per request. */
    discard?: boolean;
  }

  /** What post/put/patch send: a string or bytes as they are, or { json } / { form } / { body }. */
  export type Body = string | Uint8Array | { json: unknown } | { form: Record<string, string | number> } | { body: string | Uint8Array };

  export interface Response {
    /** HTTP status; 0 when no response came (see error). */
    readonly status: number;
    /** status 200-399 and no error */
    readonly ok: boolean;
    readonly error: ErrorClass | null;
    /** the URL the request asked for */
    readonly url: string;
    /** ms, as recorded in the step's latency */
    readonly durationMs: number;
    header(name: string): string | undefined;
    text(): string;
    /** The body parsed as JSON; throws when it is not JSON. */
    json<T = any>(): T;
  }

  export interface Http {
    get(url: string, options?: RequestOptions): Promise<Response>;
    head(url: string, options?: RequestOptions): Promise<Response>;
    delete(url: string, options?: RequestOptions): Promise<Response>;
    options(url: string, options?: RequestOptions): Promise<Response>;
    post(url: string, body?: Body, options?: RequestOptions): Promise<Response>;
    put(url: string, body?: Body, options?: RequestOptions): Promise<Response>;
    patch(url: string, body?: Body, options?: RequestOptions): Promise<Response>;
    request(method: string, url: string, options?: RequestOptions): Promise<Response>;
  }

  export interface VU {
    /** 1-based, unique across the run's agents and workers */
    readonly id: number;
    /** closed model: this VU's iteration count (0-based); arrival rate: the arrival's index in the run */
    readonly iteration: number;
    readonly scenario: string;
    /** this iteration's row of the scenario's data file (column → value); {} without one */
    readonly data: Readonly<Record<string, string>>;
    /** environment variables the script reads as env.NAME (sent from where `indus run` ran) */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** this VU's own state: kept from one iteration to the next */
    readonly state: Record<string, any>;
    /** the variables the scenario's YAML steps see as {{name}} (they run after the script) */
    readonly vars: Map<string, string>;
    /** Requests with the scenario's engine (HTTP/1.1 or 2), timeouts, cookie jar, TLS options and metrics; one at a time per VU. */
    readonly http: Http;
    /** Counts a check on the current step; a failed one also turns that step's last request into an error of class check (unless asError: false). */
    check(name: string, ok: unknown, options?: { asError?: boolean }): boolean;
    /** Runs fn with its requests, checks and errors recorded under the step `name`. */
    step<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
    /** Waits (ends early when the VU is stopped). */
    sleep(duration: Duration): Promise<void>;
  }

  /** What setup() and teardown() get: requests are not recorded in the run's metrics. */
  export interface SetupContext {
    readonly http: Http;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly scenario: string;
    /** every row of the scenario's data file */
    readonly data: ReadonlyArray<Readonly<Record<string, string>>>;
  }

  /** The module a scenario's `script:` names. */
  export interface Script<Shared = unknown> {
    default(vu: VU, shared: Shared): unknown | Promise<unknown>;
    /** Once per run, before any VU starts; what it returns (JSON) is every VU's `shared`. */
    setup?(ctx: SetupContext): Shared | Promise<Shared>;
    /** Once per run, after the last VU stopped. */
    teardown?(ctx: SetupContext, shared: Shared): unknown | Promise<unknown>;
  }
}
