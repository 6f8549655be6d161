// Blocks a long-running command until SIGINT/SIGTERM.
import type { CliIo } from "./io.ts";

export function untilSignal(io: CliIo): Promise<"SIGINT" | "SIGTERM"> {
  return new Promise((resolve) => {
    const remove = io.onSignal((signal) => {
      remove();
      resolve(signal);
    });
  });
}
