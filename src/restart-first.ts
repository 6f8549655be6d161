// Imported first by main.ts, so that it runs before any other module is evaluated: `run` and `agent` start again
// with the settings a load-generating process runs with (src/cli/restart.ts says which and why). The new process
// has the same pid, streams and arguments.
import { restartForLoad } from "./cli/restart.ts";

const execve = process.platform === "win32" ? undefined : process.execve;
const restart = restartForLoad({
  args: process.argv.slice(2),
  env: process.env,
  compiled: import.meta.path.startsWith("/$bunfs/"),
  canExec: typeof execve === "function",
});
if (restart && execve) execve(process.execPath, [process.execPath, ...restart.args], restart.env);
