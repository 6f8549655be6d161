// Runs the mock target from the command line until SIGINT/SIGTERM: `bun scripts/mock-server.ts --latency 50ms`.
import { createMockServer, describeMockServer, MOCK_USAGE, parseMockArgs, type MockOptions } from "../src/mock/index.ts";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(MOCK_USAGE);
  process.exit(0);
}

let options: MockOptions;
try {
  options = parseMockArgs(argv);
} catch (err) {
  console.error(`mock-server: ${(err as Error).message}\n\n${MOCK_USAGE}`);
  process.exit(2);
}

let server;
try {
  server = createMockServer(options);
} catch (err) {
  console.error(`mock-server: cannot listen: ${(err as Error).message}`);
  process.exit(2);
}
if (!options.quiet) console.log(describeMockServer(server));

const shutdown = () => {
  void server.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
