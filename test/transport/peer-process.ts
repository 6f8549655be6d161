// A peer in its own process, so tests can kill it for real: `agent` serves the fake agent; `controller ADDR` talks to one.
import { createFakeAgent } from "./fake-agent.ts";
import { createGrpcAgentConnector, startAgentGrpcServer } from "../../src/transport/grpc/index.ts";

const [mode, address] = process.argv.slice(2);
if (mode === "agent") {
  const server = await startAgentGrpcServer({ agent: createFakeAgent("child-agent"), address: "127.0.0.1:0" });
  console.log(`PORT ${server.port}`);
} else if (mode === "controller" && address) {
  const session = createGrpcAgentConnector({ id: "a", address }).open();
  let seq = 0;
  session.onMessage(() => console.log("REPLY"));
  session.onClose((reason) => {
    console.log(`CLOSED ${reason}`);
    process.exit(0);
  });
  setInterval(() => session.send({ kind: "heartbeat", seq: ++seq }), 100);
} else {
  console.error("usage: peer-process.ts agent | controller HOST:PORT");
  process.exit(2);
}
