// scripts/mock-server.ts as a real process: startup lines, serving, bad flags, and a clean stop on SIGTERM/SIGINT.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "../../scripts/mock-server.ts");

async function firstLines(stream: ReadableStream<Uint8Array>, count: number): Promise<string[]> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (text.split("\n").length > count) break;
  }
  return text.split("\n").slice(0, count);
}

describe("scripts/mock-server.ts", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`serves until ${signal}, then exits 0`, async () => {
      const proc = Bun.spawn([process.execPath, SCRIPT, "--port", "0", "--latency", "5ms"], { stdout: "pipe", stderr: "pipe" });
      try {
        const [starting, hint] = await firstLines(proc.stdout, 2);
        const port = Number(/starting on :(\d+)$/.exec(starting ?? "")?.[1]);
        expect(port).toBeGreaterThan(0);
        expect(hint).toBe(`Test with: curl http://localhost:${port}/healthz`);
        const res = await fetch(`http://127.0.0.1:${port}/api/users`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        proc.kill(signal);
        expect(await proc.exited).toBe(0);
      } finally {
        proc.kill();
      }
    });
  }

  test("a bad flag exits 2 with the reason", async () => {
    const proc = Bun.spawn([process.execPath, SCRIPT, "--error-rate", "2"], { stdout: "pipe", stderr: "pipe" });
    expect(await proc.exited).toBe(2);
    expect(await new Response(proc.stderr).text()).toContain('--error-rate: expected a fraction 0..1 or a percentage like 5%, got "2"');
  });
});
