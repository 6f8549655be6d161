// The controller–agent conversation as plain data; gRPC and the in-process link both carry these.
import type { Plan } from "../plan/types.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { StopMode } from "../engine/runner/executor.ts";
import type { RateAssignment } from "../engine/runner/rate-assignment.ts";
import type { ScriptErrorReport } from "../engine/script/runtime.ts";

/**
 * The version of the controller–agent conversation: raised when a message changes what it means, so that a controller
 * refuses agents that would read it otherwise (they say theirs in their Info). 1: before agents said it (they send 0).
 * 2: the stop at the schedule's end is marked as such (Stop.schedule_end).
 */
export const PROTOCOL_VERSION = 2;

export type ControlMsg =
  | {
      kind: "assign";
      runId: string;
      plan: Plan;
      /** this agent's position among the run's agents (for logs and phase) */
      agentIndex: number;
      agentCount: number;
    }
  /** New VU targets for the scenarios whose share changed; for arrival-rate scenarios, this agent's arrivals. */
  | { kind: "adjust"; vus: Record<string, number>; rates?: Record<string, RateAssignment> }
  | { kind: "stop"; mode: StopMode; reason: string }
  /** Sent at every schedule second; the agent answers with the snapshot of the second that ended. */
  | { kind: "heartbeat"; seq: number };

export type AgentMsg =
  | { kind: "ready"; agentId: string; workers: number }
  /** seq: the heartbeat it answers (0 for the final one) */
  | { kind: "snapshot"; seq: number; snapshot: Snapshot; final: boolean }
  | { kind: "error"; code: string; message: string }
  /** an exception a scenario's script threw, once per distinct message (the executor's own cap) */
  | { kind: "scriptError"; report: ScriptErrorReport };

/** One open RunScenario conversation, seen from the controller. */
export interface AgentSession {
  send(msg: ControlMsg): void;
  /** Called for every message from the agent; `onClose` once when the conversation ends for any reason. */
  onMessage(handler: (msg: AgentMsg) => void): void;
  onClose(handler: (reason: string) => void): void;
  close(): void;
}

/** How the controller reaches one agent. */
export interface AgentConnector {
  readonly id: string;
  readonly address: string;
  open(): AgentSession;
}

/** The agent side of one conversation. */
export interface ControllerSession {
  send(msg: AgentMsg): void;
  /**
   * Ends the conversation because the agent failed unexpectedly: the controller hears why (a refusal before
   * Ready, a lost agent after), and the agent's own close handlers run (its VUs stop).
   */
  fail?(reason: string): void;
  /** true while the transport's buffer is full: the agent coalesces snapshots instead of queueing them */
  backpressured?(): boolean;
  onMessage(handler: (msg: ControlMsg) => void): void;
  onClose(handler: (reason: string) => void): void;
  close(): void;
}
