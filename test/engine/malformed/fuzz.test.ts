// Seeded fuzzing of the socket engine's framing: valid responses mutated, fed to the parser in every cut and served over real sockets.
// A failure names its seed; INDUS_FUZZ_SEED=<seed> replays it.
import { afterAll, describe, expect, test } from "bun:test";
import { createEngine, ERROR_CLASSES } from "../../../src/engine/index.ts";
import { ResponseParser } from "../../../src/engine/socket/parser.ts";
import { CORPUS, type Outcome } from "./corpus.ts";
import { startCorpusServer, type Reply } from "./corpus-server.ts";
import { exchange, pool } from "./exchange.ts";
import { parse } from "./outcome.ts";
import { seededRandom } from "../../schedule/random.ts";

const SEED = Number(process.env.INDUS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PARSER_ROUNDS = 20_000;
const REUSE_ROUNDS = 5_000;
const SOCKET_ROUNDS = 300;
/** The step timeout of every fuzzed request; no result may come later than this plus GRACE_MS. */
const STEP_TIMEOUT_MS = 1500;
const GRACE_MS = 3000;

interface Mutant {
  bytes: Uint8Array;
  /** the corpus response it was made from */
  base: Uint8Array;
  head: boolean;
  close: boolean;
  /** What was done, for the failure message. */
  how: string[];
}

const BYTES = [13, 10, 32, 9, 58, 59, 61, 34, 92, 48, 49, 53, 57, 97, 102, 65, 70, 120, 0, 127, 255, 44];
const SNIPPETS = [
  "\r\n",
  "\r\n\r\n",
  "\r",
  "\n",
  " ",
  "Content-Length: 3\r\n",
  "Content-Length: 0\r\n",
  "Transfer-Encoding: chunked\r\n",
  "Transfer-Encoding: gzip\r\n",
  "Connection: close\r\n",
  "0\r\n\r\n",
  "5\r\nhello\r\n",
  ";ext=1",
  "HTTP/1.1 100 Continue\r\n\r\n",
  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
];
const SEEDS = CORPUS.filter((c) => "status" in c.expect && c.response.length < 2048);

function mutate(next: () => number): Mutant {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const base = pick(SEEDS);
  let bytes = Array.from(Buffer.from(base.response, "latin1"));
  const how = [`from "${base.name}"`];
  const rounds = 1 + Math.floor(next() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(next() * (bytes.length + 1));
    switch (Math.floor(next() * 7)) {
      case 0: {
        const b = Math.floor(next() * 256);
        if (at < bytes.length) bytes[at] = b;
        how.push(`byte ${at} = ${b}`);
        break;
      }
      case 1: {
        const b = pick(BYTES);
        if (at < bytes.length) bytes[at] = b;
        how.push(`byte ${at} = ${b}`);
        break;
      }
      case 2: {
        const b = pick(BYTES);
        bytes.splice(at, 0, b);
        how.push(`insert ${b} at ${at}`);
        break;
      }
      case 3:
        bytes.splice(at, 1);
        how.push(`delete ${at}`);
        break;
      case 4: {
        const len = Math.floor(next() * 16);
        bytes.splice(at, 0, ...bytes.slice(at, at + len));
        how.push(`repeat ${len} at ${at}`);
        break;
      }
      case 5:
        bytes = bytes.slice(0, at);
        how.push(`cut at ${at}`);
        break;
      default: {
        const s = pick(SNIPPETS);
        bytes.splice(at, 0, ...Buffer.from(s, "latin1"));
        how.push(`insert ${JSON.stringify(s)} at ${at}`);
      }
    }
  }
  return { bytes: Uint8Array.from(bytes), base: new Uint8Array(Buffer.from(base.response, "latin1")), head: base.head === true, close: next() < 0.3, how };
}

/** Cuts bytes at up to three random places. */
function cuts(bytes: Uint8Array, next: () => number): Uint8Array[] {
  const at = [0, ...Array.from({ length: 3 }, () => Math.floor(next() * bytes.length)).sort((a, b) => a - b), bytes.length];
  return at.slice(1).map((to, i) => bytes.subarray(at[i]!, to));
}

/** The framing the final head announces, read independently of the parser: body length when it is fixed, else null. */
function announced(head: string, request: { head: boolean }): { length: number | null; ambiguous: boolean } {
  const status = Number(head.slice(9, 12));
  const lengths = [...head.matchAll(/\ncontent-length:[ \t]*(\d+)[ \t]*\r?\n/gi)].map((m) => Number(m[1]));
  const te = /\ntransfer-encoding:/i.test(head);
  const ambiguous = te && lengths.length > 0;
  if (request.head || status === 204 || status === 304 || status < 200) return { length: 0, ambiguous };
  if (te || lengths.length === 0) return { length: null, ambiguous };
  return { length: lengths[0]!, ambiguous };
}

function withSeed(where: string, m: Mutant, body: () => void): void {
  try {
    body();
  } catch (error) {
    const text = Buffer.from(m.bytes).toString("latin1");
    throw new Error(`fuzz failed, seed ${SEED} (replay: INDUS_FUZZ_SEED=${SEED}), ${where}; ${m.how.join(", ")}; response ${JSON.stringify(text.slice(0, 400))}\n${(error as Error).message}`);
  }
}

describe(`framing fuzz, seed ${SEED}`, () => {
  test(`parser: ${PARSER_ROUNDS} mutants, the same outcome however cut, never a body beyond its framing`, () => {
    const next = seededRandom(SEED);
    const parser = new ResponseParser();
    const plain = new ResponseParser();
    for (let i = 0; i < PARSER_ROUNDS; i++) {
      const m = mutate(next);
      withSeed(`parser round ${i}`, m, () => {
        const whole = parse(parser, m, [m.bytes]);
        const kept = parser.captured();
        const ones = parse(parser, m, Array.from(m.bytes, (b) => Uint8Array.of(b)));
        expect(ones).toEqual(whole);
        expect(parse(parser, m, cuts(m.bytes, next))).toEqual(whole);
        // The hot path (no capture) frames the same way.
        plain.reset(m.head, false);
        const r = plain.feed(m.bytes);
        if ("error" in whole) {
          if (whole.error === "protocol") expect(r).toBe(-1);
          return;
        }
        if (r === 1) expect([plain.status, plain.keepAlive && plain.trailing === 0]).toEqual([whole.status, whole.reuse]);
        expect(whole.status).toBeGreaterThanOrEqual(100);
        expect(whole.status).toBeLessThanOrEqual(599);
        // no body counted beyond its framing
        const head = Buffer.from(kept!.head).toString("latin1");
        const framing = announced(head, m);
        expect(whole.body).toBeLessThanOrEqual(m.bytes.length - kept!.head.length);
        if (framing.length !== null) expect(whole.body).toBe(framing.length);
        // no reuse after an ambiguity
        if (whole.reuse) {
          expect(framing.ambiguous).toBe(false);
          expect(whole.status).not.toBe(101);
        }
      });
    }
  });

  test(`parser: one parser reading ${REUSE_ROUNDS} mutants, each after its unmutated response, decides each as a new parser does`, () => {
    // A parser recognises a head byte-identical to the last one it read (KnownHead): whatever came before, a response
    // must read as it does on a parser that saw nothing.
    const next = seededRandom(SEED ^ 0x4ead);
    const reused = new ResponseParser();
    const frame = (parser: ResponseParser, bytes: Uint8Array, head: boolean, capture: boolean) => {
      parser.reset(head, capture);
      const r = parser.feed(bytes);
      const kept = r === 1 && capture ? parser.captured() : null;
      return { r, status: parser.status, keepAlive: parser.keepAlive, trailing: parser.trailing, setCookies: parser.setCookies, location: parser.location, kept };
    };
    for (let i = 0; i < REUSE_ROUNDS; i++) {
      const m = mutate(next);
      const capture = next() < 0.5;
      withSeed(`reuse round ${i}`, m, () => {
        for (const bytes of [m.base, m.bytes, m.bytes, m.base]) {
          expect(frame(reused, bytes, m.head, capture)).toEqual(frame(new ResponseParser(), bytes, m.head, capture));
        }
      });
    }
  });

  describe("socket engine", () => {
    const replies = new Map<string, Reply>();
    const server = startCorpusServer((path) => replies.get(path) ?? { bytes: new Uint8Array(0), mode: "whole", close: true });
    const engine = createEngine("socket");
    afterAll(() => server.stop());

    test(`${SOCKET_ROUNDS} mutants served whole or a byte at a time: no crash, no hang, the parser's outcome, no reuse after an ambiguity`, async () => {
      const next = seededRandom(SEED ^ 0x5eed);
      const mutants = Array.from({ length: SOCKET_ROUNDS }, () => mutate(next));
      const modes = mutants.map(() => (next() < 0.5 ? "whole" : "bytes") as Reply["mode"]);
      const parser = new ResponseParser();
      await pool(SOCKET_ROUNDS, 16, async (i) => {
        const m = mutants[i]!;
        const mode = modes[i]!;
        const path = `/fuzz/${i}/${mode}`;
        replies.set(path, { bytes: m.bytes, mode, close: m.close });
        const expected: Outcome = parse(parser, m, [m.bytes]);
        // A server that closes after a complete response leaves nothing to reuse.
        if (m.close && "status" in expected) expected.reuse = false;
        const client = engine.createClient();
        try {
          const guard = new Promise<"hang">((resolve) => setTimeout(resolve, STEP_TIMEOUT_MS + GRACE_MS, "hang").unref());
          const x = await Promise.race([exchange(server, client, path, m.head, STEP_TIMEOUT_MS), guard]);
          withSeed(`socket round ${i} (${mode})`, m, () => {
            expect(x).not.toBe("hang");
            if (x === "hang") return;
            expect(x.elapsedMs).toBeLessThan(STEP_TIMEOUT_MS + GRACE_MS);
            expect(x.result.error === null || ERROR_CLASSES.includes(x.result.error)).toBe(true);
            expect(x.outcome).toEqual(expected);
            expect(x.probe.status).toBe(200);
            expect(x.probe.connected).toBe(!x.reused);
            if (x.reused) expect(x.result.bytesIn).toBe(m.bytes.length); // every byte served was read, nothing left over
          });
        } finally {
          client.close();
        }
      });
    });
  });
});
