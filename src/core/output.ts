// The output writer: every byte the CLI prints goes through one, so the process can wait until the reader has it all.
//
// A pipe takes 64 KiB; Bun queues the rest and writes it as the reader reads. Exiting with bytes still queued
// drops them (`indus report ID --format=json | jq` got 65,536 bytes of 372,003). So each write is counted until
// the runtime says it is out, and `drained()` resolves when none is left. A reader that goes away early
// (`| head -1`) is not an error: the writer closes quietly and drops what comes after.

/** What the writer needs of a stream: Node's Writable (process.stdout) fits. */
export interface RawStream {
  write(chunk: string, callback: (error?: Error | null) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  isTTY?: boolean;
}

export interface Writer {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Resolves once every byte written so far has left the process, or the stream has closed. */
  drained(): Promise<void>;
  /** Why the stream stopped taking bytes: "reader_gone" (EPIPE: the reader closed) or the error's message. */
  readonly failure: string | undefined;
}

const READER_GONE = new Set(["EPIPE", "ECONNRESET", "ERR_STREAM_DESTROYED"]);

export const READER_GONE_FAILURE = "reader_gone";

export function createWriter(stream: RawStream): Writer {
  let pending = 0;
  let failure: string | undefined;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (pending > 0 && failure === undefined) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const fail = (error: Error) => {
    const code = (error as { code?: string }).code;
    failure ??= code !== undefined && READER_GONE.has(code) ? READER_GONE_FAILURE : error.message;
    settle();
  };
  stream.on("error", fail);
  return {
    isTTY: Boolean(stream.isTTY),
    get failure() {
      return failure;
    },
    write(text) {
      if (failure !== undefined || text === "") return;
      pending++;
      try {
        stream.write(text, (error) => {
          pending--;
          if (error) fail(error);
          else settle();
        });
      } catch (e) {
        pending--;
        fail(e as Error);
      }
    },
    drained() {
      if (pending === 0 || failure !== undefined) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
