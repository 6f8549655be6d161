// `indus controller` with mutual TLS (--tls-ca): its dashboard asks browsers for a client certificate as strictly as
// its gRPC port asks the CLI and agents (a real controller process; the page fetched with and without one).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProcGroup } from "../distributed/harness.ts";
import { makeTestPki, type TestPki } from "../transport/certs.ts";
import { tempDir } from "../helpers.ts";

const group = new ProcGroup();
let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});
afterAll(() => group.stop());

test("--tls-ca: the dashboard serves a client with a certificate the CA signed, and refuses one without", async () => {
  const dir = tempDir("indus-ui-mtls-");
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const controller = group.spawn("controller", [
    "controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off", "--ui-addr=127.0.0.1:0", "--log-format=json",
    `--tls-cert=${file("server.pem", pki.serverCert)}`, `--tls-key=${file("server.key", pki.serverKey)}`, `--tls-ca=${file("ca.pem", pki.ca)}`,
    `--data-dir=${join(dir, "store")}`,
  ]);
  const line = await controller.waitFor((l) => l.includes("controller dashboard listening"), 15_000, "err");
  const url = JSON.parse(line).url as string;
  expect(url).toStartWith("https://127.0.0.1:");

  const page = await fetch(url, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } } as RequestInit);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("indus controller");
  const without = await fetch(url, { tls: { ca: pki.ca } } as RequestInit).then(
    () => "served",
    () => "refused",
  );
  expect(without).toBe("refused");
}, 30_000);
