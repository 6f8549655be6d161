// Certificate files for the distributed tests: test/transport/certs.ts's CA, plus a "node" certificate
// for the controller, which is a server (to the CLI) and a client (to agents) with the same --tls-cert.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestPki } from "../transport/certs.ts";

export interface PkiFiles {
  dir: string;
  ca: string;
  otherCa: string;
  /** serverAuth + clientAuth, for 127.0.0.1, localhost and the given extra IPs */
  nodeCert: string;
  nodeKey: string;
  /** clientAuth only: the CLI's certificate for mutual TLS */
  clientCert: string;
  clientKey: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const proc = Bun.spawn(["openssl", ...args], { cwd: dir, stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`openssl ${args[0]} failed: ${await new Response(proc.stderr).text()}`);
}

export async function makePkiFiles(extraIps: string[] = []): Promise<PkiFiles> {
  const pki = await makeTestPki();
  const dir = pki.dir;
  const sans = ["IP:127.0.0.1", "DNS:localhost", ...extraIps.map((ip) => `IP:${ip}`)].join(",");
  writeFileSync(join(dir, "node.ext"), `basicConstraints=CA:FALSE\nsubjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  await openssl(dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=node", "-keyout", "node.key", "-out", "node.csr"]);
  await openssl(dir, ["x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "node.pem", "-extfile", "node.ext"]);
  return {
    dir,
    ca: join(dir, "ca.pem"),
    otherCa: join(dir, "other.pem"),
    nodeCert: join(dir, "node.pem"),
    nodeKey: join(dir, "node.key"),
    clientCert: join(dir, "client.pem"),
    clientKey: join(dir, "client.key"),
  };
}

/** Server side of mutual TLS: own certificate, and client certificates must be signed by the CA. */
export const mtlsServerArgs = (p: PkiFiles) => ["--tls-cert", p.nodeCert, "--tls-key", p.nodeKey, "--tls-ca", p.ca];
