// Shared test helpers: temp plan files, the compiled binary, process runs with timeouts.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");
export const BIN = join(ROOT, "bin", "indus");

export function tempDir(prefix = "indus-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A JIT build of the working tree (INDUS_BUILD=jit scripts/build.ts) in a temp dir: what every release target but
 * linux-x64 ships, for tests that need it where bin/indus is the AOT build.
 */
export function buildJitBinary(): string {
  const bin = join(tempDir("indus-jit-"), "indus-jit");
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts", "", bin], { cwd: ROOT, env: { ...process.env, INDUS_BUILD: "jit" } });
  if (build.exitCode !== 0) throw new Error(`INDUS_BUILD=jit scripts/build.ts failed: ${build.stderr}`);
  return bin;
}

/** The scripted examples (and the data file they share) copied to a temp dir, each scenario shortened to `duration`: their folder. */
export function scriptedExamples(duration = "3s"): string {
  const dir = tempDir("indus-scripted-");
  cpSync(join(ROOT, "examples/scripted"), join(dir, "scripted"), { recursive: true });
  cpSync(join(ROOT, "examples/data"), join(dir, "data"), { recursive: true });
  for (const name of ["login-browse", "paginated", "hmac"]) {
    const file = join(dir, "scripted", `${name}.yaml`);
    writeFileSync(file, readFileSync(file, "utf8").replace(/duration: "20s"/g, `duration: "${duration}"`));
  }
  return join(dir, "scripted");
}

export function writePlan(yaml: string, dir = tempDir()): string {
  const file = join(dir, "plan.yaml");
  writeFileSync(file, yaml);
  return file;
}

/** A plan of one constant scenario `s` whose VUs ask one URL over and over (the shape most end-to-end tests need). */
export function oneStepPlan(o: { name: string; url: string; vus: number; duration?: string; thinkTime?: string }): string {
  return `name: ${o.name}
scenarios:
  s:
    duration: ${o.duration ?? "1s"}
${o.thinkTime ? `    think_time: ${o.thinkTime}
` : ""}    profile: { type: constant, vus: ${o.vus} }
    steps:
      - { name: get, url: "${o.url}" }
`;
}

export interface ProcResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the compiled binary (or `bun src/main.ts` when INDUS_TEST_SOURCE is set) and collects its output. */
export async function runIndus(
  args: string[],
  opts: { timeoutMs?: number; env?: Record<string, string>; cwd?: string; bin?: string } = {},
): Promise<ProcResult> {
  const cmd = process.env.INDUS_TEST_SOURCE ? [process.execPath, join(ROOT, "src/main.ts"), ...args] : [opts.bin ?? BIN, ...args];
  const started = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...opts.env }, cwd: opts.cwd ?? ROOT });
  const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr, ms: performance.now() - started };
}

export function spawnIndus(args: string[], env: Record<string, string> = {}, bin = BIN) {
  const cmd = process.env.INDUS_TEST_SOURCE ? [process.execPath, join(ROOT, "src/main.ts"), ...args] : [bin, ...args];
  return Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...env }, cwd: ROOT });
}

/** Reads a child's stream until `text` has appeared; returns what was read (the stream may end first: check it). */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  while (!out.includes(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    out += decoder.decode(value, { stream: true });
  }
  return out;
}

/** A loopback port where nothing listens, held until release(): connections to it are refused. */
export interface ClosedPort {
  port: number;
  release(): void;
}

/**
 * Binds a port without listening on it: the local end of a connection to a throwaway server.
 * Connecting to it is refused (no listener), and no other process can bind it while it is held,
 * unlike a port bound and released, which the next `listen(0)` of a concurrent test may get.
 */
export async function holdClosedPort(): Promise<ClosedPort> {
  const server = createServer((s) => void s.on("error", () => {}));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const socket = connect({ port: (server.address() as { port: number }).port, host: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.on("error", () => {});
  return {
    port: socket.localPort!,
    release() {
      socket.destroy();
      server.close();
    },
  };
}
