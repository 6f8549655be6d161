// HTTP/2, compression and the plan's tls: block across a real controller and agent: the CA, client certificate
// and key files named by the plan are read by the CLI and reach the agent inside the plan.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, rmSync } from "node:fs";
import { createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { makeTestPki, type TestPki } from "../transport/certs.ts";
import { writePlan } from "../helpers.ts";
import { ProcGroup, startCluster, summaryRequests } from "./harness.ts";

let pki: TestPki;
let server: Http2SecureServer;
const seen = { sessions: 0, requests: 0, gzip: 0, withClientCert: 0 };

beforeAll(async () => {
  pki = await makeTestPki();
  // mutual TLS: only clients with a certificate from the CA get in
  server = createSecureServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true });
  server.on("session", (session) => {
    seen.sessions++;
    session.on("error", () => {});
  });
  server.on("stream", (stream: ServerHttp2Stream, headers) => {
    stream.on("error", () => {});
    seen.requests++;
    if (headers["accept-encoding"] === "gzip") seen.gzip++;
    const socket = stream.session?.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } } | undefined;
    if (socket?.getPeerCertificate?.()?.subject?.CN === "client") seen.withClientCert++;
    const body = Bun.gzipSync(new TextEncoder().encode(JSON.stringify({ ok: true, pad: "x".repeat(4000) })));
    stream.respond({ ":status": 200, "content-encoding": "gzip", "content-type": "application/json", "content-length": String(body.length) });
    stream.end(body);
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
});
afterAll(() => {
  server.close();
  rmSync(pki.dir, { recursive: true, force: true });
});

describe("HTTP/2 + compression + tls: across a controller and an agent", () => {
  test("the agent speaks h2 over mutual TLS with the plan's CA and client certificate, decodes gzip for its checks", async () => {
    const g = new ProcGroup();
    try {
      const dir = g.dir();
      // the files live next to the plan only: the agent runs elsewhere (another cwd) and must get them with the plan
      for (const f of ["ca.pem", "client.pem", "client.key"]) copyFileSync(join(pki.dir, f), join(dir, f));
      const port = (server.address() as AddressInfo).port;
      const file = writePlan(
        `name: h2-over-mtls
http: "2"
connections: 2
tls:
  ca: ca.pem
  cert: client.pem
  key: client.key
  server_name: localhost
  min_version: "1.2"
scenarios:
  api:
    duration: 3s
    think_time: 20ms
    compression: gzip
    profile: { type: constant, vus: 4 }
    steps:
      - name: get
        url: https://127.0.0.1:${port}/data
        check: { status: 200, json: { ok: true }, body: xxxx }
thresholds:
  - { metric: error_ratio, condition: "<", value: 0.001 }
  - { metric: checks, condition: ">", value: 0.999 }
`,
        dir,
      );
      const c = await startCluster(g, { agents: 1 });
      const r = await c.client(["run", file, "--interval", "1s"], 30_000);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("All thresholds passed. Exit code: 0");
      const total = summaryRequests(r.stdout, "api");
      expect(total).toBeGreaterThan(50);
      expect(seen.requests).toBe(total);
      expect(seen.gzip).toBe(total);
      expect(seen.withClientCert).toBe(total);
      // one agent, one worker: its VUs share two connections
      expect(seen.sessions).toBe(2);
    } finally {
      await g.stop();
    }
  }, 40_000);
});
