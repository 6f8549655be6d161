// A throwaway self-signed certificate for localhost, made with openssl in a temp dir.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SelfSignedCert {
  /** The directory the files are in (the caller removes it). */
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export async function makeSelfSignedCert(dir = mkdtempSync(join(tmpdir(), "indus-cert-"))): Promise<SelfSignedCert> {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const proc = Bun.spawn(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", keyFile, "-out", certFile],
    { stdout: "ignore", stderr: "pipe" },
  );
  if ((await proc.exited) !== 0) throw new Error(`openssl failed: ${await new Response(proc.stderr).text()}`);
  return { dir, certFile, keyFile, cert: await Bun.file(certFile).text(), key: await Bun.file(keyFile).text() };
}
