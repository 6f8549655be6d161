// The malformed-response corpus against the socket engine: the parser fed whole, split and byte by byte, then real sockets whole and a byte at a time.
import { afterAll, describe, expect, test } from "bun:test";
import { classifyStatus, createEngine } from "../../../src/engine/index.ts";
import { ResponseParser } from "../../../src/engine/socket/parser.ts";
import { CORPUS, caseBytes, type CorpusCase } from "./corpus.ts";
import { parse } from "./outcome.ts";
import { startCorpusServer, type Reply } from "./corpus-server.ts";
import { exchange, pool } from "./exchange.ts";

describe("malformed-response corpus", () => {
  test("holds at least 150 cases, each named once, in every kind", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
    const kinds = new Set(CORPUS.map((c) => c.kind));
    for (const k of ["framing", "chunking", "cl-te", "status-line", "header-syntax", "interim", "leftover", "no-body", "head-size"]) expect(kinds).toContain(k as never);
  });

  describe("parser: whole, split at every byte, one byte at a time", () => {
    const parser = new ResponseParser();
    for (const c of CORPUS) {
      test(c.name, () => {
        const all = caseBytes(c);
        expect({ how: "whole", ...parse(parser, c, [all]) }).toEqual({ how: "whole", ...c.expect });
        const ones = Array.from(all, (b) => Uint8Array.of(b));
        expect({ how: "bytes", ...parse(parser, c, ones) }).toEqual({ how: "bytes", ...c.expect });
        if (all.length > 400) return; // every split of a large case would take long and add little
        for (let k = 1; k < all.length; k++) {
          expect({ how: `split at ${k}`, ...parse(parser, c, [all.subarray(0, k), all.subarray(k)]) }).toEqual({ how: `split at ${k}`, ...c.expect });
        }
      });
    }
  });

  describe("socket engine against a raw server", () => {
    const engine = createEngine("socket");
    const replies = new Map<string, Reply>();
    const server = startCorpusServer((path) => replies.get(path) ?? { bytes: new Uint8Array(0), mode: "whole", close: true });
    afterAll(() => server.stop());

    async function serve(c: CorpusCase, index: number, mode: Reply["mode"]): Promise<void> {
      const path = `/case/${index}/${mode}`;
      replies.set(path, { bytes: caseBytes(c), mode, close: c.close === true });
      const client = engine.createClient();
      const timeout = "error" in c.expect && c.expect.error === "timeout" ? 300 : 20_000;
      try {
        const x = await exchange(server, client, path, c.head === true, timeout);
        expect({ case: c.name, mode, ...x.outcome }).toEqual({ case: c.name, mode, ...c.expect });
        // The probe is always answered, on a new connection unless the case's connection could be reused.
        expect({ case: c.name, status: x.probe.status, body: x.probe.response?.text(), connected: x.probe.connected }).toEqual({
          case: c.name,
          status: 200,
          body: "probe",
          connected: !x.reused,
        });
        if ("status" in c.expect) expect(x.result.error).toBe(classifyStatus(c.expect.status));
      } finally {
        client.close();
      }
    }

    for (const mode of ["whole", "bytes"] as const) {
      test(`every case served ${mode === "whole" ? "whole" : "one byte at a time"}`, async () => {
        // 16 cases at a time: the timeouts and the byte-at-a-time writes overlap.
        await pool(CORPUS.length, 16, (i) => serve(CORPUS[i]!, i, mode));
      });
    }
  });
});

