// The mock's login endpoints and its stall: login hands out a token and a cookie, /api/me needs the token, redirects, a freeze.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

const login = (body: unknown) =>
  fetch(`${target.url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("login endpoints", () => {
  test("POST /api/login: a token for the user and a session cookie", async () => {
    const r = await login({ username: "ada", password: "x" });
    expect(r.status).toBe(200);
    expect(r.headers.getSetCookie()).toEqual([expect.stringMatching(/^session=s\d+; Path=\/; HttpOnly$/)]);
    const body = (await r.json()) as { token: string; user: { name: string } };
    expect(body.user).toEqual({ name: "ada" });
    expect(body.token).toStartWith("tok_");
  });

  test.each([
    ["no JSON", "nope", 400],
    ["no username", { password: "x" }, 400],
    ["the wrong password", { username: "ada", password: "wrong" }, 401],
  ])("POST /api/login with %s: %d", async (_, body, status) => {
    expect((await login(body)).status).toBe(status);
  });

  test("GET /api/me: the user behind the bearer token, and the session cookie sent along", async () => {
    const { token } = (await (await login({ username: "grace" })).json()) as { token: string };
    const me = await fetch(`${target.url}/api/me`, { headers: { authorization: `Bearer ${token}`, cookie: "theme=dark; session=s9" } });
    expect(await me.json()).toEqual({ user: { name: "grace" }, session: "s9" });
    const anonymous = await fetch(`${target.url}/api/me`);
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${target.url}/api/me`, { headers: { authorization: "Bearer forged" } })).status).toBe(401);
  });

  test("GET /api/redirect: where `to` says, with the status asked for; to=self loops", async () => {
    const r = await fetch(`${target.url}/api/redirect?to=/healthz&status=307`, { redirect: "manual" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toBe("/healthz");
    const self = await fetch(`${target.url}/api/redirect?to=self`, { redirect: "manual" });
    expect(self.headers.get("location")).toBe("/api/redirect?to=self");
    expect((await fetch(`${target.url}/api/redirect?status=200`, { redirect: "manual" })).status).toBe(400);
  });

  test("POST /__stall?for=300ms: answers wait until then, those in progress too", async () => {
    const slow = createMockServer({ port: 0, quiet: true, latency: 100, jitter: 0 });
    try {
      const started = performance.now();
      const during = fetch(`${slow.url}/api/users`);
      await Bun.sleep(20);
      const stall = await fetch(`${slow.url}/__stall?for=300ms`, { method: "POST" });
      expect(await stall.json()).toEqual({ stalled_ms: 300 });
      await during;
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
      const after = performance.now();
      await fetch(`${slow.url}/healthz`);
      expect(performance.now() - after).toBeLessThan(100);
      expect((await fetch(`${slow.url}/__stall?for=soon`, { method: "POST" })).status).toBe(400);
    } finally {
      await slow.stop();
    }
  });
});
