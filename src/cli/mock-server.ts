// `indus mock-server`: the examples' target, inside the binary, for people who only downloaded indus.
import { defineCommand } from "citty";
import { ExitCode, IndusError } from "../core/errors.ts";
import { createMockServer, describeMockServer, parseMockArgs } from "../mock/index.ts";
import type { CliIo } from "./io.ts";

// Parsed by parseMockArgs (shared with scripts/mock-server.ts); declared here for --help, flag checks and the docs.
export const mockServerArgs = {
  port: { type: "string", alias: "p", description: "Port to listen on (0 picks a free one)", default: "8080" },
  host: { type: "string", description: "Address to listen on", default: "127.0.0.1" },
  latency: { type: "string", description: "Mean latency (ms or a duration like 50ms); 0 answers at once", default: "0" },
  jitter: { type: "string", description: "Latency variation around the mean (ms or a duration; default latency/5)" },
  "error-rate": { type: "string", description: "Fraction of requests answered 500: 0..1, or a percentage like 5%", default: "0" },
  seed: { type: "string", description: "Seed for the random errors and latencies", default: "1" },
  quiet: { type: "boolean", alias: "q", description: "Print nothing at startup", default: false },
} as const;

export const mockServerCommand = defineCommand({
  meta: { name: "mock-server", description: "Start the mock HTTP target the examples use" },
  args: mockServerArgs,
});

export async function runMockServer(io: CliIo, rawArgs: string[]): Promise<number> {
  let options;
  try {
    options = parseMockArgs(rawArgs);
  } catch (e) {
    throw new IndusError("bad_flag", (e as Error).message);
  }
  let server;
  try {
    server = createMockServer(options);
  } catch (e) {
    throw new IndusError("listen_failed", `cannot listen on ${options.hostname ?? "127.0.0.1"}:${options.port ?? 8080}: ${(e as Error).message}`, {
      hint: "is another process using the port? --port 0 picks a free one",
    });
  }
  if (!options.quiet) io.stdout.write(describeMockServer(server) + "\n");
  await new Promise<void>((resolve) => {
    const remove = io.onSignal(() => {
      remove();
      resolve();
    });
  });
  await server.stop();
  return ExitCode.ok;
}
