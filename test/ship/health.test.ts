// The image's HEALTHCHECK command, run against real agent and controller processes: healthy while they serve, unhealthy
// once they stop serving (frozen with SIGSTOP, or gone). No Docker engine here, so the command runs on the host as-is.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createReadiness, storeAnswers } from "../../src/cli/readiness.ts";
import { securityFromFlags } from "../../src/cli/security-flags.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { openRunStore } from "../../src/store/index.ts";
import { ProcGroup, type Proc } from "../distributed/harness.ts";
import { ROOT, runIndus, tempDir } from "../helpers.ts";

/** The exec-form HEALTHCHECK of the Dockerfile: its options and the argv it runs. */
function dockerHealthcheck(): { options: string; argv: string[] } {
  const text = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const m = /^HEALTHCHECK\s+(.*?)\s*CMD\s+(\[.*\])\s*$/m.exec(text);
  if (!m) throw new Error("Dockerfile has no exec-form HEALTHCHECK ... CMD [...]");
  return { options: m[1]!, argv: JSON.parse(m[2]!) as string[] };
}

async function metricsPort(proc: Proc): Promise<number> {
  const line = await proc.waitFor((l) => l.includes('"metrics server listening"'), 15_000, "err");
  return Number(String(JSON.parse(line).addr).split(":").at(-1));
}

/** Runs the HEALTHCHECK's command (the image's `indus` is our binary) aimed at this host:port, as the image's env would. */
function healthcheck(port: number) {
  const [bin, ...args] = dockerHealthcheck().argv;
  expect(bin).toBe("indus");
  return runIndus(args, { timeoutMs: 20_000, env: { INDUS_HEALTH_ADDR: `127.0.0.1:${port}` } });
}

describe("Dockerfile HEALTHCHECK", () => {
  const group = new ProcGroup();
  afterAll(() => group.stop());

  test("probes the binary's own /readyz, with a timeout and retries", () => {
    const hc = dockerHealthcheck();
    expect(hc.argv).toEqual(["indus", "health"]);
    expect(hc.options).toMatch(/--interval=\S+/);
    expect(hc.options).toMatch(/--timeout=\S+/);
    expect(hc.options).toMatch(/--retries=\d+/);
  });

  test("agent: healthy while serving, unhealthy when frozen, healthy again, unhealthy once stopped", async () => {
    const agent = group.spawn("agent", ["agent", "--id=hc-agent", "--grpc-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0"]);
    const port = await metricsPort(agent);
    const up = await healthcheck(port);
    expect(up.stdout).toBe(`ready: 127.0.0.1:${port}/readyz\n`);
    expect(up.code).toBe(0);

    agent.kill("SIGSTOP"); // a hung process: the port still accepts, nothing answers
    const frozen = await healthcheck(port);
    expect(frozen.stderr).toContain("no answer within");
    expect(frozen.code).toBe(1);
    agent.kill("SIGCONT");
    expect((await healthcheck(port)).code).toBe(0);

    agent.kill("SIGTERM");
    expect(await agent.exited).toBe(0);
    const gone = await healthcheck(port);
    expect(gone.stderr).toStartWith(`not ready: 127.0.0.1:${port}/readyz:`);
    expect(gone.code).toBe(1);
  });

  test("controller with a run store: healthy while serving, unhealthy once stopped", async () => {
    const controller = group.spawn("controller", ["controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0", `--data-dir=${group.dir()}`]);
    const port = await metricsPort(controller);
    expect((await healthcheck(port)).code).toBe(0);
    controller.kill("SIGTERM");
    await controller.exited;
    expect((await healthcheck(port)).code).toBe(1);
  });

  test("a wrong address is bad input (exit 2), not a health verdict", async () => {
    const r = await runIndus(["health", "--addr=nonsense"]);
    expect(r.stderr).toContain('--addr must be host:port');
    expect(r.code).toBe(2);
  });
});

describe("/readyz's answer", () => {
  test("ready only between listening and the start of shutdown", () => {
    const r = createReadiness();
    expect(r.ready()).toBe(false);
    r.listening();
    expect(r.ready()).toBe(true);
    r.stopping();
    expect(r.ready()).toBe(false);
  });

  test("the controller is not ready while its run store does not answer (a real SQLite store, closed)", () => {
    const store = openRunStore(tempDir("indus-ready-store-"));
    const r = createReadiness([storeAnswers(store)]);
    r.listening();
    expect(r.ready()).toBe(true);
    store.close();
    expect(r.ready()).toBe(false);
    expect(storeAnswers(undefined)()).toBe(true); // no store: runs kept in memory
  });
});

describe("--token-file / INDUS_TOKEN_FILE", () => {
  const io = (env: Record<string, string> = {}): CliIo => ({ stdout: { write() {} }, stderr: { write() {} }, env, onSignal: () => () => {}, exitNow: () => { throw new Error("exit"); } });
  const file = (text: string) => {
    const f = join(tempDir("indus-token-"), "token");
    writeFileSync(f, text);
    return f;
  };

  test("reads the token from the file, without the trailing newline; --token and INDUS_TOKEN win", () => {
    const f = file("s3cret\n");
    expect(securityFromFlags(io(), { "token-file": f }).token).toBe("s3cret");
    expect(securityFromFlags(io({ INDUS_TOKEN_FILE: f }), {}).token).toBe("s3cret");
    expect(securityFromFlags(io({ INDUS_TOKEN: "env" }), { "token-file": f }).token).toBe("env");
    expect(securityFromFlags(io(), { token: "flag", "token-file": f }).token).toBe("flag");
  });

  test("a missing or empty file is a clear error", () => {
    expect(() => securityFromFlags(io(), { "token-file": "/nonexistent/token" })).toThrow(/--token-file: cannot read \/nonexistent\/token/);
    expect(() => securityFromFlags(io({ INDUS_TOKEN_FILE: file("\n") }), {})).toThrow(/INDUS_TOKEN_FILE: .* is empty/);
  });

  test("an agent on every interface starts with its token from a file (it refuses without one)", async () => {
    const group = new ProcGroup();
    try {
      const agent = group.spawn("agent", ["agent", "--grpc-addr=0.0.0.0:0", "--metrics-addr=off", `--token-file=${file("t0ken\n")}`]);
      await agent.waitFor(/agent gRPC server listening/, 15_000, "err");
      const refused = await runIndus(["agent", "--grpc-addr=0.0.0.0:0", "--metrics-addr=off"], { env: { INDUS_TOKEN: "" } });
      expect(refused.code).toBe(2);
    } finally {
      await group.stop();
    }
  });
});
