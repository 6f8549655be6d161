// The committed src/transport/gen/ is what proto/indus.proto generates today (run `npm run gen:proto` if not).
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");

test("generated code is up to date with proto/indus.proto", async () => {
  const out = mkdtempSync(join(tmpdir(), "indus-gen-"));
  try {
    const proc = Bun.spawn([join(root, "node_modules/.bin/buf"), "generate", "-o", out], { cwd: root, stdout: "pipe", stderr: "pipe" });
    const code = await proc.exited;
    expect(code === 0 ? "" : await new Response(proc.stderr).text()).toBe("");
    const fresh = readFileSync(join(out, "src/transport/gen/indus.ts"), "utf8");
    const committed = readFileSync(join(root, "src/transport/gen/indus.ts"), "utf8");
    expect(fresh === committed ? "up to date" : "stale: run `npm run gen:proto` and commit src/transport/gen").toBe("up to date");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
