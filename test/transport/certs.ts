// A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with openssl.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** a second CA that signed nothing here: trusting only it must fail */
  otherCa: string;
  /** its key: with otherCa, a certificate and key that match but that the first CA never signed */
  otherKey: string;
  /** signed by the CA, but for another host (elsewhere.example) */
  elsewhereCert: string;
  elsewhereKey: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const proc = Bun.spawn(["openssl", ...args], { cwd: dir, stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`openssl ${args[0]} failed: ${await new Response(proc.stderr).text()}`);
}

const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(dir, ["req", "-x509", ...ecKey, "-days", "1", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.pem`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
}

async function makeLeaf(dir: string, name: string, ext: string): Promise<void> {
  writeFileSync(join(dir, `${name}.ext`), ext);
  await openssl(dir, ["req", ...ecKey, "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`]);
  await openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-days", "1", "-out", `${name}.pem`, "-extfile", `${name}.ext`]);
}

export async function makeTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), "indus-pki-"));
  await makeCa(dir, "ca");
  await makeCa(dir, "other");
  await makeLeaf(dir, "server", "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  await makeLeaf(dir, "elsewhere", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:elsewhere.example\nextendedKeyUsage=serverAuth\n");
  await makeLeaf(dir, "client", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  const read = (f: string) => Bun.file(join(dir, f)).text();
  return {
    dir,
    ca: await read("ca.pem"),
    serverCert: await read("server.pem"),
    serverKey: await read("server.key"),
    clientCert: await read("client.pem"),
    clientKey: await read("client.key"),
    otherCa: await read("other.pem"),
    otherKey: await read("other.key"),
    elsewhereCert: await read("elsewhere.pem"),
    elsewhereKey: await read("elsewhere.key"),
  };
}
