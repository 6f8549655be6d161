// A controller with 8,000 static agents (about as many as one --agents argument holds: Linux caps an argument at
// 128 KiB), none of them answering: `indus agents` lists every one, and a run refuses to start on part of the fleet
// with exit 2 and a message a person can read. Before: asked all at once, the 8,000 Info calls kept the controller's
// event loop from answering the CLI's keepalive pings and the CLI dropped the connection (exit 2, "Connection
// dropped"); and the run's refusal, 8,000 lines in one gRPC status, never arrived (exit 1, "Call ended without gRPC
// status").
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { AGENT_PROBLEMS_LISTED } from "../../src/controller/unready.ts";
import { ProcGroup, grpcPort } from "./harness.ts";
import { oneStepPlan, runIndus, tempDir, writePlan } from "../helpers.ts";

const AGENTS = 8000;
const group = new ProcGroup();
afterAll(() => group.stop());

test(`${AGENTS.toLocaleString("en-US")} unreachable agents: listed whole, and a run refused in a message one can read`, async () => {
  // port 9 of loopback addresses no test uses: refused at once
  const addresses = Array.from({ length: AGENTS }, (_, i) => `127.78.${i >> 8}.${i & 255}:9`);
  const controller = group.spawn("controller", ["controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off", `--agents=${addresses.join(",")}`, "--log-format=json", `--data-dir=${join(tempDir(), "controller")}`]);
  const at = `--controller=127.0.0.1:${await grpcPort(controller)}`;

  const listed = await runIndus(["agents", at], { timeoutMs: 60_000 });
  expect(`${listed.code} ${listed.stderr}`).toBe("0 ");
  const rows = listed.stdout.split("\n").filter((l) => /^127\.78\.\d+\.\d+:9\s/.test(l));
  expect(rows.length).toBe(AGENTS);
  expect(rows.every((r) => r.includes("unreachable"))).toBe(true);

  const plan = writePlan(oneStepPlan({ name: "nowhere", url: "http://127.0.0.1:9/", vus: 1 }));
  const run = await runIndus([at, "run", plan], { timeoutMs: 60_000 });
  expect(`${run.code} ${run.stderr.split("\n")[0]}`).toStartWith(`2 error: agent ${addresses[0]} is unreachable`);
  expect(run.stderr).toContain(`… and ${(AGENTS - AGENT_PROBLEMS_LISTED).toLocaleString("en-US")} more agents: ${(AGENTS - AGENT_PROBLEMS_LISTED).toLocaleString("en-US")} unreachable`);
  expect(run.stderr).toContain("hint: start the agents");
}, 120_000);
