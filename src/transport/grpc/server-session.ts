// The agent's side of one RunScenario call: a gRPC bidi stream seen as a ControllerSession.
import type { ServerDuplexStream } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { Logger } from "../../observability/logger.ts";
import type * as pb from "../gen/indus.ts";
import type { ControlMsg, ControllerSession } from "../messages.ts";
import { agentMsgToProto, controlFromProto } from "./codec.ts";

export function serverSession(call: ServerDuplexStream<pb.ControlMsg, pb.AgentMsg>, logger?: Logger): ControllerSession {
  const handlers: ((msg: ControlMsg) => void)[] = [];
  const closeHandlers: ((reason: string) => void)[] = [];
  let closed = false;
  let needDrain = false;

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
    for (const h of handlers) h(msg);
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

  return {
    send(msg) {
      if (closed || call.writableEnded) return;
      if (!call.write(agentMsgToProto(msg))) needDrain = true;
    },
    backpressured: () => needDrain,
    onMessage: (h) => void handlers.push(h),
    onClose: (h) => void closeHandlers.push(h),
    close() {
      if (!call.writableEnded && !call.cancelled) call.end();
      closeOnce("agent closed");
    },
  };
}
