// Imported first by main.ts, so that it runs before any other module is evaluated: `run` and `agent` start again
// with the settings a load-generating process runs with (src/cli/restart.ts says which and why). The new process
// has the same pid, streams and arguments.
import { restartForLoad } from "./cli/restart.ts";

const restart = restartForLoad({
  args: process.argv.slice(2),
  env: process.env,
  compiled: import.meta.path.startsWith("/$bunfs/"),
  canExec: process.platform !== "win32" && typeof process.execve === "function",
});
if (restart) {
  try {
    process.execve!(process.execPath, [process.execPath, ...restart.args], restart.env);
  } catch {
    // a platform that refuses execve: run on as we are, only without the settings
  }
}
