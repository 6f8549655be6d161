// The `protocol` error class end to end: a malformed response from a real socket is counted there, and every report and Prometheus show it.
import { afterAll, expect, test } from "bun:test";
import { Registry } from "prom-client";
import { createEngine, prepareRequest } from "../../../src/engine/index.ts";
import { StepRecorder } from "../../../src/metrics/recorder.ts";
import { createAgentMetrics } from "../../../src/observability/index.ts";
import { statsSchema } from "../../../src/report/json/schema.ts";
import { formatErrorsByClass } from "../../../src/report/text/index.ts";
import { parseExposition, valueOf } from "../../observability/exposition.ts";
import { snapshot, ramp } from "../../observability/synthetic.ts";
import { startCorpusServer } from "./corpus-server.ts";

const malformed = new Uint8Array(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n 0\r\n\r\nhello", "latin1"));
const server = startCorpusServer(() => ({ bytes: malformed, mode: "whole", close: false }));
afterAll(() => server.stop());

test("a malformed response is recorded under protocol, not other", async () => {
  const client = createEngine("socket").createClient();
  const recorder = new StepRecorder("get");
  const request = prepareRequest({ method: "GET", url: `http://127.0.0.1:${server.port}/`, headers: {}, timeout: 5000 });
  for (let i = 0; i < 3; i++) recorder.record(await client.send(request));
  client.close();
  const delta = recorder.take();
  expect(delta.errors).toBe(3);
  expect(delta.errorsByClass).toEqual({ protocol: 3 });
  expect(server.accepted).toBe(3); // never reused after a malformed response
});

test("protocol in the JSON report's schema, the text summary and Prometheus", async () => {
  expect(statsSchema.shape.errors_by_class.safeParse({ protocol: 2, reset: 1 }).success).toBe(true);
  expect(formatErrorsByClass({ protocol: 2, reset: 1 })).toBe("protocol 2, reset 1");
  const registry = new Registry();
  const m = createAgentMetrics(registry, { agentId: "agent-1", version: "1" });
  try {
    m.onSnapshot(snapshot({ browse: { vus: 1, steps: { list: { latencies: ramp(4), errors: { protocol: 2 } } } } }));
    const s = parseExposition(await registry.metrics());
    expect(valueOf(s, "indus_agent_errors_total", { scenario: "browse", step: "list", class: "protocol" })).toBe(2);
    expect(valueOf(s, "indus_agent_errors_total", { scenario: "browse", step: "list", class: "other" })).toBeUndefined();
  } finally {
    m.stop();
  }
});
