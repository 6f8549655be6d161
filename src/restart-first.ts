// Imported first by main.ts, so that it runs before any other module is evaluated: `run` and `agent` start again
// with the settings a load-generating process runs with (src/cli/restart.ts says which and why). The new process
// has the same pid, streams and arguments.
import { restartForLoad } from "./cli/restart.ts";

/** Set by scripts/aot.ts: the binary is machine code, with no JIT whose options the restart would set. */
declare const INDUS_AOT: boolean | undefined;

const restart = restartForLoad({
  args: process.argv.slice(2),
  env: process.env,
  compiled: import.meta.path.startsWith("/$bunfs/"),
  canExec: process.platform !== "win32" && typeof process.execve === "function",
  aot: typeof INDUS_AOT === "boolean" && INDUS_AOT,
});
if (restart) {
  try {
    process.execve!(process.execPath, [process.execPath, ...restart.args], restart.env);
  } catch {
    // a platform that refuses execve: run on as we are, only without the settings
  }
}
