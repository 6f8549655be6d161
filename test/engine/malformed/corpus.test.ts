// The malformed-response corpus against the socket engine: the parser fed whole, split and byte by byte, then real sockets whole and a byte at a time.
import { afterAll, describe, expect, test } from "bun:test";
import { createEngine, prepareRequest, type HttpClient, type PreparedRequest, type RequestResult } from "../../../src/engine/index.ts";
import { COMPLETE, INVALID, MORE, ResponseParser } from "../../../src/engine/socket/parser.ts";
import { CORPUS, caseBytes, type CorpusCase, type Outcome } from "./corpus.ts";
import { PROBE_PATH, startCorpusServer, type Reply } from "./corpus-server.ts";

/** What the parser makes of `pieces` fed in order, as an Outcome. */
export function parse(parser: ResponseParser, c: CorpusCase, pieces: Uint8Array[]): Outcome {
  parser.reset(c.head === true, true);
  for (let k = 0; k < pieces.length; k++) {
    const r = parser.feed(pieces[k]!);
    if (r === MORE) continue;
    if (r === INVALID) return { error: "protocol" };
    expect(r).toBe(COMPLETE);
    const leftover = parser.trailing > 0 || pieces.slice(k + 1).some((p) => p.length > 0);
    return { status: parser.status, body: parser.captured()!.body.length, reuse: parser.keepAlive && !leftover };
  }
  if (c.close !== true) return { error: "timeout" };
  if (!parser.finishAtEof()) return { error: "reset" };
  return { status: parser.status, body: parser.captured()!.body.length, reuse: parser.keepAlive };
}

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
    const clients: HttpClient[] = [];
    afterAll(() => {
      for (const c of clients) c.close();
      server.stop();
    });
    const request = (path: string, head: boolean, timeout: number): PreparedRequest => ({
      ...prepareRequest({ method: head ? "HEAD" : "GET", url: `http://127.0.0.1:${server.port}${path}`, headers: {}, timeout }),
      capture: true,
    });

    async function serve(c: CorpusCase, index: number, mode: Reply["mode"]): Promise<void> {
      const path = `/case/${index}/${mode}`;
      replies.set(path, { bytes: caseBytes(c), mode, close: c.close === true });
      const client = engine.createClient();
      clients.push(client);
      const timeout = "error" in c.expect && c.expect.error === "timeout" ? 300 : 20_000;
      const r: RequestResult = { ...(await client.send(request(path, c.head === true, timeout))) };
      // Let the client read whatever the server still had to say (leftovers arrive while it is idle), then probe.
      await server.written(path);
      await turn();
      await turn();
      const probePath = `${PROBE_PATH}/${index}/${mode}`;
      const probe = { ...(await client.send(request(probePath, false, 20_000))) };
      const reused = server.connectionOf(probePath) === server.connectionOf(path);
      const got: Outcome =
        r.error === "protocol" || r.error === "reset" || r.error === "timeout"
          ? { error: r.error }
          : { status: r.status, body: r.response?.text().length ?? -1, reuse: reused };
      expect({ case: c.name, mode, ...got }).toEqual({ case: c.name, mode, ...c.expect });
      // The probe is always answered, on a new connection unless the case's connection could be reused.
      expect({ case: c.name, mode, status: probe.status, body: probe.response?.text(), connected: probe.connected }).toEqual({
        case: c.name,
        mode,
        status: 200,
        body: "probe",
        connected: !reused,
      });
      if (r.error !== null && r.error !== "protocol" && r.error !== "reset" && r.error !== "timeout") {
        expect(r.error).toBe(r.status >= 500 ? "http_5xx" : "http_4xx");
      }
      client.close();
    }

    for (const mode of ["whole", "bytes"] as const) {
      test(`every case served ${mode === "whole" ? "whole" : "one byte at a time"}`, async () => {
        // 16 cases at a time: the timeouts and the byte-at-a-time writes overlap.
        let next = 0;
        const worker = async () => {
          while (next < CORPUS.length) {
            const index = next++;
            await serve(CORPUS[index]!, index, mode);
          }
        };
        await Promise.all(Array.from({ length: 16 }, worker));
      });
    }
  });
});

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
