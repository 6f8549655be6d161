// Entry point of the indus binary.
import { runCli } from "./cli/index.ts";
import { processIo } from "./cli/io.ts";

const code = await runCli(process.argv.slice(2), processIo());
process.exit(code);
