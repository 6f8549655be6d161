// What every nginx started by indus's tests and benchmarks needs: a free port, waiting for it, a raw GET and a clean stop.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/** Resolves once 127.0.0.1:port accepts; throws with nginx's error log (from `dir`) after 5 s or if it exited. */
export async function waitForPort(port: number, proc: Subprocess, dir: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && proc.exitCode === null) {
    try {
      const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      socket.end();
      return;
    } catch {
      await Bun.sleep(25);
    }
  }
  let log = "";
  try {
    log = readFileSync(join(dir, "error.log"), "utf8");
  } catch {}
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within 5 s (exit code ${proc.exitCode}):\n${log}`);
}

/** One HTTP/1.0 GET on its own connection (so exactly one accept per call), bounded by 5 s. */
export async function rawGet(port: number, path: string): Promise<string> {
  const { promise, resolve, reject } = Promise.withResolvers<string>();
  let text = "";
  const timer = setTimeout(() => reject(new Error(`GET ${path}: no reply within 5 s`)), 5000);
  await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      open: (socket) => void socket.write(`GET ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n`),
      data: (_socket, chunk) => void (text += chunk.toString("latin1")),
      close: () => resolve(text),
      connectError: (_socket, error) => reject(error),
      error: (_socket, error) => reject(error),
    },
  });
  try {
    return await promise;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL if nginx is still there after 5 s. */
export async function stopProcess(proc: Subprocess): Promise<void> {
  proc.kill("SIGTERM");
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(5000).then(() => false)]);
  if (!exited) proc.kill("SIGKILL");
}
