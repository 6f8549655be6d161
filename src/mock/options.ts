// The mock target's options as a user writes them, and the same options resolved to defaults and checked.

export interface MockOptions {
  /** default 8080; 0 picks any free port */
  port?: number;
  /** default "127.0.0.1" */
  hostname?: string;
  /** mean response latency in ms; default 0: zero-latency mode, answered at once with no timers */
  latency?: number;
  /** how far latency varies around the mean (standard deviation, ms); default latency / 5 */
  jitter?: number;
  /** fraction (0..1) of requests answered 500; /healthz never fails */
  errorRate?: number;
  /** seeds the random draws for errors and latency, so a run can be repeated */
  seed?: number;
  /** the CLI prints nothing at startup */
  quiet?: boolean;
}

export type ResolvedMockOptions = Required<MockOptions>;

export const MOCK_DEFAULTS = {
  port: 8080,
  hostname: "127.0.0.1",
  seed: 1,
} as const;

/** Fills in defaults; throws a plain Error naming every bad value. */
export function resolveMockOptions(options: MockOptions): ResolvedMockOptions {
  const latency = options.latency ?? 0;
  const resolved: ResolvedMockOptions = {
    port: options.port ?? MOCK_DEFAULTS.port,
    hostname: options.hostname ?? MOCK_DEFAULTS.hostname,
    latency,
    jitter: options.jitter ?? latency / 5,
    errorRate: options.errorRate ?? 0,
    seed: options.seed ?? MOCK_DEFAULTS.seed,
    quiet: options.quiet ?? false,
  };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535)
    problems.push(`port must be an integer 0..65535, got ${resolved.port}`);
  if (resolved.hostname.trim() === "") problems.push("hostname must not be empty");
  if (!isNonNegative(resolved.latency)) problems.push(`latency must be ≥ 0 ms, got ${resolved.latency}`);
  if (!isNonNegative(resolved.jitter)) problems.push(`jitter must be ≥ 0 ms, got ${resolved.jitter}`);
  if (!(resolved.errorRate >= 0 && resolved.errorRate <= 1))
    problems.push(`errorRate must be between 0 and 1, got ${resolved.errorRate}`);
  if (!Number.isInteger(resolved.seed)) problems.push(`seed must be an integer, got ${resolved.seed}`);
  if (problems.length > 0) throw new Error(`invalid mock server options: ${problems.join("; ")}`);
  return resolved;
}

function isNonNegative(n: number): boolean {
  return Number.isFinite(n) && n >= 0;
}
