// Ctrl-C / SIGTERM during `indus run`: the first stops the run (even if it is still starting), the second exits at once.
import { ExitCode } from "../core/errors.ts";
import type { CliIo } from "./io.ts";

export interface Interrupts {
  /** Says how to stop the run; an interrupt that came before this is acted on now. */
  attach(abort: (reason: string) => void): void;
  dispose(): void;
}

export function watchInterrupts(io: CliIo): Interrupts {
  let count = 0;
  let pending: string | undefined;
  let abort: ((reason: string) => void) | undefined;
  const remove = io.onSignal((signal) => {
    count++;
    if (count > 1) {
      io.stderr.write("\nSecond interrupt: exiting now.\n");
      io.exitNow(ExitCode.failed);
      return;
    }
    io.stderr.write(`\n${signal}: stopping all VUs (press Ctrl-C again to exit at once)\n`);
    const reason = signal === "SIGINT" ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)";
    if (abort) abort(reason);
    else pending = reason;
  });
  return {
    attach(fn) {
      abort = fn;
      if (pending !== undefined) fn(pending);
    },
    dispose: remove,
  };
}
