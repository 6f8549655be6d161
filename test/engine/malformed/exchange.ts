// One corpus exchange over a real socket: the request, then a probe that shows whether the connection was reused.
import { prepareRequest, type HttpClient, type PreparedRequest, type RequestResult } from "../../../src/engine/index.ts";
import type { Outcome } from "./corpus.ts";
import { PROBE_PATH, type CorpusServer } from "./corpus-server.ts";

export interface Exchange {
  /** What the client made of the response, as an Outcome (reuse as the server saw it). */
  outcome: Outcome;
  result: RequestResult;
  probe: RequestResult;
  /** The probe arrived on the connection that served the response. */
  reused: boolean;
  /** ms from send to result */
  elapsedMs: number;
}

export function corpusRequest(server: CorpusServer, path: string, head: boolean, timeout: number): PreparedRequest {
  return { ...prepareRequest({ method: head ? "HEAD" : "GET", url: `http://127.0.0.1:${server.port}${path}`, headers: {}, timeout }), capture: true };
}

/** Sends `path` (the server must know its reply), waits until the server has said everything, then sends a probe. */
export async function exchange(server: CorpusServer, client: HttpClient, path: string, head: boolean, timeout: number): Promise<Exchange> {
  const t0 = performance.now();
  const result: RequestResult = { ...(await client.send(corpusRequest(server, path, head, timeout))) };
  const elapsedMs = performance.now() - t0;
  // Leftover bytes must reach the client while it is idle, not while the probe is in flight: two loop turns let it read them.
  await server.written(path);
  await turn();
  await turn();
  const probePath = `${PROBE_PATH}${path}`;
  const probe: RequestResult = { ...(await client.send(corpusRequest(server, probePath, false, 20_000))) };
  const reused = server.connectionOf(probePath) === server.connectionOf(path);
  const e = result.error;
  const outcome: Outcome =
    e === "protocol" || e === "reset" || e === "timeout" ? { error: e } : { status: result.status, body: result.response?.text().length ?? -1, reuse: reused };
  return { outcome, result, probe, reused, elapsedMs };
}

/** Runs `job(i)` for i in [0, n) with `width` at a time. */
export async function pool(n: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await job(next++);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
