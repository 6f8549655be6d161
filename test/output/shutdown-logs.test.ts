// SIGTERM to an agent or a controller whose stderr reader is behind: every JSON log line, the last included, arrives whole.
import { describe, expect, test } from "bun:test";
import { freePort } from "../../bench/support/nginx-process.ts";
import { tempDir } from "../helpers.ts";
import { laterReader } from "./pipe.ts";

/**
 * Starts indus with its stderr on a pipe to a reader that has not started yet, waits for /readyz, sends SIGTERM,
 * lets the reader start (slowly), and collects all of stderr.
 */
async function logsAfterSigterm(args: string[], metricsPort: number): Promise<{ code: number; stderr: string }> {
  const { pid, startReading, done } = await laterReader("stderr", args, { INDUS_DATA_DIR: tempDir() });
  const killer = setTimeout(() => process.kill(pid, "SIGKILL"), 30_000);
  try {
    let exited = false;
    void done.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`indus ${args[0]} exited before it was ready: ${(await done).stderr.slice(0, 2000)}`);
      const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      await Bun.sleep(50);
    }
    process.kill(pid, "SIGTERM");
    startReading();
    return await done;
  } finally {
    clearTimeout(killer);
  }
}

function jsonLines(stderr: string): Record<string, unknown>[] {
  expect(stderr.endsWith("\n")).toBe(true);
  return stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("logs on SIGTERM (compiled binary)", () => {
  test("agent: every line, the shutdown ones last, arrives whole", async () => {
    // an id of 100 KB (one argument holds 128 KB at most) rides on every line: the startup lines alone fill the pipe many times over
    const id = "agent-" + "i".repeat(100_000);
    const port = freePort();
    const r = await logsAfterSigterm(["agent", `--id=${id}`, "--grpc-addr=127.0.0.1:0", `--metrics-addr=127.0.0.1:${port}`, "--log-format=json"], port);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stderr);
    expect(lines.every((l) => l.agent_id === id)).toBe(true);
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain("agent gRPC server listening");
    expect(messages).toContain("agent shutting down");
    expect(messages.indexOf("agent shutting down")).toBeGreaterThan(messages.indexOf("agent gRPC server listening"));
  });

  test("controller: the shutdown line arrives after a startup line larger than the pipe", async () => {
    const agents = Array.from({ length: 6_000 }, (_, i) => `127.77.${i >> 8}.${i & 255}:9`).join(",");
    const port = freePort();
    const r = await logsAfterSigterm(["controller", "--grpc-addr=127.0.0.1:0", `--metrics-addr=127.0.0.1:${port}`, `--agents=${agents}`, "--log-format=json"], port);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stderr);
    expect(r.stderr.length).toBeGreaterThan(90_000);
    const messages = lines.map((l) => l.msg);
    expect(lines.find((l) => l.msg === "controller gRPC server starting")?.agents).toBe(agents);
    expect(messages).toContain("controller shutting down");
    expect(messages.indexOf("controller shutting down")).toBeGreaterThan(messages.indexOf("controller gRPC server starting"));
  });
});
