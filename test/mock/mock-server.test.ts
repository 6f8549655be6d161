// The mock target, run for real on 127.0.0.1: endpoints, latency, injected errors, counts, and stopping.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMockServer, describeMockServer, type MockServer } from "../../src/mock/index.ts";

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: any }> {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

describe("endpoints (zero-latency mode)", () => {
  let server: MockServer;
  beforeAll(() => {
    server = createMockServer({ port: 0 });
  });
  afterAll(() => server.stop());

  test("listens on 127.0.0.1 at a free port and says so", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(describeMockServer(server)).toBe(
      `🚀 Mock server starting on :${server.port}\nTest with: curl http://localhost:${server.port}/healthz`,
    );
  });

  test("GET /healthz", async () => {
    const r = await getJson(`${server.url}/healthz`);
    expect(r).toEqual({ status: 200, type: "application/json", body: { status: "ok" } });
  });

  test("GET /api/users is a JSON list", async () => {
    const r = await getJson(`${server.url}/api/users`);
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json");
    expect(Array.isArray(r.body.users)).toBe(true);
    expect(r.body.users.length).toBe(r.body.total);
    expect(r.body.users[0]).toMatchObject({ id: 1, name: expect.any(String), email: expect.any(String) });
  });

  test("POST /api/orders echoes the order with 201", async () => {
    const r = await getJson(`${server.url}/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ item: "widget", quantity: 1 }),
    });
    expect(r.status).toBe(201);
    expect(r.type).toBe("application/json");
    expect(r.body).toMatchObject({ status: "created", order: { item: "widget", quantity: 1 } });
    expect(typeof r.body.id).toBe("number");
    const second = await getJson(`${server.url}/api/orders`, { method: "POST", body: "not json" });
    expect(second.status).toBe(201);
    expect(second.body.order).toBe("not json");
    expect(second.body.id).toBeGreaterThan(r.body.id);
  });

  test("POST /api/checkout", async () => {
    const r = await getJson(`${server.url}/api/checkout`, { method: "POST", body: '{"payment_method":"card"}' });
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json");
    expect(r.body.status).toBe("paid");
  });

  test("GET /api/reports/summary is the bigger body", async () => {
    const res = await fetch(`${server.url}/api/reports/summary`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    expect(text.length).toBeGreaterThan(2000);
    const body = JSON.parse(text);
    expect(body.days.length).toBeGreaterThan(0);
    expect(body.totals.orders).toBeGreaterThan(0);
  });

  test("the same body twice (precomputed bodies are reusable)", async () => {
    const a = await (await fetch(`${server.url}/api/users`)).text();
    const b = await (await fetch(`${server.url}/api/users`)).text();
    expect(b).toBe(a);
  });

  test("unknown path is 404, wrong method on a known path is 405", async () => {
    const nf = await getJson(`${server.url}/nope`);
    expect(nf).toEqual({ status: 404, type: "application/json", body: { error: "not found" } });
    const res = await fetch(`${server.url}/api/users`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    await res.arrayBuffer();
  });
});

describe("/__stats", () => {
  test("counts what was served, by path, excluding itself", async () => {
    const server = createMockServer({ port: 0 });
    try {
      for (let i = 0; i < 7; i++) await (await fetch(`${server.url}/api/users`)).arrayBuffer();
      for (let i = 0; i < 3; i++) await (await fetch(`${server.url}/healthz`)).arrayBuffer();
      await (await fetch(`${server.url}/missing`)).arrayBuffer();
      const first = await getJson(`${server.url}/__stats`);
      const second = await getJson(`${server.url}/__stats`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        requests: 11,
        byPath: { "/api/users": 7, "/healthz": 3, "/missing": 1 },
      });
      expect(second.body.requests).toBe(11);
      expect(first.body.connections).toBeGreaterThanOrEqual(1);
      expect(server.stats()).toMatchObject({ requests: 11, byPath: first.body.byPath });
    } finally {
      await server.stop();
    }
  });

  test("connections counts distinct client connections (keep-alive reuses one)", async () => {
    const server = createMockServer({ port: 0 });
    try {
      const open = async () => {
        const chunks: string[] = [];
        const socket = await Bun.connect({
          hostname: "127.0.0.1",
          port: server.port,
          socket: { data: (_s, d) => void chunks.push(d.toString()) },
        });
        return { socket, chunks };
      };
      const a = await open();
      const b = await open();
      a.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3));
      b.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2));
      const done = () => server.stats().requests === 5;
      for (let i = 0; i < 100 && !done(); i++) await Bun.sleep(10);
      expect(server.stats()).toMatchObject({ requests: 5, connections: 2 });
      a.socket.end();
      b.socket.end();
    } finally {
      await server.stop();
    }
  });
});

describe("injected errors", () => {
  test("errorRate 1 answers every API call 500, but never /healthz", async () => {
    const server = createMockServer({ port: 0, errorRate: 1 });
    try {
      for (const [method, path] of [
        ["GET", "/api/users"],
        ["POST", "/api/orders"],
        ["POST", "/api/checkout"],
        ["GET", "/api/reports/summary"],
      ] as const) {
        for (let i = 0; i < 5; i++) {
          const r = await getJson(`${server.url}${path}`, { method, body: method === "POST" ? "{}" : undefined });
          expect(r.status).toBe(500);
          expect(r.type).toBe("application/json");
        }
      }
      expect((await getJson(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  test("errorRate 0 answers none 500", async () => {
    const server = createMockServer({ port: 0, errorRate: 0 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async () => (await fetch(`${server.url}/api/users`)).status),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  test("errorRate 0.3 fails about 30%, the same requests for the same seed", async () => {
    const run = async () => {
      const server = createMockServer({ port: 0, errorRate: 0.3, seed: 42 });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 200; i++) statuses.push((await fetch(`${server.url}/api/users`)).status);
        return statuses;
      } finally {
        await server.stop();
      }
    };
    const first = await run();
    const failed = first.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
    expect(await run()).toEqual(first);
  });
});

describe("latency", () => {
  const timed = async (url: string) => {
    const start = performance.now();
    await (await fetch(url)).arrayBuffer();
    return performance.now() - start;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  test("a 50 ms mean is honoured (with the default jitter), /healthz stays fast", async () => {
    const server = createMockServer({ port: 0, latency: 50 });
    try {
      const users = await Promise.all(Array.from({ length: 20 }, () => timed(`${server.url}/api/users`)));
      expect(median(users)).toBeGreaterThanOrEqual(25);
      expect(users.every((ms) => ms >= 0)).toBe(true);
      // /healthz skips the 50 ms: well under /api/users measured the same way (a loaded machine slows both alike)
      expect(median(await Promise.all(Array.from({ length: 5 }, () => timed(`${server.url}/healthz`))))).toBeLessThan(median(users) - 25);
    } finally {
      await server.stop();
    }
  });

  test("with no jitter every response waits at least half the latency; the summary waits 3×", async () => {
    const server = createMockServer({ port: 0, latency: 50, jitter: 0 });
    try {
      const users = await Promise.all(Array.from({ length: 5 }, () => timed(`${server.url}/api/users`)));
      expect(Math.min(...users)).toBeGreaterThanOrEqual(25);
      expect(await timed(`${server.url}/api/reports/summary`)).toBeGreaterThanOrEqual(75);
    } finally {
      await server.stop();
    }
  });

  test("errors are delayed like successes", async () => {
    const server = createMockServer({ port: 0, latency: 50, jitter: 0, errorRate: 1 });
    try {
      expect(await timed(`${server.url}/api/users`)).toBeGreaterThanOrEqual(25);
    } finally {
      await server.stop();
    }
  });
});

describe("lifecycle", () => {
  test("stop() frees the port", async () => {
    const server = createMockServer({ port: 0 });
    const port = server.port;
    await (await fetch(`${server.url}/healthz`)).arrayBuffer();
    await server.stop();
    const again = createMockServer({ port });
    try {
      expect(again.port).toBe(port);
      expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    } finally {
      await again.stop();
    }
  });

  test("a taken port is an error", async () => {
    const server = createMockServer({ port: 0 });
    try {
      expect(() => createMockServer({ port: server.port })).toThrow();
    } finally {
      await server.stop();
    }
  });

  test("bad options are refused with every problem named", () => {
    expect(() => createMockServer({ port: 0, latency: -1, errorRate: 2 })).toThrow(/latency.*errorRate/);
  });

  test("describes a non-local host by its address", () => {
    expect(describeMockServer({ port: 9000, hostname: "10.0.0.5" })).toBe(
      "🚀 Mock server starting on 10.0.0.5:9000\nTest with: curl http://10.0.0.5:9000/healthz",
    );
  });
});
