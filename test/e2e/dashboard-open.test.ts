// `indus run --dashboard --open`: the compiled binary hands the dashboard's address to the platform's opener (here a
// fake xdg-open first on PATH that writes down what it was given), and says what to do when it cannot.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { oneStepPlan, runIndus, tempDir, writePlan } from "../helpers.ts";

let target: MockServer;
let plan: string;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 0, quiet: true });
  plan = writePlan(oneStepPlan({ name: "open", url: `${target.url}/api/users`, vus: 1, thinkTime: "100ms" }));
});
afterAll(async () => {
  await target.stop();
});

const dashboardUrl = (stderr: string) => /^Dashboard: (\S+)$/m.exec(stderr)?.[1];

/** the opener runs on its own, unwaited: wait for what it writes, up to a deadline */
async function fileContent(path: string, deadlineMs: number): Promise<string | undefined> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8");
      if (text.endsWith("\n")) return text;
    }
    await Bun.sleep(20);
  }
  return undefined;
}

test.skipIf(process.platform !== "linux")("with a display: the opener gets the dashboard's address", async () => {
  const bin = tempDir("indus-open-bin-");
  const record = join(bin, "opened.txt");
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$*" > ${record}.tmp && mv ${record}.tmp ${record}\n`);
  chmodSync(join(bin, "xdg-open"), 0o755);
  const r = await runIndus(["run", plan, "--dashboard=127.0.0.1:0", "--open", "--data-dir", tempDir()], {
    env: { PATH: `${bin}:${process.env.PATH}`, DISPLAY: ":99" },
  });
  expect(r.code).toBe(0);
  const url = dashboardUrl(r.stderr);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(await fileContent(record, 10_000)).toBe(`${url}\n`);
  expect(r.stderr).not.toContain("--open:");
});

test.skipIf(process.platform !== "linux")("without a display: the address to open by hand, and the run goes on", async () => {
  const r = await runIndus(["run", plan, "--dashboard=127.0.0.1:0", "--open", "--data-dir", tempDir()], { env: { DISPLAY: "", WAYLAND_DISPLAY: "" } });
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`--open: no display here; open ${dashboardUrl(r.stderr)} yourself`);
  expect(r.stdout).toContain("Run completed");
});

test.skipIf(process.platform !== "linux")("a display but no opener: the address to open by hand, and the run goes on", async () => {
  const empty = tempDir("indus-open-none-");
  const r = await runIndus(["run", plan, "--dashboard=127.0.0.1:0", "--open", "--data-dir", tempDir()], { env: { PATH: empty, DISPLAY: ":99" } });
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`--open: no browser opener found; open ${dashboardUrl(r.stderr)} yourself`);
  expect(r.stdout).toContain("Run completed");
  expect(r.stderr).not.toContain("    at ");
});
