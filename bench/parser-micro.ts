// The socket engine's response parser alone: nginx's static-file response (its real head, a 644-byte body) parsed
// again and again in one thread, ns per response: the same head every time (recognised as the last one read, as a
// server's answers are between two Date changes) and a new head every time (its Date differs: read byte by byte).
// The parser is the largest piece of indus's own work per request where responses come back to back
// (bench/request-path-micro.ts), so a change to it is measured here first.
//   npx bun bench/parser-micro.ts [--responses=2000000] [--rounds=5]   (this JIT build of Bun)
//   npx bun bench/parser-micro.ts --aot                               (the same, compiled ahead of time: linux-x64)
import { resolve } from "node:path";
import { scriptCommand } from "../scripts/aot.ts";
import { ResponseParser } from "../src/engine/socket/parser.ts";
import { NGINX_STATIC_RESPONSE } from "./support/nginx-response.ts";
import { argValue, median } from "./support/tools.ts";


/**
 * The response with its Date header's seconds set to `n` (mod 60): a head of the same length that is not
 * byte-identical to the last one, so the parser reads it instead of recognising it (KnownHead).
 */
function withSecond(n: number): Uint8Array {
  const second = String(n % 60).padStart(2, "0");
  return new TextEncoder().encode(NGINX_STATIC_RESPONSE.replace("23:37:20 GMT", `23:37:${second} GMT`));
}

/** ns per response in each round; `fresh`: every head differs from the one before it (else all are the same). */
function measure(responses: number, rounds: number, fresh: boolean): number[] {
  const chunks = fresh ? Array.from({ length: 60 }, (_, k) => withSecond(k)) : [withSecond(20)];
  const parser = new ResponseParser();
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let complete = 0;
    const start = performance.now();
    for (let i = 0; i < responses; i++) {
      parser.reset(false, false);
      complete += parser.feed(chunks[i % chunks.length]!);
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
    const aot = scriptCommand(resolve(import.meta.dir, ".."), import.meta.path, true);
    try {
      const run = Bun.spawnSync([...aot.command, `--responses=${responses}`, `--rounds=${rounds}`], { stdout: "inherit", stderr: "inherit" });
      return run.exitCode ?? 1;
    } finally {
      aot.remove();
    }
  }
  // the first round includes warming up (the JIT build compiles the parser during it)
  for (const fresh of [false, true]) {
    const ns = measure(responses, rounds, fresh);
    const what = fresh ? "a new head each time (its Date differs)" : "the same head each time (recognised)";
    console.log(`${what}: ns per response, ${rounds} rounds of ${responses}: ${ns.map((x) => x.toFixed(0)).join(", ")}; median ${median(ns).toFixed(0)}`);
  }
  return 0;
}

process.exit(await main());
