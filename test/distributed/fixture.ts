// Per-test fixtures: a process group and a mock target that are torn down whatever happens, and `indus agents` parsed.
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { ProcGroup } from "./harness.ts";

/** Runs body with a fresh process group and mock target (on 127.0.0.1, port 0), and always stops both. */
export async function withTarget<T>(body: (g: ProcGroup, target: MockServer) => Promise<T>, latencyMs = 2): Promise<T> {
  const g = new ProcGroup();
  const target = createMockServer({ port: 0, latency: latencyMs, quiet: true });
  try {
    return await body(g, target);
  } finally {
    await g.stop();
    await target.stop();
  }
}

export interface AgentRow {
  id: string;
  address: string;
  state: string;
  vus: number;
}

/** The table `indus agents` prints: ID ADDRESS STATE VUs SOURCE. */
export function agentRows(stdout: string): AgentRow[] {
  return stdout
    .split("\n")
    .slice(1)
    .filter((l) => /^\S+\s+\S+:\d+\s+\w+\s+\d+/.test(l))
    .map((l) => {
      const [id = "", address = "", state = "", vus = "0"] = l.split(/\s+/);
      return { id, address, state, vus: Number(vus) };
    });
}

/** The run id from "Run started: ID". */
export function runIdOf(stdout: string): string {
  const m = /Run started: ([0-9a-f]{8})/.exec(stdout);
  if (!m) throw new Error(`no run id in:\n${stdout}`);
  return m[1]!;
}
