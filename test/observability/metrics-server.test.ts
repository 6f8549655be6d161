// The /metrics, /healthz and /readyz endpoint, over real HTTP on 127.0.0.1.
import { describe, expect, test } from "bun:test";
import { Counter, Registry } from "prom-client";
import { IndusError } from "../../src/core/errors.ts";
import { createLogger, createRegistry, parseListenAddress, startMetricsServer } from "../../src/observability/index.ts";

describe("startMetricsServer", () => {
  test("serves the registry it is given, health, and readiness as ready() says", async () => {
    const registry = createRegistry();
    new Counter({ name: "indus_test_things_total", help: "things", registers: [registry] }).inc(3);
    let ready = false;
    const logs: string[] = [];
    const server = await startMetricsServer({
      address: "127.0.0.1:0",
      registry,
      ready: () => ready,
      logger: createLogger({ format: "json", level: "info", write: (l) => logs.push(l) }),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect(server.port).toBeGreaterThan(0);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
      expect(await metrics.text()).toContain("indus_test_things_total 3");

      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, "ok\n"]);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
      expect(JSON.parse(logs[0]!)).toMatchObject({ level: "INFO", msg: "metrics server listening", addr: `127.0.0.1:${server.port}` });
    } finally {
      await server.stop();
    }
  });

  test("a port already taken is a clear error, not a stack trace", async () => {
    const first = await startMetricsServer({ address: "127.0.0.1:0", registry: createRegistry(), ready: () => true });
    try {
      const second = startMetricsServer({ address: `127.0.0.1:${first.port}`, registry: createRegistry(), ready: () => true });
      await expect(second).rejects.toBeInstanceOf(IndusError);
      await expect(second).rejects.toThrow(`cannot serve metrics on 127.0.0.1:${first.port}`);
    } finally {
      await first.stop();
    }
  });
});

describe("parseListenAddress", () => {
  test.each([
    [":9090", { hostname: "0.0.0.0", port: 9090 }],
    ["127.0.0.1:0", { hostname: "127.0.0.1", port: 0 }],
    ["localhost:9091", { hostname: "localhost", port: 9091 }],
    ["[::1]:9090", { hostname: "::1", port: 9090 }],
  ])("%p", (address, expected) => {
    expect(parseListenAddress(address)).toEqual(expected);
  });

  test.each(["9090", "host", ":99999", "::1:9090", "a b:1"])("%p is refused", (address) => {
    expect(() => parseListenAddress(address)).toThrow(/is not host:port/);
  });
});
