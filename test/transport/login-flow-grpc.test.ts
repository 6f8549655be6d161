// Over real gRPC on 127.0.0.1: a plan's data file and env values travel with the submission, rate shares reach each agent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createAgent } from "../../src/agent/agent.ts";
import { createControllerService } from "../../src/controller/service.ts";
import type { RunResult } from "../../src/run/types.ts";
import { createRealClock } from "../../src/core/clock.ts";
import { createEngine } from "../../src/engine/index.ts";
import { createInThreadExecutor } from "../../src/engine/runner/executor.ts";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { createSilentLogger } from "../../src/observability/logger.ts";
import { collectPlanInputs, parsePlan } from "../../src/plan/index.ts";
import { createControllerClient } from "../../src/transport/grpc/controller-client.ts";
import { startControllerGrpcServer } from "../../src/transport/grpc/controller-server.ts";
import { createGrpcAgentConnector, startAgentGrpcServer, type GrpcServerHandle } from "../../src/transport/grpc/index.ts";

let target: MockServer;
const servers: GrpcServerHandle[] = [];
let controllerAddress = "";

beforeAll(async () => {
  target = createMockServer({ port: 0, quiet: true });
  const clock = createRealClock();
  const logger = createSilentLogger();
  const agentAddresses: string[] = [];
  for (const id of ["a1", "a2"]) {
    const agent = createAgent({ id, clock, logger, workers: 1, createExecutor: (plan, part) => createInThreadExecutor(plan, createEngine("socket"), clock, { part }) });
    const handle = await startAgentGrpcServer({ agent, address: "127.0.0.1:0" });
    servers.push(handle);
    agentAddresses.push(handle.address);
  }
  const service = createControllerService({
    clock,
    logger,
    agents: () => agentAddresses.map((address, i) => createGrpcAgentConnector({ id: `a${i + 1}`, address })),
  });
  const controller = await startControllerGrpcServer({
    address: "127.0.0.1:0",
    backend: {
      submit: (request) => service.submit(request),
      active: (id) => service.run(id),
      stored: () => undefined,
      listRuns: () => [],
      listAgents: async () => [],
      abort: () => undefined,
    },
  });
  servers.push(controller);
  controllerAddress = controller.address;
});

afterAll(async () => {
  for (const s of servers.reverse()) await s.stop();
  await target.stop();
});

describe("a login-flow plan over gRPC", () => {
  test("the data rows and env values the CLI read reach both agents; the arrivals split between them exactly", async () => {
    const planFile = join(import.meta.dir, "../../examples/remote.yaml");
    const yaml = `name: remote
scenarios:
  sign-in:
    duration: 2s
    profile: { type: constant_rate, rate: 50, pre_allocated_vus: 4, max_vus: 20 }
    data: { file: data/users.csv, order: sequential }
    steps:
      - name: login
        method: POST
        url: "{{env.TARGET}}/api/login"
        body: '{"username": "{{username}}", "password": "{{password}}"}'
        check: { status: 200, json: { user.name: "{{username}}" } }
        extract: { token: { json: token } }
      - name: me
        url: "{{env.TARGET}}/api/me"
        headers: { Authorization: "Bearer {{token}}" }
        check: { status: 200 }
`;
    // what `indus run --controller` does: read the inputs where the plan is, send them along
    const inputs = await collectPlanInputs(parsePlan(yaml, planFile), { planFile, planYaml: yaml }, { TARGET: target.url });
    const client = createControllerClient({ address: controllerAddress });
    let result: RunResult | undefined;
    try {
      const remote = await client.submit(yaml, planFile, false, inputs);
      for await (const event of remote.events) if (event.kind === "result") result = event.result;
    } finally {
      client.close();
    }
    expect(result?.state).toBe("completed");
    const sc = result!.summary.scenarios[0]!;
    expect(sc.stats.iterations).toBe(100);
    expect(sc.stats.errors).toBe(0);
    expect(sc.stats.checks).toBe(1);
    const perAgent = result!.agents.map((a) => a.requests);
    expect(perAgent).toEqual([100, 100]);
  }, 20_000);

  test("a plan whose env var is missing is refused before anything runs", async () => {
    const client = createControllerClient({ address: controllerAddress });
    const yaml = `name: remote
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps: [{ name: a, url: "{{env.TARGET}}/healthz" }]
`;
    try {
      // an older CLI would send nothing: the controller names what is missing
      const error = await client.submit(yaml, "remote.yaml", false).catch((e) => e);
      expect(String(error.message)).toContain("remote.yaml:6:29: scenarios.s.steps[0].url: {{env.TARGET}}: the environment variable TARGET was not sent with the plan");
    } finally {
      client.close();
    }
  });
});
