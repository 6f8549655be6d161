// Whole runs over HTTP/2 and TLS: the login flow (checks, extraction, cookies, redirects) through an h2 front of the
// mock target, and a run whose TLS failures are named by kind in the summary, the HTML report and /metrics, with decoded
// bytes counted beside wire bytes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createSecureServer, createServer, type Http2SecureServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { collectPlanInputs, parsePlan } from "../../src/plan/index.ts";
import { formatSummary } from "../../src/report/text/index.ts";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { createControllerMetrics } from "../../src/observability/index.ts";
import { Registry } from "prom-client";
import { parseExposition, valueOf } from "../observability/exposition.ts";
import { feeder } from "../observability/synthetic.ts";
import { makeTestPki, type TestPki } from "../transport/certs.ts";
import { tempDir } from "../helpers.ts";
import { runFleet } from "./open-model.helpers.ts";

let mock: MockServer;
let front: Http2Server;
let frontStreams = 0;
let pki: TestPki;
let expired: Http2SecureServer;

/** HTTP/2 in front, the mock target (HTTP/1.1) behind: status, headers (every Set-Cookie) and body passed through. */
async function relay(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
  frontStreams++;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const forward: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(":") && typeof value === "string") forward[name] = value;
  const method = headers[":method"] ?? "GET";
  const response = await fetch(`${mock.url}${headers[":path"] ?? "/"}`, {
    method,
    headers: forward,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    redirect: "manual",
    decompress: false,
  });
  let body = Buffer.from(await response.arrayBuffer());
  // the front compresses what the client asks it to, as a CDN would
  const gzip = headers["accept-encoding"] === "gzip" && !response.headers.has("content-encoding");
  if (gzip) body = Buffer.from(Bun.gzipSync(body));
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (!["connection", "keep-alive", "transfer-encoding", "set-cookie", "content-length"].includes(name)) out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  if (gzip) out["content-encoding"] = "gzip";
  if (stream.destroyed) return;
  stream.respond({ ":status": response.status, "content-length": String(body.length), ...out });
  stream.end(body);
}

beforeAll(async () => {
  mock = createMockServer({ port: 0, quiet: true });
  front = createServer().on("stream", (s: ServerHttp2Stream, h) => {
    s.on("error", () => {});
    void relay(s, h).catch(() => s.close());
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", () => resolve()));

  pki = await makeTestPki();
  // the server's certificate expired a day before it began
  writeFileSync(join(pki.dir, "old.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n");
  for (const args of [
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=old", "-keyout", "old.key", "-out", "old.csr"],
    ["x509", "-req", "-in", "old.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "-1", "-out", "old.pem", "-extfile", "old.ext"],
  ]) {
    const p = Bun.spawn(["openssl", ...args], { cwd: pki.dir, stdout: "ignore", stderr: "ignore" });
    if ((await p.exited) !== 0) throw new Error("openssl failed");
  }
  expired = createSecureServer({ cert: readFileSync(join(pki.dir, "old.pem")), key: readFileSync(join(pki.dir, "old.key")) });
  expired.on("stream", (s: ServerHttp2Stream) => {
    s.respond({ ":status": 200 });
    s.end("ok");
  });
  expired.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => expired.listen(0, "127.0.0.1", () => resolve()));
});
afterAll(async () => {
  front.close();
  expired.close();
  await mock.stop();
  rmSync(pki.dir, { recursive: true, force: true });
});

describe("over HTTP/2", () => {
  test("examples/login-flow.yaml with http: 2 — logs in, uses the token and session cookie, follows the redirect; every check passes", async () => {
    const planFile = join(import.meta.dir, "../../examples/login-flow.yaml");
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const yaml = `http: "2"\n${readFileSync(planFile, "utf8").replaceAll("http://localhost:8080", url).replace('duration: "30s"', 'duration: "3s"')}`;
    const inputs = await collectPlanInputs(parsePlan(yaml, planFile), { planFile, planYaml: yaml }, {});
    const before = frontStreams;
    const result = await runFleet(yaml, { inputs, planFile, agents: [1] });
    const sc = result.summary.scenarios[0]!;
    expect(sc.stats.iterations).toBe(60);
    expect(sc.stats.errors).toBe(0);
    expect(sc.stats.checks_passed).toBe(60 * 8);
    expect(sc.steps.map((st) => st.stats.requests)).toEqual([60, 60, 120]);
    expect(frontStreams - before).toBe(sc.stats.requests); // every request went over h2
  }, 20_000);

  test("TLS failures are named by kind once in the summary; compression's decoded bytes are counted beside wire bytes", async () => {
    const dir = tempDir();
    const planFile = join(dir, "plan.yaml");
    writeFileSync(join(dir, "ca.pem"), pki.ca);
    const yaml = `name: kinds
http: "2"
tls: { ca: ca.pem }
scenarios:
  bad-cert:
    duration: 1s
    think_time: 50ms
    profile: { type: constant, vus: 2 }
    steps:
      - { name: expired, url: "https://127.0.0.1:${(expired.address() as AddressInfo).port}/" }
  zipped:
    duration: 1s
    think_time: 50ms
    compression: gzip
    profile: { type: constant, vus: 1 }
    steps:
      - { name: users, url: "http://127.0.0.1:${(front.address() as AddressInfo).port}/api/users", check: { status: 200 } }
`;
    writeFileSync(planFile, yaml);
    const inputs = await collectPlanInputs(parsePlan(yaml, planFile), { planFile, planYaml: yaml }, {});
    const result = await runFleet(yaml, { inputs, planFile, agents: [1] });
    const bad = result.summary.scenarios.find((s) => s.name === "bad-cert")!.stats;
    expect(bad.errorsByClass.tls).toBe(bad.requests);
    expect(bad.errorKinds).toEqual({ "tls: certificate expired": bad.requests });
    const text = formatSummary(result.summary);
    expect(text).toContain(`ERROR KINDS:\n  tls: certificate expired ×${bad.requests}`);
    const zipped = result.summary.scenarios.find((s) => s.name === "zipped")!.stats;
    expect(zipped.errors).toBe(0);
    expect(zipped.bytesDecoded ?? 0).toBeGreaterThan(zipped.bytesIn);
    expect(text).toContain("decoded: ");
    // the same figures in the HTML report and on the controller's /metrics
    const plan = parsePlan(yaml, planFile);
    const html = renderHtmlReport(reportInputFromResult(result, plan));
    expect(html).toContain(`<tr data-kind="tls: certificate expired"><td class="text">tls: certificate expired</td><td>${bad.requests}</td>`);
    expect(html).toContain("<th>Decoded bodies</th>");
    expect(html).toContain('data-scope="zipped / users"');
    const registry = new Registry();
    const feed = feeder(createControllerMetrics(registry, { processMetrics: false }));
    for (const entry of result.timeline) feed(result.runId, entry, plan);
    const exposed = parseExposition(await registry.metrics());
    expect(valueOf(exposed, "indus_controller_decoded_bytes_total", { run_id: result.runId, scenario: "zipped", step: "users" })).toBe(zipped.bytesDecoded!);
    expect(valueOf(exposed, "indus_controller_received_bytes_total", { run_id: result.runId, scenario: "zipped", step: "users" })).toBe(zipped.bytesIn);
    expect(valueOf(exposed, "indus_controller_error_kinds_total", { run_id: result.runId, class: "tls", kind: "certificate expired" })).toBe(bad.requests);
    rmSync(dir, { recursive: true, force: true });
  }, 20_000);
});
