// The CLI's window on the process: streams, env, signals, exit. Tests pass their own.
import { createWriter, READER_GONE_FAILURE, type Writer } from "../core/output.ts";

export interface CliIo {
  stdout: { write(s: string): void; isTTY?: boolean };
  stderr: { write(s: string): void; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Registers a SIGINT/SIGTERM handler; returns a function that removes it. */
  onSignal(handler: (signal: "SIGINT" | "SIGTERM") => void): () => void;
  /** Exits without waiting for the command to end (the second Ctrl-C, --detach): what was printed still gets out. */
  exitNow(code: number): void;
  /**
   * Registers a handler for exceptions nothing caught (thrown in a callback, a rejected promise nobody awaits):
   * while one is registered the process stays up (a long-running agent or controller fails the run, not itself).
   * Returns a function that removes it. Test IOs may leave it out.
   */
  onUnexpectedError?(handler: (error: unknown) => void): () => void;
}

/** The real process: its streams drained before every exit. */
export interface ProcessIo extends CliIo {
  stdout: Writer;
  stderr: Writer;
  /** Waits until stdout and stderr are drained (or their reader is gone), then exits with `code`. */
  exit(code: number): Promise<never>;
}

// A second Ctrl-C means "now": wait this long at most for a reader that has stopped reading.
const EXIT_NOW_DRAIN_MS = 2000;

export function processIo(): ProcessIo {
  const stdout = createWriter(process.stdout);
  const stderr = createWriter(process.stderr);
  const drained = () => Promise.all([stdout.drained(), stderr.drained()]);
  /** onUnexpectedError handlers: while any is registered, an uncaught exception does not end the process */
  const guards = new Set<(error: unknown) => void>();

  const exit = async (code: number, drainMs?: number): Promise<never> => {
    if (drainMs === undefined) await drained();
    else await Promise.race([drained(), new Promise((resolve) => setTimeout(resolve, drainMs).unref())]);
    let exitCode = code;
    // stdout that failed for a reason other than its reader leaving (a full disk, a closed descriptor) is lost output
    if (stdout.failure !== undefined && stdout.failure !== READER_GONE_FAILURE && exitCode === 0) {
      stderr.write(`error: cannot write the output: ${stdout.failure}\n`);
      await stderr.drained();
      exitCode = 1;
    }
    process.exit(exitCode);
  };

  const io: ProcessIo = {
    stdout,
    stderr,
    env: process.env,
    onSignal(handler) {
      const onInt = () => handler("SIGINT");
      const onTerm = () => handler("SIGTERM");
      process.on("SIGINT", onInt);
      process.on("SIGTERM", onTerm);
      return () => {
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
      };
    },
    exitNow(code) {
      void exit(code, EXIT_NOW_DRAIN_MS);
    },
    exit: (code) => exit(code),
    onUnexpectedError(handler) {
      guards.add(handler);
      return () => void guards.delete(handler);
    },
  };

  // A bug that escapes every catch still ends with one line on stderr, drained, and exit 1: no stack trace, no lost
  // output. Unless a long-running command guards itself: then the guard fails the run and the process stays up.
  const fatal = (e: unknown) => {
    if (guards.size > 0) {
      for (const guard of guards) guard(e);
      return;
    }
    stderr.write(`internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.INDUS_DEBUG) stderr.write(`${(e as Error)?.stack}\n`);
    void exit(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
  return io;
}
