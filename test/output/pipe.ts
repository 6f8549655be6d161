// indus with its stdout on a file, or on a pipe to a slow reader, or to `head -1`: what each receives.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, tempDir } from "../helpers.ts";

export interface Received {
  code: number;
  stdout: string;
  stderr: string;
}

const SLOW_READER = join(import.meta.dir, "slow-reader.ts");

function command(args: string[]): string[] {
  return process.env.INDUS_TEST_SOURCE ? [process.execPath, join(ROOT, "src/main.ts"), ...args] : [BIN, ...args];
}

// Every script gets: $1 stdout file, $2 stderr file, $3 bun, $4 the slow reader, $5 the file that starts it, then indus.
const ARGS = `out=$1 err=$2 bun=$3 reader=$4 go=$5; shift 5;`;
const SCRIPTS = {
  file: `${ARGS} "$@" >"$out" 2>"$err"; echo code=$?`,
  /** stderr joins stdout: `2>&1 >file` */
  fileBoth: `${ARGS} "$@" >"$out" 2>&1; echo code=$?`,
  slow: `${ARGS} "$@" 2>"$err" | "$bun" "$reader" "$out"; echo code=\${PIPESTATUS[0]}`,
  slowBoth: `${ARGS} "$@" 2>&1 | "$bun" "$reader" "$out"; echo code=\${PIPESTATUS[0]}`,
  head: `${ARGS} "$@" 2>"$err" | head -1 >"$out"; echo code=\${PIPESTATUS[0]}`,
  // in the background, the reader waiting for $go: the pid first, the exit code at the end
  slowStdoutLater: `${ARGS} mkfifo "$out.fifo"; "$bun" "$reader" "$out" "$go" <"$out.fifo" & r=$!
"$@" >"$out.fifo" 2>"$err" & pid=$!; echo pid=$pid; wait $pid; echo code=$?; wait $r`,
  slowStderrLater: `${ARGS} mkfifo "$err.fifo"; "$bun" "$reader" "$err" "$go" <"$err.fifo" & r=$!
"$@" 2>"$err.fifo" >"$out" & pid=$!; echo pid=$pid; wait $pid; echo code=$?; wait $r`,
} as const;

interface Started {
  pid: number;
  /** the reader of a *Later script starts reading now */
  startReading(): void;
  done: Promise<Received>;
}

async function start(script: keyof typeof SCRIPTS, args: string[], env: Record<string, string>, timeoutMs: number): Promise<Started> {
  const dir = tempDir("indus-pipe-");
  const [out, err, go] = [join(dir, "stdout"), join(dir, "stderr"), join(dir, "go")];
  writeFileSync(err, "");
  const proc = Bun.spawn(["bash", "-c", SCRIPTS[script], "indus-pipe", out, err, process.execPath, SLOW_READER, go, ...command(args)], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const lines = (async function* () {
    let buffered = "";
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        yield buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
      }
    }
  })();
  let pid = NaN;
  if (script.endsWith("Later")) pid = Number(/^pid=(\d+)$/.exec(String((await lines.next()).value))?.[1] ?? NaN);
  const done = (async (): Promise<Received> => {
    let code = NaN;
    for await (const line of lines) code = Number(/^code=(\d+)$/.exec(line)?.[1] ?? code);
    const [exited, shellErr] = [await proc.exited, await new Response(proc.stderr).text()];
    clearTimeout(timer);
    if (exited !== 0 || Number.isNaN(code)) throw new Error(`pipe harness failed (${exited}): ${shellErr}`);
    return { code, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") };
  })();
  return { pid, startReading: () => writeFileSync(go, ""), done };
}

/** `indus ARGS > file` (with `both`: `> file 2>&1`). */
export async function toFile(args: string[], env: Record<string, string> = {}, opts: { both?: boolean; timeoutMs?: number } = {}): Promise<Received> {
  return (await start(opts.both ? "fileBoth" : "file", args, env, opts.timeoutMs ?? 60_000)).done;
}

/** `indus ARGS | slow-reader` (with `both`: `2>&1 |`): a reader taking ~8 MB/s, slower than indus prints. */
export async function toSlowReader(args: string[], env: Record<string, string> = {}, opts: { both?: boolean; timeoutMs?: number } = {}): Promise<Received> {
  return (await start(opts.both ? "slowBoth" : "slow", args, env, opts.timeoutMs ?? 60_000)).done;
}

/** `indus ARGS | head -1`: a reader that leaves after one line. */
export async function toHead(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Received> {
  return (await start("head", args, env, timeoutMs)).done;
}

/**
 * indus in the background with stdout (or stderr) on a pipe to a slow reader that reads nothing until
 * `startReading()`: a reader that has fallen behind when the test signals indus.
 */
export function laterReader(stream: "stdout" | "stderr", args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Started> {
  return start(stream === "stdout" ? "slowStdoutLater" : "slowStderrLater", args, env, timeoutMs);
}
