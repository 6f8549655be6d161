// Imported first by main.ts, so that it runs before any other module is evaluated: `run` and `agent` start again
// without the FTL tier (src/cli/jit-tiers.ts says why). The new process has the same pid, streams and arguments.
import { restartWithoutFtl } from "./cli/jit-tiers.ts";

const execve = process.platform === "win32" ? undefined : process.execve;
const restart = restartWithoutFtl({
  args: process.argv.slice(2),
  env: process.env,
  compiled: import.meta.path.startsWith("/$bunfs/"),
  canExec: typeof execve === "function",
});
if (restart && execve) execve(process.execPath, [process.execPath, ...restart.args], restart.env);
