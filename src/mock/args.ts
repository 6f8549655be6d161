// Command-line flags of the mock server, shared by scripts/mock-server.ts and `indus mock-server`.
import { nodeUtil } from "../core/builtins.ts";
import { parseDuration } from "../core/duration.ts";
import { resolveMockOptions, type MockOptions } from "./options.ts";

export const MOCK_USAGE = `Usage: mock-server [flags]

A mock HTTP target: GET /healthz, GET /api/users, POST /api/orders, POST /api/checkout,
GET /api/reports/summary (3x latency), GET /__stats (requests counted by the server).
Login flow: POST /api/login (token and session cookie), GET /api/me (needs the bearer token),
GET /api/redirect?to=/path. POST /__stall?for=2s holds every answer for that long.

Flags:
  -p, --port <n>          port to listen on (default 8080; 0 picks a free one)
      --host <addr>       address to listen on (default 127.0.0.1)
      --latency <t>       mean latency: milliseconds or a duration like 50ms (default 0: answer at once)
      --jitter <t>        how much latency varies around the mean (default latency/5)
      --error-rate <r>    fraction of requests answered 500: 0..1, or a percentage like 5% (default 0)
      --seed <n>          seed for the random errors and latencies (default 1)
  -q, --quiet             print nothing at startup`;

/** Parses mock-server flags; throws a plain Error with a clear message on an unknown flag or a bad value. */
export function parseMockArgs(argv: string[]): MockOptions {
  let values;
  try {
    ({ values } = nodeUtil().parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        latency: { type: "string" },
        jitter: { type: "string" },
        "error-rate": { type: "string" },
        seed: { type: "string" },
        quiet: { type: "boolean", short: "q" },
      },
    }));
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : String(err));
  }
  const options: MockOptions = {};
  if (values.port !== undefined) options.port = parsePort(values.port);
  if (values.host !== undefined) {
    if (values.host.trim() === "") throw new Error("--host: must not be empty");
    options.hostname = values.host;
  }
  if (values.latency !== undefined) options.latency = parseMs("--latency", values.latency);
  if (values.jitter !== undefined) options.jitter = parseMs("--jitter", values.jitter);
  if (values["error-rate"] !== undefined) options.errorRate = parseRate(values["error-rate"]);
  if (values.seed !== undefined) options.seed = parseSeed(values.seed);
  if (values.quiet) options.quiet = true;
  resolveMockOptions(options);
  return options;
}

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`--port: expected an integer 0..65535, got "${text}"`);
  return port;
}

/** A bare number is milliseconds; otherwise a duration such as 50ms, 1.5s. */
function parseMs(flag: string, text: string): number {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : parseDuration(text);
  if (ms === undefined || !Number.isFinite(ms))
    throw new Error(`${flag}: expected milliseconds or a duration like 50ms, got "${text}"`);
  return ms;
}

function parseRate(text: string): number {
  const percent = text.endsWith("%");
  const body = percent ? text.slice(0, -1) : text;
  const n = /^\d+(\.\d+)?$/.test(body) ? Number(body) / (percent ? 100 : 1) : NaN;
  if (!(n >= 0 && n <= 1))
    throw new Error(`--error-rate: expected a fraction 0..1 or a percentage like 5%, got "${text}"`);
  return n;
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new Error(`--seed: expected a non-negative integer, got "${text}"`);
  return Number(text);
}
