// The CLI's window on the process: streams, env, TTY-ness. Tests pass their own.
export interface CliIo {
  stdout: { write(s: string): void; isTTY?: boolean };
  stderr: { write(s: string): void; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Registers a SIGINT/SIGTERM handler; returns a function that removes it. */
  onSignal(handler: (signal: "SIGINT" | "SIGTERM") => void): () => void;
  /** Exits at once (the second Ctrl-C). */
  exitNow(code: number): never;
  /**
   * Registers a handler for exceptions nothing caught (thrown in a callback, a rejected promise nobody awaits):
   * with one registered the process stays up. Returns a function that removes it. Test IOs may leave it out.
   */
  onUnexpectedError?(handler: (error: unknown) => void): () => void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
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
      process.exit(code);
    },
    onUnexpectedError(handler) {
      const onError = (error: unknown) => handler(error);
      process.on("uncaughtException", onError);
      process.on("unhandledRejection", onError);
      return () => {
        process.off("uncaughtException", onError);
        process.off("unhandledRejection", onError);
      };
    },
  };
}
