// Token and TLS on the agent's gRPC server: the right credentials get through, anything else is refused.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { createLogger } from "../../src/observability/logger.ts";
import {
  agentInfo,
  createGrpcAgentConnector,
  startAgentGrpcServer,
  type AgentClientOptions,
  type AgentGrpcServerOptions,
  type GrpcServerHandle,
} from "../../src/transport/grpc/index.ts";
import { makeTestPki, type TestPki } from "./certs.ts";
import { createFakeAgent } from "./fake-agent.ts";
import { record, within } from "./helpers.ts";

const servers: GrpcServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop({ force: true })));
});

async function serve(opts: Omit<AgentGrpcServerOptions, "agent" | "address">) {
  const agent = createFakeAgent();
  const server = await startAgentGrpcServer({ agent, address: "127.0.0.1:0", ...opts });
  servers.push(server);
  return { agent, server };
}

/** One heartbeat over RunScenario; resolves with the reply's seq, or the close reason if the call was refused. */
async function converse(address: string, opts: AgentClientOptions): Promise<{ seq?: number; closed?: string }> {
  const c = record(createGrpcAgentConnector({ id: "a", address, ...opts }).open());
  c.session.send({ kind: "heartbeat", seq: 7 });
  const outcome = await within(5000, "a reply or a close", Promise.race([c.count(1).then(() => "reply" as const), c.closed()]));
  if (outcome !== "reply") return { closed: outcome };
  c.session.close();
  const first = c.messages[0];
  return { seq: first?.kind === "snapshot" ? first.seq : -1 };
}

describe("token", () => {
  test("the right token gets through, on streams and Info", async () => {
    const { server } = await serve({ token: "s3cret" });
    expect(await converse(server.address, { token: "s3cret" })).toEqual({ seq: 7 });
    expect((await agentInfo(server.address, { token: "s3cret" })).id).toBe("fake-1");
  });

  test("a wrong token is refused with UNAUTHENTICATED, and the server warns", async () => {
    const lines: string[] = [];
    const logger = createLogger({ format: "json", level: "warn", write: (l) => lines.push(l) });
    const { agent, server } = await serve({ token: "s3cret", logger });
    const { closed } = await converse(server.address, { token: "guess" });
    expect(closed).toMatch(/^UNAUTHENTICATED: .*wrong token/);
    await expect(agentInfo(server.address, { token: "guess" })).rejects.toThrow(/UNAUTHENTICATED/);
    expect(agent.sessions).toHaveLength(0);
    const warned = lines.map((l) => JSON.parse(l) as Record<string, string>);
    expect(warned.some((w) => w.level === "WARN" && w.reason === "wrong token" && w.method === "/indus.v1.Agent/RunScenario")).toBe(true);
  });

  test("a missing token is refused with a message naming --token", async () => {
    const { server } = await serve({ token: "s3cret" });
    expect((await converse(server.address, {})).closed).toMatch(/^UNAUTHENTICATED: .*missing token.*--token/);
    await expect(agentInfo(server.address)).rejects.toThrow(/UNAUTHENTICATED/);
  });

  test("a server without a token ignores one sent anyway", async () => {
    const { server } = await serve({});
    expect(await converse(server.address, { token: "whatever" })).toEqual({ seq: 7 });
  });
});

describe("TLS", () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await makeTestPki();
  });
  afterAll(() => rmSync(pki.dir, { recursive: true, force: true }));

  test("TLS: a client trusting the CA gets through, by IP and by name", async () => {
    const { server } = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    expect(await converse(server.address, { tls: { ca: pki.ca } })).toEqual({ seq: 7 });
    expect((await agentInfo(`localhost:${server.port}`, { tls: { ca: pki.ca } })).id).toBe("fake-1");
  });

  test("TLS: a client trusting another CA is refused", async () => {
    const { server } = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    expect((await converse(server.address, { tls: { ca: pki.otherCa } })).closed).toMatch(/^UNAVAILABLE: .*unable to verify/);
  });

  test("TLS: a plaintext client is refused", async () => {
    const { server } = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    expect((await converse(server.address, {})).closed).toMatch(/^UNAVAILABLE/);
  });

  test("TLS: a certificate that does not name the address is refused, by IP and by name", async () => {
    const { server } = await serve({ tls: { cert: pki.elsewhereCert, key: pki.elsewhereKey } });
    expect((await converse(server.address, { tls: { ca: pki.ca } })).closed).toMatch(/^UNAVAILABLE: .*IP: 127\.0\.0\.1 is not in the cert/);
    expect((await converse(`localhost:${server.port}`, { tls: { ca: pki.ca } })).closed).toMatch(/^UNAVAILABLE: .*localhost/);
  });

  test("TLS: serverName checks the certificate against that name instead", async () => {
    const { server } = await serve({ tls: { cert: pki.elsewhereCert, key: pki.elsewhereKey } });
    expect(await converse(server.address, { tls: { ca: pki.ca, serverName: "elsewhere.example" } })).toEqual({ seq: 7 });
    const other = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    expect((await converse(other.server.address, { tls: { ca: pki.ca, serverName: "nope.example" } })).closed).toMatch(/nope\.example/);
  });

  test("mutual TLS with a client certificate, plus a token, gets through", async () => {
    const { server } = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca }, token: "t" });
    const tls = { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey };
    expect(await converse(server.address, { tls, token: "t" })).toEqual({ seq: 7 });
    expect((await agentInfo(server.address, { tls, token: "t" })).id).toBe("fake-1");
  });

  test("mutual TLS without a client certificate is refused", async () => {
    const { agent, server } = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
    expect((await converse(server.address, { tls: { ca: pki.ca } })).closed).toMatch(/^UNAVAILABLE: .*CERTIFICATE_REQUIRED/);
    await expect(agentInfo(server.address, { tls: { ca: pki.ca }, timeoutMs: 2000 })).rejects.toThrow(/UNAVAILABLE|DEADLINE/);
    expect(agent.sessions).toHaveLength(0);
  });

  test("a client certificate without its key is a clear error", () => {
    expect(() => createGrpcAgentConnector({ id: "a", address: "127.0.0.1:1", tls: { cert: pki.clientCert } }).open()).toThrow(
      /certificate and key go together/,
    );
  });
});
