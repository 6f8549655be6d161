// Real indus processes for distributed tests: spawn, read their output as it comes, wait for lines, always kill.
import type { Subprocess } from "bun";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, tempDir } from "../helpers.ts";

export interface Proc {
  readonly name: string;
  readonly pid: number;
  /** every stdout / stderr line so far */
  readonly out: string[];
  readonly err: string[];
  /** resolves with the exit code */
  readonly exited: Promise<number>;
  /** resolves with the first line (stdout or stderr) matching, now or later; rejects after ms or on exit */
  waitFor(pattern: RegExp | ((line: string) => boolean), ms: number, stream?: "out" | "err"): Promise<string>;
  /** stderr lines parsed as JSON (logs); other lines skipped */
  logs(): Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  kill(signal?: NodeJS.Signals | number): void;
}

type Waiter = { test: (line: string) => boolean; stream: "out" | "err" | undefined; resolve: (l: string) => void };

/** Every process a test starts goes through one group; `stop()` in afterEach/afterAll kills what is left. */
export class ProcGroup {
  private readonly procs: Proc[] = [];
  private readonly dirs: string[] = [];
  readonly dataDir: string;

  constructor() {
    this.dataDir = this.dir("indus-dist-data-");
  }

  dir(prefix = "indus-dist-"): string {
    const d = tempDir(prefix);
    this.dirs.push(d);
    return d;
  }

  /** Starts `indus ARGS` (or, with prefix, `PREFIX... indus ARGS`, e.g. ip netns exec NS). */
  spawn(name: string, args: string[], opts: { prefix?: string[]; env?: Record<string, string> } = {}): Proc {
    const cmd = process.env.INDUS_TEST_SOURCE ? [process.execPath, join(ROOT, "src/main.ts"), ...args] : [BIN, ...args];
    const child = Bun.spawn([...(opts.prefix ?? []), ...cmd], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", INDUS_DATA_DIR: this.dataDir, ...opts.env },
    });
    const proc = wrap(name, child);
    this.procs.push(proc);
    return proc;
  }

  /** SIGKILLs every process still running and removes the temp dirs. */
  async stop(): Promise<void> {
    const running = this.procs.splice(0);
    for (const p of running) p.kill("SIGKILL");
    await Promise.all(running.map((p) => Promise.race([p.exited, Bun.sleep(3000)])));
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

function wrap(name: string, child: Subprocess<"ignore", "pipe", "pipe">): Proc {
  const out: string[] = [];
  const err: string[] = [];
  let waiters: Waiter[] = [];
  let ended = false;
  let endWaiters: (() => void)[] = [];
  const offer = (stream: "out" | "err", line: string) => {
    (stream === "out" ? out : err).push(line);
    waiters = waiters.filter((w) => {
      if ((w.stream === undefined || w.stream === stream) && w.test(line)) {
        w.resolve(line);
        return false;
      }
      return true;
    });
  };
  const pump = async (stream: ReadableStream<Uint8Array>, which: "out" | "err") => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        offer(which, buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    }
    if (buffered) offer(which, buffered);
  };
  const pumps = Promise.all([pump(child.stdout, "out"), pump(child.stderr, "err")]).catch(() => {});
  const exited = Promise.all([child.exited, pumps]).then(([code]) => {
    ended = true;
    for (const w of endWaiters) w();
    endWaiters = [];
    return code;
  });
  return {
    name,
    pid: child.pid,
    out,
    err,
    exited,
    waitFor(pattern, ms, stream) {
      const test = typeof pattern === "function" ? pattern : (l: string) => pattern.test(l);
      const seen = (stream === "err" ? [] : out).concat(stream === "out" ? [] : err).find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const fail = (why: string) => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`${name}: ${why} waiting for ${pattern}\n--- stdout:\n${out.join("\n")}\n--- stderr:\n${err.join("\n")}`));
        };
        const timer = setTimeout(() => fail(`timed out after ${ms} ms`), ms);
        const waiter: Waiter = {
          test,
          stream,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        waiters.push(waiter);
        const onEnd = () => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          fail("exited");
        };
        if (ended) onEnd();
        else endWaiters.push(onEnd);
      });
    },
    logs() {
      const parsed: Record<string, unknown>[] = [];
      for (const l of err) {
        if (!l.startsWith("{")) continue;
        try {
          parsed.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
      return parsed;
    },
    stdout: () => out.join("\n"),
    stderr: () => err.join("\n"),
    kill(signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    },
  };
}

/** The gRPC port a controller or agent logged once it was listening (it was started on port 0). */
export async function grpcPort(proc: Proc, ms = 10_000): Promise<number> {
  const line = await proc.waitFor((l) => {
    const j = parseJson(l);
    return j !== undefined && typeof j.port === "number" && j.port > 0 && /grpc/i.test(String(j.msg));
  }, ms, "err");
  return parseJson(line)!.port as number;
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Rejects with `what` if p takes longer than ms. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `indus ARGS` to its end (killed after timeoutMs) in the group. */
export async function runToEnd(group: ProcGroup, args: string[], opts: { timeoutMs?: number; prefix?: string[]; env?: Record<string, string> } = {}): Promise<Finished> {
  const p = group.spawn(args[0] ?? "indus", args, opts);
  const timer = setTimeout(() => p.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

export interface ClusterOptions {
  agents: number;
  /** extra flags for every agent, or per agent */
  agentArgs?: string[] | ((i: number) => string[]);
  controllerArgs?: string[];
  /** flags every client (run, status, agents) needs: token, TLS */
  clientArgs?: string[];
  /** addresses added to the controller's --agents (e.g. one where nothing listens) */
  extraAgents?: string[];
}

export interface Cluster {
  controller: Proc;
  /** host:port of the controller */
  addr: string;
  agents: { id: string; addr: string; proc: Proc }[];
  /** `indus run --controller=ADDR ...` etc.: the subcommand, then its flags (controller and client flags added) */
  client(args: string[], timeoutMs?: number): Promise<Finished>;
  /** the same, kept running (for signals) */
  spawnClient(args: string[]): Proc;
}

/** Agents on free loopback ports, then a controller that knows them. */
export async function startCluster(group: ProcGroup, options: ClusterOptions): Promise<Cluster> {
  const agents = await Promise.all(
    Array.from({ length: options.agents }, async (_, i) => {
      const id = `agent-${i + 1}`;
      const extra = typeof options.agentArgs === "function" ? options.agentArgs(i) : (options.agentArgs ?? []);
      const proc = group.spawn(id, ["agent", "--id", id, "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--workers", "1", ...extra]);
      return { id, proc, addr: `127.0.0.1:${await grpcPort(proc)}` };
    }),
  );
  const agentList = [...agents.map((a) => a.addr), ...(options.extraAgents ?? [])].join(",");
  const controller = group.spawn("controller", [
    "controller",
    "--grpc-addr",
    "127.0.0.1:0",
    "--metrics-addr",
    "127.0.0.1:0",
    "--data-dir",
    group.dataDir,
    `--agents=${agentList}`,
    ...(options.controllerArgs ?? []),
  ]);
  const addr = `127.0.0.1:${await grpcPort(controller)}`;
  const withFlags = (args: string[]) => [...args, `--controller=${addr}`, ...(options.clientArgs ?? [])];
  return {
    controller,
    addr,
    agents,
    client: (args, timeoutMs) => runToEnd(group, withFlags(args), { timeoutMs }),
    spawnClient: (args) => group.spawn(args[0] ?? "client", withFlags(args)),
  };
}

/** Polls every `everyMs` until check() returns a value (not undefined) or ms pass. */
export async function poll<T>(what: string, ms: number, everyMs: number, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await Bun.sleep(everyMs);
  }
}

/** The REQUESTS cell of a SUMMARY row (a scenario, a step or "total"). */
export function summaryRequests(stdout: string, row: string): number {
  const summary = stdout.slice(stdout.indexOf("SUMMARY"));
  const line = summary.split("\n").find((l) => l.trim().split(/\s+/)[0] === row);
  if (!line) throw new Error(`no SUMMARY row "${row}" in:\n${stdout}`);
  return Number(line.trim().split(/\s+/)[1]);
}

/** The live table's rows: state, elapsed seconds, VUs. */
export function liveRows(stdout: string): { state: string; elapsedS: number; vus: number }[] {
  const rows: { state: string; elapsedS: number; vus: number }[] = [];
  for (const l of stdout.split("\n")) {
    const m = /^(running|completed|failed|aborted)\s+(\d+)s\s+(\d+)\s/.exec(l);
    if (m) rows.push({ state: m[1]!, elapsedS: Number(m[2]), vus: Number(m[3]) });
  }
  return rows;
}
