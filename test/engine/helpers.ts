// Small helpers shared by the engine cases: building a request and keeping a copy of a (reused) result.
import { prepareRequest, type HttpClient, type PreparedRequest, type RequestResult } from "../../src/engine/index.ts";

const TIMEOUT = 5000;

export function req(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeout?: number } = {}): PreparedRequest {
  return prepareRequest({ method: init.method ?? "GET", url, headers: init.headers ?? {}, body: init.body, timeout: init.timeout ?? TIMEOUT });
}

/** Copies a result: clients reuse theirs. */
export async function send(client: HttpClient, request: PreparedRequest, signal?: AbortSignal): Promise<RequestResult> {
  return { ...(await client.send(request, signal)) };
}
