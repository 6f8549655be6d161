// Why a run cannot start on the fleet: every agent that cannot take part, in words a person acts on.
import { IndusError } from "../core/errors.ts";

/** An agent that cannot take part in a run: it did not answer (error), or it answered busy. */
export type AgentProblem = { address: string; error: string } | { address: string; id: string; busyWith: string };

/**
 * Problems named one by one, at most; the rest are counted by kind. Thousands of lines help nobody, and sent as a
 * gRPC status a message of 8,000 (about 1.2 MB) did not arrive at all: the CLI saw the call end without a status.
 */
export const AGENT_PROBLEMS_LISTED = 20;

type Kind = "unreachable" | "refused the token" | "busy";

// an agent that answered but refused our token is not "unreachable": the fix is the token, not the agent
const kindOf = (p: AgentProblem): Kind => ("error" in p ? (/unauthenticated/i.test(p.error) ? "refused the token" : "unreachable") : "busy");

function line(p: AgentProblem): string {
  if (!("error" in p)) return `agent ${p.id} (${p.address}) is busy with run ${p.busyWith}`;
  return kindOf(p) === "unreachable" ? `agent ${p.address} is unreachable: ${p.error}` : `agent ${p.address} refused the token: ${p.error}`;
}

/** The refusal of a run when any agent cannot take part (problems is not empty). */
export function agentsUnready(problems: readonly AgentProblem[]): IndusError {
  const lines = problems.slice(0, AGENT_PROBLEMS_LISTED).map(line);
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
