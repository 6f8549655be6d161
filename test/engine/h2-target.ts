// The common route table served over HTTP/2 by node:http2 (h2c and TLS), counting sessions as connections.
import { rmSync } from "node:fs";
import { createSecureServer, createServer, type Http2SecureServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import type { EngineTarget, Feature } from "./engine.cases.ts";
import { FILE_SIZES, fileBytes } from "./routes.ts";
import { makeSelfSignedCert } from "./tls-cert.ts";

const IDLE_CLOSE_MS = 300;

export interface H2Target extends EngineTarget {
  /** Sessions the servers have accepted, h2c and TLS together. */
  readonly sessions: number;
}

export function createH2Target(): H2Target {
  let sessions = 0;
  let h2c: Http2Server | null = null;
  let h2s: Http2SecureServer | null = null;
  let certDir = "";
  const files = new Map(Object.entries(FILE_SIZES).map(([name, size]) => [name, fileBytes(size)]));
  const features: Feature[] = ["files", "chunked", "head", "status", "not-modified", "echo", "slow", "conn-close", "idle-close", "https"];

  function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on("error", () => {});
    const url = new URL(headers[":path"] ?? "/", "http://x");
    const path = url.pathname;
    const head = headers[":method"] === "HEAD";
    const text = (status: number, body: string, extra: Record<string, string> = {}) => {
      stream.respond({ ":status": status, "content-type": "text/plain", "content-length": String(Buffer.byteLength(body)), ...extra });
      stream.end(head ? undefined : body);
    };
    if (path === "/hello" || path === "/idle") return text(200, "hello\n");
    if (path.startsWith("/files/")) {
      const body = files.get(path.slice("/files/".length));
      if (body === undefined) return text(404, "not found\n");
      if (headers["if-modified-since"] !== undefined) {
        stream.respond({ ":status": 304 }, { endStream: true });
        return;
      }
      stream.respond({ ":status": 200, "content-type": "application/octet-stream", "content-length": String(body.length) }, { endStream: head });
      if (!head) stream.end(body);
      return;
    }
    if (path === "/chunked") {
      stream.respond({ ":status": 200, "content-type": "text/plain" });
      const piece = "chunked body line\n".repeat(512);
      let sent = 0;
      const next = () => {
        if (stream.destroyed) return;
        if (sent++ === 8) return void stream.end();
        stream.write(piece);
        setTimeout(next, 1);
      };
      return next();
    }
    if (path === "/status/204") return void stream.respond({ ":status": 204 }, { endStream: true });
    if (path === "/status/503") return text(503, "unavailable\n");
    if (path === "/echo") {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const body = Buffer.concat(chunks);
        stream.respond({ ":status": 200, "content-length": String(body.length) });
        stream.end(body);
      });
      return;
    }
    if (path === "/slow") {
      setTimeout(() => {
        if (!stream.destroyed) text(200, "slow\n");
      }, Number(url.searchParams.get("ms") ?? "0"));
      return;
    }
    // HTTP/2 has no Connection: close; the nearest thing is a graceful GOAWAY after the response
    if (path === "/close") {
      text(200, "bye\n");
      stream.session?.close();
      return;
    }
    return text(404, "not found\n");
  }

  const onSession = (session: import("node:http2").ServerHttp2Session) => {
    sessions++;
    session.on("error", () => {});
    session.setTimeout(IDLE_CLOSE_MS, () => session.close());
  };

  return {
    name: "node:http2",
    features: new Set(features),
    idleCloseMs: IDLE_CLOSE_MS,
    get sessions() {
      return sessions;
    },
    async start() {
      const cert = await makeSelfSignedCert();
      certDir = cert.dir;
      h2c = createServer();
      h2s = createSecureServer({ cert: cert.cert, key: cert.key });
      for (const server of [h2c, h2s]) {
        server.on("stream", handle);
        server.on("session", onSession);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      }
    },
    async stop() {
      for (const server of [h2c, h2s]) server?.close();
      if (certDir !== "") rmSync(certDir, { recursive: true, force: true });
    },
    url: (path) => `http://127.0.0.1:${(h2c!.address() as AddressInfo).port}${path}`,
    httpsUrl: (path) => `https://127.0.0.1:${(h2s!.address() as AddressInfo).port}${path}`,
    connections: async () => sessions,
  };
}
