// Entry point of the indus binary.
import "./restart-first.ts"; // first: it may start the process again before anything else loads
import { runCli } from "./cli/index.ts";
import { processIo } from "./cli/io.ts";

const io = processIo();
await io.exit(await runCli(process.argv.slice(2), io));
