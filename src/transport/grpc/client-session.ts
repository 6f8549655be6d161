// The controller's side of one RunScenario call: a gRPC bidi stream seen as an AgentSession.
import type { ClientDuplexStream, StatusObject } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type * as pb from "../gen/indus.ts";
import type { AgentMsg, AgentSession } from "../messages.ts";
import { describeStatus } from "./channel.ts";
import { agentMsgFromProto, controlToProto } from "./codec.ts";
import { describeFailure } from "../../core/failure.ts";

/** How long a closed session waits for the agent to end the call before cancelling it. */
const CLOSE_GRACE_MS = 2000;
/** How long, after the status, to wait for messages still buffered in the stream. */
const DRAIN_GRACE_MS = 1000;

/** `release` runs once the call is over (the connector closes its channel there). */
export function clientSession(call: ClientDuplexStream<pb.ControlMsg, pb.AgentMsg>, release: () => void): AgentSession {
  const handlers: ((msg: AgentMsg) => void)[] = [];
  const closeHandlers: ((reason: string) => void)[] = [];
  let closed = false;
  let finalReason: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const closeOnce = (reason: string) => {
    if (closed) return;
    closed = true;
    // like the in-process link: never re-enter the caller of close()
    queueMicrotask(() => {
      for (const h of closeHandlers) h(reason);
    });
  };
  const finish = (reason: string) => {
    if (timer) clearTimeout(timer);
    closeOnce(reason);
    release();
  };

  call.on("data", (m: pb.AgentMsg) => {
    if (closed) return;
    let msg: AgentMsg;
    try {
      msg = agentMsgFromProto(m);
    } catch (e) {
      closeOnce(`unreadable message from agent: ${(e as Error).message}`);
      call.cancel();
      return;
    }
    try {
      for (const h of handlers) h(msg);
    } catch (e) {
      // a bug in the controller's handling fails this agent's part of the run, with the reason; the process stays up
      closeOnce(`controller failed handling ${msg.kind} from the agent: ${describeFailure(e)}`);
      call.cancel();
    }
  });
  // The status can overtake messages still buffered in the stream: close only once `end` has delivered them.
  call.on("status", (s: StatusObject) => {
    finalReason = s.code === status.OK ? "agent closed" : describeStatus(s);
    if (call.readableEnded) return finish(finalReason);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => finish(finalReason ?? "stream closed"), DRAIN_GRACE_MS);
  });
  call.on("end", () => {
    if (finalReason !== undefined) finish(finalReason);
  });
  // Non-OK statuses also arrive as `error` (just before `status`); without a listener it would throw.
  call.on("error", () => {});

  return {
    send(msg) {
      if (closed || call.writableEnded) return;
      call.write(controlToProto(msg));
    },
    onMessage: (h) => void handlers.push(h),
    onClose: (h) => void closeHandlers.push(h),
    close() {
      if (closed) return;
      closeOnce("controller closed");
      if (!call.writableEnded) call.end();
      // the agent ends the call when it sees ours end; if it does not, cut it
      timer = setTimeout(() => call.cancel(), CLOSE_GRACE_MS);
    },
  };
}
