// `npm run demo`: starts the mock target on :8080 and runs examples/basic.yaml against it, live table and verdict.
import { createMockServer, describeMockServer } from "../src/mock/index.ts";

const plan = process.argv[2] ?? "examples/basic.yaml";
let server;
try {
  server = createMockServer({ port: 8080, hostname: "127.0.0.1", latency: 40, errorRate: 0.002, quiet: true });
} catch (e) {
  console.error(`could not start the mock target on 127.0.0.1:8080 (${(e as Error).message}); is something else listening there?`);
  process.exit(2);
}
console.log(describeMockServer(server));
console.log(`Running ${plan} against it...\n`);
const child = Bun.spawn([process.execPath, "src/main.ts", "run", plan, "--interval", "2s"], {
  stdio: ["inherit", "inherit", "inherit"],
});
process.on("SIGINT", () => child.kill("SIGINT"));
const code = await child.exited;
await server.stop();
process.exit(code);
