// Why a run cannot start on the fleet: every agent that cannot take part, in words a person acts on.
import { IndusError } from "../core/errors.ts";
import type { AgentInfoData } from "../transport/grpc/index.ts";
import { PROTOCOL_VERSION } from "../transport/messages.ts";

/**
 * An agent that cannot take part in a run: it did not answer (error), it answered busy, or it speaks another version
 * of the controller–agent protocol (it would read some messages otherwise: a run's end as a user's stop, say).
 */
export type AgentProblem =
  | { address: string; error: string }
  | { address: string; id: string; busyWith: string }
  | { address: string; id: string; protocol: number };

/** What keeps an agent from a run, from its Info or why it did not answer: none, or one problem. */
export function agentProblems(address: string, info: AgentInfoData | undefined, error: string | undefined): AgentProblem[] {
  if (error !== undefined || info === undefined) return [{ address, error: error ?? "no answer" }];
  if (info.protocol !== PROTOCOL_VERSION) return [{ address, id: info.id, protocol: info.protocol }];
  if (info.state === "busy") return [{ address, id: info.id, busyWith: info.runId ?? "" }];
  return [];
}

/**
 * Problems named one by one, at most; the rest are counted by kind. Thousands of lines help nobody, and sent as a
 * gRPC status a message of 8,000 (about 1.2 MB) did not arrive at all: the CLI saw the call end without a status.
 */
export const AGENT_PROBLEMS_LISTED = 20;

type Kind = "unreachable" | "refused the token" | "busy" | "another version";

// an agent that answered but refused our token is not "unreachable": the fix is the token, not the agent
const kindOf = (p: AgentProblem): Kind =>
  "error" in p ? (/unauthenticated/i.test(p.error) ? "refused the token" : "unreachable") : "protocol" in p ? "another version" : "busy";

/** One problem in words. */
export function agentProblemText(p: AgentProblem): string {
  if ("protocol" in p) {
    const theirs = p.protocol === 0 ? "an older version of the protocol" : `protocol version ${p.protocol}`;
    return `agent ${p.id} (${p.address}) speaks ${theirs}, this controller version ${PROTOCOL_VERSION}: run the same indus release on both (\`indus --version\`)`;
  }
  if (!("error" in p)) return `agent ${p.id} (${p.address}) is busy with run ${p.busyWith}`;
  return kindOf(p) === "unreachable" ? `agent ${p.address} is unreachable: ${p.error}` : `agent ${p.address} refused the token: ${p.error}`;
}

/** The refusal of a run when any agent cannot take part (problems is not empty). */
export function agentsUnready(problems: readonly AgentProblem[]): IndusError {
  const lines = problems.slice(0, AGENT_PROBLEMS_LISTED).map(agentProblemText);
  const rest = problems.slice(AGENT_PROBLEMS_LISTED);
  if (rest.length > 0) {
    const counts = new Map<Kind, number>();
    for (const p of rest) counts.set(kindOf(p), (counts.get(kindOf(p)) ?? 0) + 1);
    const byKind = [...counts].map(([kind, n]) => `${n.toLocaleString("en-US")} ${kind}`).join(", ");
    lines.push(`… and ${rest.length.toLocaleString("en-US")} more agents: ${byKind} (\`indus agents\` lists every one)`);
  }
  const tokenHint = problems.some((p) => kindOf(p) === "refused the token") ? "give the agents' token (--token or INDUS_TOKEN); " : "";
  return new IndusError("agents_unready", lines.join("\n"), { hint: `${tokenHint}start the agents, wait for their run to end, or remove them from --agents` });
}
