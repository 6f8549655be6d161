// The socket engine's response parser alone: nginx's static-file response (its real head, a 644-byte body) parsed
// again and again in one thread, ns per response. The parser is the largest piece of indus's own work per request
// where responses come back to back (bench/profile-hot-path.ts), so a change to it is measured here first.
//   npx bun bench/parser-micro.ts [--responses=2000000] [--rounds=5]   (this JIT build of Bun)
//   npx bun bench/parser-micro.ts --aot                               (the same, compiled ahead of time: linux-x64)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileFileAheadOfTime } from "../scripts/aot.ts";
import { ResponseParser } from "../src/engine/socket/parser.ts";
import { argValue, median } from "./support/tools.ts";

/** What Debian's nginx 1.22 answers for bench/support/nginx.ts's static file (`curl -sD - <url>`), with its body. */
const NGINX_STATIC =
  "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 06 Dec 2026 23:37:20 GMT\r\nContent-Type: text/html\r\n" +
  'Content-Length: 644\r\nLast-Modified: Sun, 06 Dec 2026 23:35:28 GMT\r\nConnection: keep-alive\r\nETag: "6b15f140-284"\r\n' +
  "Accept-Ranges: bytes\r\n\r\n" +
  "x".repeat(644);

function measure(responses: number, rounds: number): number[] {
  const bytes = new TextEncoder().encode(NGINX_STATIC);
  const parser = new ResponseParser();
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let complete = 0;
    const start = performance.now();
    for (let i = 0; i < responses; i++) {
      parser.reset(false, false);
      complete += parser.feed(bytes);
    }
    const ns = ((performance.now() - start) * 1e6) / responses;
    if (complete !== responses) throw new Error(`parser-micro: ${responses - complete} responses did not complete`);
    perRound.push(ns);
  }
  return perRound;
}

async function main(): Promise<number> {
  const responses = Number(argValue("responses") ?? 2_000_000);
  const rounds = Number(argValue("rounds") ?? 5);
  if (process.argv.includes("--aot")) {
    const dir = mkdtempSync(join(tmpdir(), "indus-parser-micro-"));
    try {
      const exe = compileFileAheadOfTime(resolve(import.meta.dir, ".."), import.meta.path, join(dir, "parser-micro"));
      const run = Bun.spawnSync([exe, `--responses=${responses}`, `--rounds=${rounds}`], { stdout: "inherit", stderr: "inherit" });
      return run.exitCode ?? 1;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ns = measure(responses, rounds);
  // the first round includes warming up (the JIT build compiles the parser during it)
  console.log(`ns per response, ${rounds} rounds of ${responses}: ${ns.map((x) => x.toFixed(0)).join(", ")}; median ${median(ns).toFixed(0)}`);
  return 0;
}

process.exit(await main());
