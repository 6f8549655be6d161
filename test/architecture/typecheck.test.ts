// The source typechecks. This is also how "a field added to the run model flows through every encoding or fails
// a test" holds for the hand-laid codecs (snapshots on the wire and in SQLite): each destructures the model and
// hands the rest to `exhaustive(…: Record<string, never>)`, which tsc rejects while a field is left unmapped.
import { expect, test } from "bun:test";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");

test("src/ typechecks (tsc --noEmit)", async () => {
  const proc = Bun.spawn([join(ROOT, "node_modules/.bin/tsc"), "--noEmit", "-p", "."], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  // only the product's errors: test files are checked by the tests that run them
  const errors = out.split("\n").filter((l) => /^src\/.*error TS/.test(l));
  expect(errors).toEqual([]);
  expect(code === 0 || errors.length === 0).toBe(true);
}, 120_000);
