// The pieces of a scenario's steps that need no network: cookie jar, templates, checks, extraction, data rows.
import { describe, expect, test } from "bun:test";
import { compileChecks } from "../../src/engine/steps/checks.ts";
import { CookieJar } from "../../src/engine/steps/cookies.ts";
import { createDataFeed } from "../../src/engine/steps/data-feed.ts";
import { compileExtracts } from "../../src/engine/steps/extract.ts";
import { compileScenario } from "../../src/engine/steps/program.ts";
import { compileTemplate, type TemplateContext } from "../../src/engine/steps/template.ts";
import { LookupResponse } from "../../src/engine/response.ts";
import type { RequestResult } from "../../src/engine/types.ts";
import { parsePlan } from "../../src/plan/index.ts";

const ctx = (vars: Record<string, string> = {}): TemplateContext => ({ vu: 3, iteration: 7, scenario: "shop", vars: new Map(Object.entries(vars)) });

describe("cookie jar", () => {
  const url = (u: string) => new URL(u);
  test.each([
    // set by, Set-Cookie lines, asked for, Cookie header
    ["sent back to its host", "http://a.test/login", ["s=1"], "http://a.test/me", "s=1"],
    ["host-only: not to a subdomain", "http://a.test/", ["s=1"], "http://x.a.test/", null],
    ["Domain: to subdomains too", "http://www.a.test/", ["s=1; Domain=a.test"], "http://x.a.test/", "s=1"],
    ["Domain of another site is refused", "http://a.test/", ["s=1; Domain=b.test"], "http://b.test/", null],
    ["default path is the request's directory", "http://a.test/api/login", ["s=1"], "http://a.test/other", null],
    ["Path=/ covers all", "http://a.test/api/login", ["s=1; Path=/"], "http://a.test/other", "s=1"],
    ["path prefix at a /", "http://a.test/", ["s=1; Path=/api"], "http://a.test/apix", null],
    ["Secure only over https", "https://a.test/", ["s=1; Secure"], "http://a.test/", null],
    ["Max-Age=0 deletes", "http://a.test/", ["s=1", "s=2; Max-Age=0"], "http://a.test/", null],
    ["Expires in the past deletes", "http://a.test/", ["s=1", "s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"], "http://a.test/", null],
    ["a newer value replaces", "http://a.test/", ["s=1", "s=2"], "http://a.test/", "s=2"],
    ["longer paths first", "http://a.test/", ["a=1; Path=/", "b=2; Path=/api"], "http://a.test/api/x", "b=2; a=1"],
    ["no name: ignored", "http://a.test/", ["=1", "junk"], "http://a.test/", null],
  ] as const)("%s", (_, from, lines, to, header) => {
    const jar = new CookieJar(() => 1_000_000);
    jar.store(lines, url(from));
    expect(jar.header(url(to))).toBe(header);
  });

  test("Max-Age expires with the clock", () => {
    let now = 0;
    const jar = new CookieJar(() => now);
    jar.store(["s=1; Max-Age=10"], url("http://a.test/"));
    expect(jar.get("s")).toBe("1");
    now = 10_001;
    expect(jar.get("s")).toBeUndefined();
    expect(jar.header(url("http://a.test/"))).toBeNull();
  });
});

describe("templates", () => {
  test("text without templates stays a constant", () => {
    expect(compileTemplate("http://a.test/x", {})).toBe("http://a.test/x");
  });

  test("env is resolved once, into the text", () => {
    expect(compileTemplate("{{env.BASE}}/x", { BASE: "http://a.test" })).toBe("http://a.test/x");
  });

  test("variables, built-ins and random_int render per call", () => {
    const render = compileTemplate("{{scenario}}/{{vu}}/{{iteration}}/{{token}}/{{missing}}/{{random_int(2,2)}}", {});
    if (typeof render === "string") throw new Error("expected a render function");
    expect(render(ctx({ token: "t" }))).toBe("shop/3/7/t//2");
  });

  test("uuid and timestamp are fresh each time", () => {
    const render = compileTemplate("{{uuid}} {{timestamp}}", {}) as (c: TemplateContext) => string;
    const [a, b] = [render(ctx()), render(ctx())];
    expect(a).toMatch(/^[0-9a-f-]{36} \d{13}$/);
    expect(a.slice(0, 36)).not.toBe(b.slice(0, 36));
  });
});

const result = (status: number, durationUs = 1000): RequestResult => ({ status, durationUs, bytesIn: 0, bytesOut: 0, error: null, connected: false });
const response = (status: number, body: string, headers: Record<string, string> = {}) =>
  new LookupResponse(status, (n) => headers[n.toLowerCase()], new TextEncoder().encode(body));

describe("checks", () => {
  const plan = parsePlan(
    `name: c
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps:
      - name: a
        url: http://a.test/
        check:
          status: [200, "300-302"]
          header: { content-type: { matches: json }, x-user: "{{user}}" }
          body: ada
          json:
            data.items[0].id: 7
            token: { exists: true }
            error: { exists: false }
            user: "{{user}}"
          max_duration: 5ms
        extract: { user: { json: user } }
`,
    "c.yaml",
  );
  const checks = compileChecks(plan.scenarios[0]!.steps[0]!.checks!);
  const good = response(200, '{"data": {"items": [{"id": "7"}]}, "token": "t", "user": "ada"}', { "content-type": "application/json", "x-user": "ada" });

  test("names say what each check asks", () => {
    expect(checks.map((c) => c.name)).toEqual([
      "status 200, 300-302",
      "header content-type matches json",
      "header x-user equals {{user}}",
      'body contains "ada"',
      "json data.items[0].id equals 7",
      "json token exists",
      "json error is absent",
      'json user equals "{{user}}"',
      "duration <= 5ms",
    ]);
    expect(checks.map((c) => c.needsResponse)).toEqual([false, true, true, true, true, true, true, true, false]);
  });

  test("a good response passes every check (a number also matches its text)", () => {
    expect(checks.map((c) => c.test(result(200), good, ctx({ user: "ada" })))).toEqual(new Array(9).fill(true));
  });

  test("each check fails on its own", () => {
    const bad = response(404, '{"error": "x", "user": "bob"}', { "content-type": "text/plain", "x-user": "bob" });
    expect(checks.map((c) => c.test(result(404, 9000), bad, ctx({ user: "ada" })))).toEqual([false, false, false, false, false, false, false, false, false]);
  });

  test("no response (the request failed) fails every check", () => {
    expect(checks.map((c) => c.test(result(0), null, ctx({ user: "ada" })))).toEqual(new Array(9).fill(false));
  });

  test("a repeated check gets a number", () => {
    const twice = compileChecks([{ kind: "body", contains: "a" }, { kind: "body", contains: "a" }]);
    expect(twice.map((c) => c.name)).toEqual(['body contains "a"', 'body contains "a" #2']);
  });
});

describe("extraction", () => {
  const extracts = compileExtracts([
    { name: "token", from: "json", path: "auth.token" },
    { name: "n", from: "json", path: "count" },
    { name: "trace", from: "header", header: "X-Trace" },
    { name: "id", from: "regex", pattern: "id=(\\d+)" },
    { name: "sid", from: "cookie", cookie: "sid" },
    { name: "none", from: "json", path: "nope" },
  ]);
  test("reads JSON (scalars as text), headers, the first regex group and cookies", () => {
    const res = response(200, '{"auth": {"token": "abc"}, "count": 3, "note": "id=42"}', { "x-trace": "t-9" });
    const r: RequestResult = { ...result(200), setCookies: ["sid=s1; Path=/"] };
    expect(extracts.map((e) => e.read(r, res, null))).toEqual(["abc", "3", "t-9", "42", "s1", undefined]);
  });

  test("a cookie from earlier comes from the jar", () => {
    const jar = new CookieJar();
    jar.store(["sid=old"], new URL("http://a.test/"));
    expect(extracts[4]!.read(result(200), null, jar)).toBe("old");
  });
});

describe("data rows", () => {
  const rows = [["a"], ["b"], ["c"], ["d"], ["e"]];
  const take = (feed: ReturnType<typeof createDataFeed>, n: number, arrivals?: number[]) =>
    Array.from({ length: n }, (_, i) => feed.next(arrivals?.[i])?.[0] ?? null);

  test("sequential: part p of P takes rows p, p+P, … and wraps around", () => {
    expect(take(createDataFeed(["x"], rows, "sequential", { index: 0, count: 1 }), 7)).toEqual(["a", "b", "c", "d", "e", "a", "b"]);
    expect(take(createDataFeed(["x"], rows, "sequential", { index: 1, count: 2 }), 4)).toEqual(["b", "d", "a", "c"]);
  });

  test("unique: every row once across the parts, then null", () => {
    const parts = [0, 1].map((index) => createDataFeed(["x"], rows, "unique", { index, count: 2 }));
    expect(take(parts[0]!, 4)).toEqual(["a", "c", "e", null]);
    expect(take(parts[1]!, 3)).toEqual(["b", "d", null]);
  });

  test("open model: arrival k takes row k, whatever part runs it", () => {
    expect(take(createDataFeed(["x"], rows, "sequential", { index: 0, count: 1 }), 3, [0, 6, 4])).toEqual(["a", "b", "e"]);
    expect(take(createDataFeed(["x"], rows, "unique", { index: 0, count: 1 }), 3, [1, 4, 5])).toEqual(["b", "e", null]);
  });

  test("random: rows from the file", () => {
    const seen = new Set(take(createDataFeed(["x"], rows, "random", { index: 0, count: 1 }), 200));
    expect([...seen].every((v) => v !== null && "abcde".includes(v))).toBe(true);
    expect(seen.size).toBeGreaterThan(3);
  });
});

describe("compiled steps", () => {
  const plan = parsePlan(
    `name: p
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps:
      - { name: plain, url: "http://a.test/x" }
      - { name: checked, url: "http://a.test/x", check: { status: 200 } }
      - { name: captured, url: "http://a.test/x", check: { body: ok } }
      - { name: templated, url: "http://a.test/{{vu}}", method: POST, headers: { X-It: "{{iteration}}" }, body: '{"at": {{iteration}}}' }
`,
    "p.yaml",
  );
  const [plain, checked, captured, templated] = compileScenario(plan.scenarios[0]!).steps;

  test("a step without templates keeps one prepared request; capture only where a check or extraction reads the response", () => {
    expect(plain!.render).toBeNull();
    expect(plain!.request?.capture).toBeUndefined();
    expect(checked!.request?.capture).toBeUndefined();
    expect(captured!.request?.capture).toBe(true);
  });

  test("a templated step renders a request per iteration", () => {
    expect(templated!.request).toBeNull();
    const r = templated!.render!(ctx());
    if (typeof r === "string") throw new Error(r);
    expect(r.url.href).toBe("http://a.test/3");
    expect(r.method).toBe("POST");
    expect(r.headers).toEqual({ "X-It": "7" });
    expect(new TextDecoder().decode(r.body)).toBe('{"at": 7}');
  });

  test("a URL that renders into no URL is refused, not thrown", () => {
    const p = parsePlan(
      `name: p
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps:
      - { name: bad, url: "{{base}}/x", extract: { base: { json: base } } }
`,
      "p.yaml",
    );
    const step = compileScenario(p.scenarios[0]!).steps[0]!;
    expect(step.render!(ctx({ base: "" }))).toBe('the URL rendered as "/x", which is not a URL');
  });
});
