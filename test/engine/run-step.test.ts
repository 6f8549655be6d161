// One step of an async VU loop (runStep in src/engine/steps/step-io.ts), shared by a script scenario's steps and an
// arrival-rate iteration: each of its three endings, and what each leaves in the step's recorder.
import { describe, expect, test } from "bun:test";
import { compileScenario } from "../../src/engine/steps/program.ts";
import { runStep } from "../../src/engine/steps/step-io.ts";
import { VuState } from "../../src/engine/steps/vu-state.ts";
import { emptyResult, type HttpClient, type PreparedRequest, type RequestResult } from "../../src/engine/types.ts";
import { Recorder } from "../../src/metrics/recorder.ts";
import { parsePlan } from "../../src/plan/index.ts";

const program = (step: string) =>
  compileScenario(
    parsePlan(
      `name: p
scenarios:
  s:
    duration: 10s
    profile: { type: constant, vus: 1 }
    steps:
      - ${step}
`,
      "p.yaml",
    ).scenarios[0]!,
  );

/** A client answering from a list, one result per request, and keeping the URLs it was asked for. */
function scripted(results: Array<Partial<RequestResult>>, onSend?: () => void): HttpClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    send(request: PreparedRequest) {
      urls.push(request.url.href);
      onSend?.();
      return Promise.resolve({ ...emptyResult(), ...results.shift()! });
    },
    close() {},
  };
}

function setUp(step: string, client: HttpClient) {
  const p = program(step);
  const recorder = new Recorder([{ name: "s", open: false, steps: p.steps.map((st) => ({ name: st.name, checkNames: [] })), scriptTags: "" }]);
  const stepRecorder = recorder.scenario("s").steps[0]!;
  return { vu: new VuState(client, p, 1), step: p.steps[0]!, stepRecorder };
}

describe("runStep", () => {
  test("sent: the request goes out, its redirect is followed, every hop recorded", async () => {
    const client = scripted([{ status: 302, location: "/b" }, { status: 200 }]);
    const { vu, step, stepRecorder } = setUp(`{ name: a, url: "http://127.0.0.1:9/a" }`, client);
    expect(await runStep(vu, step, stepRecorder, -1, new AbortController().signal)).toBe("sent");
    expect(client.urls).toEqual(["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]);
    expect(stepRecorder.requests).toBe(2);
    expect(stepRecorder.errors).toBe(0);
  });

  test("unsent: a URL that renders into no URL is a failed request of the step, with its reason; nothing is sent", async () => {
    const client = scripted([]);
    const { vu, step, stepRecorder } = setUp(`{ name: a, url: "{{base}}/x", extract: { base: { json: base } } }`, client);
    expect(await runStep(vu, step, stepRecorder, -1, new AbortController().signal)).toBe("unsent");
    expect(client.urls).toEqual([]);
    expect(stepRecorder.requests).toBe(1);
    expect(stepRecorder.errors).toBe(1);
    expect(stepRecorder.errorKinds).toEqual({ 'other: the URL rendered as "/x", which is not a URL': 1 });
  });

  test("aborted: the run's signal fires while the request is out; nothing is recorded", async () => {
    const abort = new AbortController();
    const client = scripted([{ status: 200 }], () => abort.abort());
    const { vu, step, stepRecorder } = setUp(`{ name: a, url: "http://127.0.0.1:9/a" }`, client);
    expect(await runStep(vu, step, stepRecorder, -1, abort.signal)).toBe("aborted");
    expect(stepRecorder.requests).toBe(0);
  });

  test("aborted during a redirect: the first hop is recorded, the rest is not", async () => {
    const abort = new AbortController();
    let sends = 0;
    const client = scripted([{ status: 302, location: "/b" }, { status: 200 }], () => {
      if (++sends === 2) abort.abort();
    });
    const { vu, step, stepRecorder } = setUp(`{ name: a, url: "http://127.0.0.1:9/a" }`, client);
    expect(await runStep(vu, step, stepRecorder, -1, abort.signal)).toBe("aborted");
    expect(stepRecorder.requests).toBe(1);
  });
});
