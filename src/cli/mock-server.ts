// `indus mock-server`: the examples' target, inside the binary, for people who only downloaded indus.
import { defineCommand } from "citty";
import { ExitCode, IndusError } from "../core/errors.ts";
import { createMockServer, describeMockServer, parseMockArgs } from "../mock/index.ts";
import type { CliIo } from "./io.ts";

export const mockServerArgs = {
  port: { type: "string", description: "Port to listen on", default: "8080" },
  host: { type: "string", description: "Address to listen on", default: "127.0.0.1" },
  latency: { type: "string", description: "Mean latency (ms or a duration like 50ms); 0 answers at once", default: "0" },
  jitter: { type: "string", description: "Latency variation (ms or a duration)" },
  "error-rate": { type: "string", description: "Fraction of requests answered 500 (0..1)", default: "0" },
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
  const server = createMockServer(options);
  io.stdout.write(describeMockServer(server) + "\n");
  await new Promise<void>((resolve) => {
    const remove = io.onSignal(() => {
      remove();
      resolve();
    });
  });
  await server.stop();
  return ExitCode.ok;
}
