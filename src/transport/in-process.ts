// The in-process link: local mode joins a controller and an agent with no network between them.
import { describeFailure } from "../core/failure.ts";
import type { AgentConnector, AgentMsg, AgentSession, ControlMsg, ControllerSession } from "./messages.ts";

export interface SessionAcceptor {
  /** The agent's entry point for a new conversation (the same one the gRPC server calls). */
  accept(session: ControllerSession): void;
}

interface Side<In> {
  handlers: ((msg: In) => void)[];
  closeHandlers: ((reason: string) => void)[];
}

export function createInProcessConnector(id: string, agent: SessionAcceptor): AgentConnector {
  return {
    id,
    address: "in-process",
    open() {
      const toAgent: Side<ControlMsg> = { handlers: [], closeHandlers: [] };
      const toController: Side<AgentMsg> = { handlers: [], closeHandlers: [] };
      let closed = false;
      let ready = false;
      // Deliver asynchronously, as a network would, so neither side re-enters the other. A handler that throws
      // fails the conversation with the reason (as the gRPC sessions do), never the process.
      const deliver = <T extends { kind: string }>(side: Side<T>, msg: T) =>
        !closing &&
        queueMicrotask(() => {
          if (closed) return;
          try {
            for (const h of side.handlers) h(msg);
          } catch (e) {
            if (side === (toAgent as unknown)) failWith(`agent failed handling ${msg.kind}: ${describeFailure(e)}`);
            else closeBoth(`controller failed handling ${msg.kind}: ${describeFailure(e)}`);
          }
        });
      /** the agent failed: before Ready the controller hears it as a refusal, after it as a loss */
      const failWith = (reason: string) => {
        if (closing) return;
        if (!ready) deliver(toController, { kind: "error", code: "agent_failed", message: reason } as AgentMsg);
        closeBoth(reason);
      };
      let closing = false;
      const closeBoth = (reason: string) => {
        if (closing) return;
        closing = true;
        // after the messages already sent, as a stream would: a final snapshot then close arrive in that order
        queueMicrotask(() => {
          closed = true;
          for (const h of toAgent.closeHandlers) h(reason);
          for (const h of toController.closeHandlers) h(reason);
        });
      };
      const agentSide: ControllerSession = {
        send: (msg) => {
          if (msg.kind === "ready") ready = true;
          deliver(toController, msg);
        },
        fail: failWith,
        onMessage: (h) => void toAgent.handlers.push(h),
        onClose: (h) => void toAgent.closeHandlers.push(h),
        close: () => closeBoth("agent closed"),
      };
      const controllerSide: AgentSession = {
        send: (msg) => deliver(toAgent, msg),
        onMessage: (h) => void toController.handlers.push(h),
        onClose: (h) => void toController.closeHandlers.push(h),
        close: () => closeBoth("controller closed"),
      };
      agent.accept(agentSide);
      return controllerSide;
    },
  };
}
