// The agent's side of one RunScenario call: a gRPC bidi stream seen as a ControllerSession.
import type { ServerDuplexStream } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { Logger } from "../../observability/logger.ts";
import type * as pb from "../gen/indus.ts";
import { describeFailure } from "../../core/failure.ts";
import type { ControlMsg, ControllerSession } from "../messages.ts";
import { agentMsgToProto, controlFromProto } from "./codec.ts";

export function serverSession(call: ServerDuplexStream<pb.ControlMsg, pb.AgentMsg>, logger?: Logger): ControllerSession {
  const handlers: ((msg: ControlMsg) => void)[] = [];
  const closeHandlers: ((reason: string) => void)[] = [];
  let closed = false;
  let needDrain = false;
  /** whether the agent said Ready: a failure before is a refusal, after it a lost agent */
  let ready = false;

  const closeOnce = (reason: string) => {
    if (closed) return;
    closed = true;
    // like the in-process link: never re-enter the caller of close()
    queueMicrotask(() => {
      for (const h of closeHandlers) h(reason);
    });
  };

  call.on("data", (m: pb.ControlMsg) => {
    if (closed) return;
    let msg: ControlMsg;
    try {
      msg = controlFromProto(m);
    } catch (e) {
      const reason = (e as Error).message;
      logger?.warn("bad control message, closing stream", { reason });
      closeOnce(reason);
      call.emit("error", { code: status.INVALID_ARGUMENT, details: reason });
      return;
    }
    try {
      for (const h of handlers) h(msg);
    } catch (e) {
      // a bug in the agent must not take the process down: this run fails, saying why; the agent stays up
      const reason = `agent failed handling ${msg.kind}: ${describeFailure(e)}`;
      logger?.error("unexpected error, failing the run", { error: reason });
      fail(reason);
    }
  });
  call.on("drain", () => (needDrain = false));
  // A killed controller also produces `end`, followed by `cancelled`: look a moment later to tell which.
  call.on("end", () =>
    setImmediate(() => {
      if (call.cancelled) return closeOnce("controller connection lost");
      if (!call.writableEnded) call.end();
      closeOnce("controller closed");
    }),
  );
  call.on("cancelled", () => closeOnce("controller connection lost"));
  call.on("error", (e: Error) => closeOnce(`stream error: ${e.message}`));
  call.on("close", () => closeOnce("stream closed"));

  const fail = (reason: string) => {
    if (closed) return;
    // first, so that the stream's own error event does not close it with a vaguer reason
    closeOnce(reason);
    if (!ready && !call.writableEnded) {
      call.write(agentMsgToProto({ kind: "error", code: "agent_failed", message: reason }));
      call.end();
    } else if (!call.writableEnded && !call.cancelled) {
      call.emit("error", { code: status.INTERNAL, details: reason });
    }
  };

  return {
    send(msg) {
      if (closed || call.writableEnded) return;
      if (msg.kind === "ready") ready = true;
      if (!call.write(agentMsgToProto(msg))) needDrain = true;
    },
    fail,
    backpressured: () => needDrain,
    onMessage: (h) => void handlers.push(h),
    onClose: (h) => void closeHandlers.push(h),
    close() {
      if (!call.writableEnded && !call.cancelled) call.end();
      closeOnce("agent closed");
    },
  };
}
