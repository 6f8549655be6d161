// A bug that escapes every catch still leaves the output whole: one line on stderr, exit 1, stdout drained.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, tempDir } from "../helpers.ts";

test("an uncaught exception: stdout drained through a slow reader, one stderr line, exit 1", async () => {
  const dir = tempDir("indus-fatal-");
  const out = join(dir, "out");
  const script = `"$1" "$2" 2>"$4" | "$1" "$3" "$5"; echo code=\${PIPESTATUS[0]}`;
  const proc = Bun.spawn(["bash", "-c", script, "fatal", process.execPath, join(import.meta.dir, "fatal-script.ts"), join(import.meta.dir, "slow-reader.ts"), join(dir, "err"), out], {
    stdout: "pipe",
    env: { ...process.env, INDUS_DEBUG: "" },
  });
  const shell = await new Response(proc.stdout).text();
  expect(shell.trim()).toBe("code=1");
  const stdout = readFileSync(out, "utf8");
  expect(stdout.length).toBe(3000 * 1025);
  expect(stdout.endsWith(`2999 ${"y".repeat(1019)}\n`)).toBe(true);
  expect(readFileSync(join(dir, "err"), "utf8")).toBe("internal error: boom after the output\n");
});

test("stdout that cannot be written (a full disk) is an error, not a silent exit 0", async () => {
  const proc = Bun.spawn(["bash", "-c", `"$0" schema >/dev/full`, BIN], { stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  expect(code).toBe(1);
  expect(stderr).toStartWith("error: cannot write the output: ENOSPC");
});
