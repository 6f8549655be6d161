// What the parser makes of a response fed in pieces, in the corpus's terms (an Outcome).
import { COMPLETE, INVALID, MORE, type ResponseParser } from "../../../src/engine/socket/parser.ts";
import type { CorpusCase, Outcome } from "./corpus.ts";

/** What the parser makes of `pieces` fed in order, as an Outcome. */
export function parse(parser: ResponseParser, c: Pick<CorpusCase, "head" | "close">, pieces: Uint8Array[]): Outcome {
  parser.reset(c.head === true, true);
  for (let k = 0; k < pieces.length; k++) {
    const r = parser.feed(pieces[k]!);
    if (r === MORE) continue;
    if (r === INVALID) return { error: "protocol" };
    if (r !== COMPLETE) throw new Error(`feed returned ${r}`);
    const leftover = parser.trailing > 0 || pieces.slice(k + 1).some((p) => p.length > 0);
    return { status: parser.status, body: parser.captured()!.body.length, reuse: parser.keepAlive && !leftover };
  }
  if (c.close !== true) return { error: "timeout" };
  if (!parser.finishAtEof()) return { error: "reset" };
  return { status: parser.status, body: parser.captured()!.body.length, reuse: parser.keepAlive };
}
