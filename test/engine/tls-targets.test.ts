// The plan's tls: settings on every engine, against local TLS servers with certificates made by openssl here:
// unknown CA, extra CA, name mismatch, SNI override, expired, mutual TLS, minimum version, verification off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { createSecureServer, type ServerHttp2Stream } from "node:http2";
import { createServer, type ServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createEngine, createH2Engine, type Engine, type TlsSettings } from "../../src/engine/index.ts";
import { makeTestPki, type TestPki } from "../transport/certs.ts";
import { req, send } from "./helpers.ts";

let pki: TestPki;
let expired: { cert: string; key: string };
const closers: (() => void)[] = [];

async function openssl(dir: string, args: string[]): Promise<void> {
  const proc = Bun.spawn(["openssl", ...args], { cwd: dir, stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`openssl failed: ${await new Response(proc.stderr).text()}`);
}

beforeAll(async () => {
  pki = await makeTestPki();
  // signed by the CA for 127.0.0.1, but its validity ended a day before it began
  writeFileSync(join(pki.dir, "old.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await openssl(pki.dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=old", "-keyout", "old.key", "-out", "old.csr"]);
  await openssl(pki.dir, ["x509", "-req", "-in", "old.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "-1", "-out", "old.pem", "-extfile", "old.ext"]);
  expired = { cert: await Bun.file(join(pki.dir, "old.pem")).text(), key: await Bun.file(join(pki.dir, "old.key")).text() };
});
afterAll(() => {
  for (const close of closers) close();
  rmSync(pki.dir, { recursive: true, force: true });
});

type ServerTls = Pick<ServerOptions, "cert" | "key" | "ca" | "requestCert" | "rejectUnauthorized" | "maxVersion">;

/** An HTTPS (HTTP/1.1) or h2 server answering 200 "ok" to everything. */
async function serve(h2: boolean, options: ServerTls): Promise<string> {
  const server = h2
    ? createSecureServer(options).on("stream", (s: ServerHttp2Stream) => {
        s.on("error", () => {});
        s.respond({ ":status": 200, "content-length": "2" });
        s.end("ok");
      })
    : createServer(options, (_req, res) => {
        res.writeHead(200, { "content-length": "2" });
        res.end("ok");
      });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  closers.push(() => server.close());
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const subjects: { name: string; h2: boolean; make: (tls: TlsSettings) => Engine }[] = [
  { name: "socket", h2: false, make: (tls) => createEngine("socket", { tls }) },
  { name: "fetch", h2: false, make: (tls) => createEngine("fetch", { tls }) },
  { name: "h2", h2: true, make: (tls) => createH2Engine({ http: "2", tls }) },
];

for (const subject of subjects) {
  describe(`${subject.name} engine: tls settings`, () => {
    async function attempt(server: ServerTls, tls: Partial<TlsSettings>) {
      const url = await serve(subject.h2, server);
      const engine = subject.make({ rejectUnauthorized: true, ...tls });
      const client = engine.createClient();
      const r = await send(client, req(url, { timeout: 5000 }));
      client.close();
      (engine as { close?: () => void }).close?.();
      return r;
    }
    const leaf = () => ({ cert: pki.serverCert, key: pki.serverKey });

    test("a certificate from an unknown CA: tls, unknown CA", async () => {
      const r = await attempt(leaf(), {});
      expect(r.error).toBe("tls");
      expect(r.errorDetail).toStartWith("unknown CA");
    });

    test("ca: the internal CA is trusted", async () => {
      const r = await attempt(leaf(), { ca: pki.ca });
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
    });

    test("a certificate for another name: tls, name mismatch; server_name makes it the expected one", async () => {
      const elsewhere = { cert: pki.elsewhereCert, key: pki.elsewhereKey };
      const mismatch = await attempt(elsewhere, { ca: pki.ca });
      expect(mismatch.error).toBe("tls");
      expect(mismatch.errorDetail).toBe("name mismatch");
      const named = await attempt(elsewhere, { ca: pki.ca, serverName: "elsewhere.example" });
      expect(named.error).toBeNull();
    });

    test("an expired certificate: tls, certificate expired", async () => {
      const r = await attempt(expired, { ca: pki.ca });
      expect(r.error).toBe("tls");
      expect(r.errorDetail).toBe("certificate expired");
    });

    test("mutual TLS: refused without a client certificate, served with cert and key", async () => {
      const mtls = { ...leaf(), ca: pki.ca, requestCert: true, rejectUnauthorized: true };
      const without = await attempt(mtls, { ca: pki.ca });
      expect(without.error === "tls" || without.error === "reset").toBe(true);
      const withCert = await attempt(mtls, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
      expect(withCert.error).toBeNull();
      expect(withCert.status).toBe(200);
    });

    test("min_version 1.3 against a server that stops at TLS 1.2: tls", async () => {
      const r = await attempt({ ...leaf(), maxVersion: "TLSv1.2" }, { ca: pki.ca, minVersion: "TLSv1.3" });
      expect(r.error).toBe("tls");
      const ok = await attempt({ ...leaf(), maxVersion: "TLSv1.2" }, { ca: pki.ca, minVersion: "TLSv1.2" });
      expect(ok.error).toBeNull();
    });

    test("insecure_skip_verify: any certificate is accepted", async () => {
      const r = await attempt(expired, { rejectUnauthorized: false });
      expect(r.error).toBeNull();
    });
  });
}

test("tlsProblem names the kinds the summary prints", async () => {
  const { tlsProblem } = await import("../../src/engine/tls.ts");
  expect(tlsProblem("CERT_HAS_EXPIRED")).toBe("certificate expired");
  expect(tlsProblem("ERR_TLS_CERT_ALTNAME_INVALID")).toBe("name mismatch");
  expect(tlsProblem("DEPTH_ZERO_SELF_SIGNED_CERT")).toBe("unknown CA (self-signed certificate)");
  expect(tlsProblem("UNABLE_TO_VERIFY_LEAF_SIGNATURE")).toBe("unknown CA");
  expect(tlsProblem("ERR_SSL_WRONG_VERSION_NUMBER")).toBe("not TLS (the server answered in plain text?)");
  expect(tlsProblem("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION")).toBe("TLS version refused");
});
