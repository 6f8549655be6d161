// --dashboard / --ui-addr refusals: each one screen, exit 2, before any load is sent.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT, runIndus, tempDir } from "../helpers.ts";

const plan = join(ROOT, "examples", "basic.yaml");

describe("dashboard flags", () => {
  const busy = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("taken") });
  const data = tempDir("indus-dash-flags-");
  afterAll(() => busy.stop(true));

  const cases: [string, string[], RegExp][] = [
    ["with --controller", ["run", plan, "--controller=127.0.0.1:1", "--dashboard"], /--dashboard shows a local run/],
    ["not host:port", ["run", plan, "--dashboard=nonsense"], /--dashboard=nonsense: not host:port/],
    // a local run's dashboard has no TLS: the message names only what run can do, and --insecure is one of run's flags
    ["every interface without a token", ["run", plan, "--dashboard=:0"], /refusing to listen on \S+ without --token; pass --insecure to allow\n.*--insecure serves it to anyone, read-only/],
    ["a port in use", ["run", plan, `--dashboard=127.0.0.1:${busy.port}`], /--dashboard: cannot listen on 127\.0\.0\.1:\d+/],
    ["controller: every interface without a token", ["controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off", "--ui-addr=0.0.0.0:0"], /refusing to listen on .*without --token or TLS/],
  ];
  for (const [name, args, message] of cases) {
    test(`${name}: exit 2, one message`, async () => {
      const r = await runIndus([...args, "--data-dir", data], { timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain("    at ");
    });
  }
});
