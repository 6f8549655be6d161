// The common route table served by Bun.serve (http and https), counting connections by client port.
import { rmSync } from "node:fs";
import type { Server } from "bun";
import type { EngineTarget, Feature } from "./engine.cases.ts";
import { FILE_SIZES, fileBytes } from "./routes.ts";
import { makeSelfSignedCert } from "./tls-cert.ts";

export function createBunTarget(): EngineTarget {
  const clients = new Set<string>();
  let http: Server<undefined> | null = null;
  let https: Server<undefined> | null = null;
  let certDir = "";
  const files = new Map(Object.entries(FILE_SIZES).map(([name, size]) => [name, fileBytes(size)]));
  const features: Feature[] = ["files", "chunked", "head", "status", "not-modified", "echo", "slow", "conn-close", "https", "raw"];

  async function handle(req: Request, server: Server<undefined>): Promise<Response> {
    const ip = server.requestIP(req);
    if (ip !== null) clients.add(`${ip.address}:${ip.port}`);
    const url = new URL(req.url);
    const path = url.pathname;
    if (path === "/hello") return new Response("hello\n");
    if (path.startsWith("/files/")) {
      const body = files.get(path.slice("/files/".length));
      if (body === undefined) return new Response("not found\n", { status: 404 });
      if (req.headers.has("if-modified-since")) return new Response(null, { status: 304 });
      return new Response(body, { headers: { "content-type": "application/octet-stream" } });
    }
    if (path === "/chunked") {
      const piece = new TextEncoder().encode("chunked body line\n".repeat(512));
      let sent = 0;
      return new Response(
        new ReadableStream({
          async pull(controller) {
            if (sent++ === 8) return controller.close();
            controller.enqueue(piece);
            await Bun.sleep(1);
          },
        }),
        { headers: { "content-type": "text/plain" } },
      );
    }
    if (path === "/status/204") return new Response(null, { status: 204 });
    if (path === "/status/503") return new Response("unavailable\n", { status: 503 });
    if (path === "/echo") return new Response(await req.arrayBuffer());
    if (path === "/slow") {
      await Bun.sleep(Number(url.searchParams.get("ms") ?? "0"));
      return new Response("slow\n");
    }
    if (path === "/close") return new Response("bye\n", { headers: { connection: "close" } });
    return new Response("not found\n", { status: 404 });
  }

  return {
    name: "Bun.serve",
    features: new Set(features),
    idleCloseMs: 0,
    async start() {
      const cert = await makeSelfSignedCert();
      certDir = cert.dir;
      http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle });
      https = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert: cert.cert, key: cert.key }, fetch: handle });
    },
    async stop() {
      await http?.stop(true);
      await https?.stop(true);
      if (certDir !== "") rmSync(certDir, { recursive: true, force: true });
    },
    url: (path) => `http://127.0.0.1:${http!.port}${path}`,
    httpsUrl: (path) => `https://127.0.0.1:${https!.port}${path}`,
    connections: async () => clients.size,
  };
}
