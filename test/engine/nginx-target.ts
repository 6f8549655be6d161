// The common route table served by a real nginx started from the test: own config, temp root, free ports.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { EngineTarget, Feature } from "./engine.cases.ts";
import { CHUNKED_TEXT, FILE_SIZES, fileBytes } from "./routes.ts";
import { makeSelfSignedCert } from "./tls-cert.ts";
import { freePort, rawGet, stopProcess, waitForPort } from "../../bench/support/nginx-process.ts";

/** The nginx binary, or null when it is not installed (looked for in sbin too: it often lives there). */
export function findNginx(): string | null {
  const path = `${process.env.PATH ?? ""}:/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin`;
  return Bun.which("nginx", { PATH: path });
}

/** Idle keep-alive connections on /idle are closed after this long. */
const IDLE_MS = 1000;

export function createNginxTarget(binary: string): EngineTarget {
  const features: Feature[] = ["files", "chunked", "head", "status", "not-modified", "conn-close", "idle-close", "https"];
  let dir = "";
  let proc: Subprocess | null = null;
  let httpPort = 0;
  let httpsPort = 0;
  /** stub_status requests made so far: each is one accepted connection that is ours, not the test's. */
  let statusReads = 0;

  return {
    name: "nginx",
    features: new Set(features),
    idleCloseMs: IDLE_MS,
    async start() {
      dir = mkdtempSync(join(tmpdir(), "indus-nginx-"));
      const www = join(dir, "www");
      mkdirSync(join(www, "files"), { recursive: true });
      for (const [name, size] of Object.entries(FILE_SIZES)) writeFileSync(join(www, "files", name), fileBytes(size));
      writeFileSync(join(www, "chunked.txt"), CHUNKED_TEXT);
      // Workers run as nobody when the master is root: let them read the root.
      for (const d of [dir, www, join(www, "files")]) chmodSync(d, 0o755);
      const cert = await makeSelfSignedCert(dir);
      httpPort = freePort();
      httpsPort = freePort();
      const conf = join(dir, "nginx.conf");
      writeFileSync(conf, config(dir, www, httpPort, httpsPort, cert.certFile, cert.keyFile));
      proc = Bun.spawn([binary, "-p", dir, "-c", conf, "-e", join(dir, "error.log")], { stdout: "ignore", stderr: "pipe" });
      await waitForPort(httpPort, proc, dir);
      await waitForPort(httpsPort, proc, dir);
    },
    async stop() {
      if (proc !== null) {
        await stopProcess(proc);
        proc = null;
      }
      if (dir !== "") rmSync(dir, { recursive: true, force: true });
    },
    url: (path) => `http://127.0.0.1:${httpPort}${path}`,
    httpsUrl: (path) => `https://127.0.0.1:${httpsPort}${path}`,
    async connections() {
      const text = await rawGet(httpPort, "/nginx_status");
      statusReads++;
      const match = /server accepts handled requests\s+(\d+)/.exec(text);
      if (match === null) throw new Error(`unexpected stub_status reply: ${text}`);
      return Number(match[1]) - statusReads;
    },
  };
}

function config(dir: string, www: string, httpPort: number, httpsPort: number, certFile: string, keyFile: string): string {
  const locations = `
    root ${www};
    location = /hello { return 200 "hello\\n"; }
    location /files/ { }
    location = /chunked {
      gzip on; gzip_types text/plain; gzip_min_length 0;
      try_files /chunked.txt =404;
    }
    location = /status/204 { return 204; }
    location = /status/503 { return 503; }
    location = /close { keepalive_timeout 0; return 200 "bye\\n"; }
    location = /idle { keepalive_timeout ${IDLE_MS / 1000}s; return 200 "idle\\n"; }
    location = /nginx_status { stub_status; }`;
  return `
daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${join(dir, "tmp-body")};
  proxy_temp_path ${join(dir, "tmp-proxy")};
  fastcgi_temp_path ${join(dir, "tmp-fastcgi")};
  uwsgi_temp_path ${join(dir, "tmp-uwsgi")};
  scgi_temp_path ${join(dir, "tmp-scgi")};
  types { text/plain txt; application/octet-stream bin; }
  default_type text/plain;
  if_modified_since before;
  keepalive_timeout 30s;
  server {
    listen 127.0.0.1:${httpPort};
    ${locations}
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ${locations}
  }
}
`;
}
