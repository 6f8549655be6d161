// Security between real processes: the shared token, mutual TLS on every hop, and an agent's --allow-targets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { agentRows, withTarget } from "./fixture.ts";
import { startCluster } from "./harness.ts";
import { constantPlan } from "./plans.ts";
import { makePkiFiles, mtlsServerArgs, type PkiFiles } from "./pki.ts";

const TOKEN = "s3cret-for-tests";
const noStackTrace = /\bat .*\.(ts|js):\d+/;

describe("token", () => {
  test.concurrent("the right token runs the plan; a missing or wrong one is refused (exit 2, naming the token) and logged", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, {
        agents: 2,
        agentArgs: ["--token", TOKEN],
        controllerArgs: ["--token", TOKEN],
      });
      const file = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());

      const missing = await c.client(["run", file]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/refused the call: .*missing token/);
      expect(missing.stderr).toContain("--token");
      expect(missing.stderr).not.toMatch(noStackTrace);

      const wrong = await c.client(["run", file, "--token", "guess"]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/refused the call: .*wrong token/);
      const agentsNoToken = await c.client(["agents"]);
      expect(agentsNoToken.code).toBe(2);
      expect(target.stats().requests).toBe(0);

      await c.controller.waitFor(/"reason":"wrong token"/, 2000, "err");
      const refusals = c.controller.logs().filter((l) => l.level === "WARN" && l.msg === "refused gRPC call");
      expect(refusals.map((l) => l.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/missing token/), "wrong token"]));
      expect(refusals.every((l) => String(l.method).startsWith("/indus.v1.Controller/"))).toBe(true);

      const ok = await c.client(["run", file, "--token", TOKEN]);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(target.stats().requests).toBeGreaterThan(10);
    }),
    30_000,
  );

  test.concurrent("controller and agent with different tokens: the submit exits 2 naming the agent; the agent logs the refusal", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 1, agentArgs: ["--token", "agent-token"], controllerArgs: ["--token", TOKEN], clientArgs: ["--token", TOKEN] });
      const r = await c.client(["run", constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir())]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`agent ${c.agents[0]!.addr}`);
      expect(r.stderr).toMatch(/UNAUTHENTICATED: .*wrong token/);
      await c.agents[0]!.proc.waitFor(/"level":"WARN","msg":"refused gRPC call".*"reason":"wrong token"/, 2000, "err");
      expect(target.stats().requests).toBe(0);
    }),
    30_000,
  );
});

describe("mutual TLS: CLI ↔ controller ↔ agents", () => {
  let pki: PkiFiles;
  beforeAll(async () => {
    pki = await makePkiFiles();
  });
  afterAll(() => rmSync(pki.dir, { recursive: true, force: true }));

  test.concurrent("with certificates from one CA the run passes; a client without the CA, or without a certificate, is refused", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, {
        agents: 2,
        agentArgs: [...mtlsServerArgs(pki), "--token", TOKEN],
        controllerArgs: [...mtlsServerArgs(pki), "--token", TOKEN],
        clientArgs: ["--token", TOKEN],
      });
      const file = constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir());
      const clientTls = ["--tls-ca", pki.ca, "--tls-cert", pki.clientCert, "--tls-key", pki.clientKey];

      const [plaintext, otherCa, noCert] = await Promise.all([
        c.client(["agents"]),
        c.client(["agents", "--tls-ca", pki.otherCa, "--tls-cert", pki.clientCert, "--tls-key", pki.clientKey]),
        c.client(["agents", "--tls-ca", pki.ca]),
      ]);
      for (const refused of [plaintext, otherCa, noCert]) {
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(`cannot reach the controller at ${c.addr}`);
        expect(refused.stderr).not.toMatch(noStackTrace);
      }
      expect(otherCa.stderr).toMatch(/self.signed certificate|unable to verify/);

      const agents = await c.client(["agents", ...clientTls]);
      expect(agents.code).toBe(0);
      expect(agentRows(agents.stdout).map((a) => a.state)).toEqual(["idle", "idle"]);

      const r = await c.client(["run", file, ...clientTls]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Run completed");
      expect(target.stats().requests).toBeGreaterThan(10);
    }),
    30_000,
  );
});

describe("agent --allow-targets", () => {
  test.concurrent("an agent refuses a plan aimed elsewhere at assignment: exit 2 naming agent and target; the other agent is left idle", () =>
    withTarget(async (g, target) => {
      const targetHost = new URL(target.url).host;
      const c = await startCluster(g, {
        agents: 2,
        agentArgs: (i) => ["--allow-targets", i === 0 ? targetHost : "127.0.0.1:1,intranet.example"],
      });
      const r = await c.client(["run", constantPlan({ target: target.url, vus: 2, seconds: 2 }, g.dir())]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`agent agent-2 (${c.agents[1]!.addr}): targets not allowed`);
      expect(r.stderr).toContain("--allow-targets (127.0.0.1:1, intranet.example)");
      expect(r.stderr).toContain(`scenarios.steady.steps users: ${targetHost}`);
      expect(r.stderr).not.toMatch(noStackTrace);
      await c.controller.waitFor(/"level":"ERROR","msg":"agent refused the run".*"agent_id":"agent-2"/, 2000, "err");
      // the refused run ends cleanly in the controller: no uncaught error, no agent taken for lost
      await Bun.sleep(500);
      expect(c.controller.stderr()).not.toMatch(/Error|agent lost/);

      const agents = agentRows((await c.client(["agents"])).stdout);
      expect(agents.map((a) => a.state)).toEqual(["idle", "idle"]);
      await Bun.sleep(300);
      expect(target.stats().requests).toBe(0);
    }),
    30_000,
  );
});
