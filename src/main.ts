// Entry point of the indus binary.
import "./restart-first.ts"; // first: it may start the process again before anything else loads

// Loaded only now: a process that restart-first replaces never loads the CLI (the binary is built with
// --splitting, so the CLI's modules are a chunk of their own).
const { runCli } = await import("./cli/index.ts");
const { processIo } = await import("./cli/io.ts");
const io = processIo();
await io.exit(await runCli(process.argv.slice(2), io));
