// The dashboard away from loopback: the UI on a veth address in one network namespace, Chromium in another; the token decides who may look and act.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ProcGroup, type Proc } from "../distributed/harness.ts";
import { createLab, netnsUnavailable, type Lab } from "../distributed/netns.ts";
import { writePlan } from "../helpers.ts";
import { CHROMIUM, launchChromium } from "../report/chromium.ts";

const unavailable = CHROMIUM ? netnsUnavailable() : "no chromium at /usr/bin/chromium";
if (unavailable) console.warn(`dashboard/netns.test.ts: SKIPPED — ${unavailable}`);

const TOKEN = `ui-token-${process.pid}`;

describe.skipIf(unavailable !== undefined)("dashboard on a non-loopback address (network namespaces), in Chromium", () => {
  const group = new ProcGroup();
  let lab: Lab;
  let browser: Browser;
  let run: Proc;
  let runId: string;
  let origin: string;

  /** A fresh browser profile inside the browser's namespace: no cookie from an earlier test. */
  const freshPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    return { context, page: await context.newPage() };
  };
  /** A same-origin POST from the page itself, as the Stop button sends it. */
  const post = (page: Page, path: string, action: string) =>
    page.evaluate(
      async ([p, a]) => {
        const r = await fetch(p!, { method: "POST", headers: { "X-Indus-Action": a! } });
        return { status: r.status, text: await r.text() };
      },
      [path, action],
    );

  /** A minute's run of `vus` browsing VUs in the UI's namespace (against its own loopback), its dashboard up and the run started. */
  const startBrowseRun = async (name: string, vus: number, flags: string[]): Promise<{ proc: Proc; runId: string }> => {
    const plan = writePlan(
      `name: netns-${name}
scenarios:
  browse:
    duration: 60s
    think_time: 50ms
    profile: { type: constant, vus: ${vus} }
    steps:
      - { name: home, url: "http://127.0.0.1:8080/" }
`,
      group.dir(),
    );
    const proc = group.spawn(name, ["run", plan, ...flags], { prefix: lab.exec("ui") });
    await proc.waitFor(/^Dashboard: /, 20_000, "err");
    return { proc, runId: /Run started: ([0-9a-f]{8})/.exec(await proc.waitFor(/Run started: /, 20_000, "out"))![1]! };
  };

  beforeAll(async () => {
    lab = createLab(["ui", "browser"]);
    const dir = group.dir();
    // Chromium runs inside the browser's namespace: it reaches the UI only over the veths, never over loopback
    const wrapper = join(dir, "chromium-in-netns.sh");
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lab.ns.browser} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await launchChromium(wrapper);

    // the target lives on the UI host's own loopback: the load never leaves that namespace
    const target = group.spawn("target", ["mock-server", "--host", "127.0.0.1", "--port", "8080"], { prefix: lab.exec("ui") });
    await target.waitFor(/Mock server starting/, 10_000, "out");
    ({ proc: run, runId } = await startBrowseRun("run", 2, [`--dashboard=${lab.ip.ui}:5665`, "--token", TOKEN, "--data-dir", group.dataDir, "--interval", "1s"]));
    origin = `http://${lab.ip.ui}:5665`;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await group.stop();
    lab?.destroy();
  });

  test("without the token: the page is not shown, and a POST from the UI's own origin is refused", async () => {
    const { context, page } = await freshPage();
    const res = await page.goto(`${origin}/runs/${runId}`);
    expect(res!.status()).toBe(401);
    expect(await page.textContent("body")).toContain("needs the controller's token");
    expect(await page.evaluate(`!!document.getElementById("stop")`)).toBe(false);
    // the same origin, the action header, everything but the token
    const refused = await post(page, `/runs/${runId}/stop`, "stop");
    expect(refused.status).toBe(401);
    // a wrong token is no better
    expect((await page.goto(`${origin}/?token=wrong-${TOKEN}`))!.status()).toBe(401);
    expect(await context.cookies()).toEqual([]);
    await context.close();
    // and the run goes on
    expect(await Promise.race([run.exited, Promise.resolve("running")])).toBe("running");
  });

  test("with ?token= once: an HttpOnly cookie, a clean address, the live page, and Stop ends the run (exit 1, logged with the browser's address)", async () => {
    const { context, page } = await freshPage();
    await page.goto(`${origin}/?token=${TOKEN}`);
    expect(page.url()).toBe(`${origin}/runs/${runId}`);
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.value, c.httpOnly, c.sameSite])).toEqual([["indus_token", TOKEN, true, "Strict"]]);
    expect(await page.evaluate(`document.querySelector(".head h1 + .badge").textContent`)).toBe("running");
    // the token is not enough: a POST without the action header (what a plain form would send) is refused
    expect((await page.evaluate(`fetch("/runs/${runId}/stop", { method: "POST" }).then((r) => r.status)`)) as number).toBe(403);
    await page.click("#stop");
    expect(await page.textContent("#stop")).toBe("Confirm stop");
    await page.click("#stop");
    expect(await run.exited).toBe(1);
    expect(run.stdout()).toContain(`Run aborted: ${runId} (stopped from the dashboard by ${lab.ip.browser})`);
    expect(run.stderr()).toContain('"dashboard stop requested"');
    await page.waitForFunction(`document.getElementById("livebar").classList.contains("ended")`, undefined, { timeout: 10_000 });
    expect(await page.evaluate(`document.querySelector(".head h1 + .badge").textContent`)).toBe("aborted");
    await context.close();
  }, 30_000);

  test("a controller UI away from loopback without a token (--insecure) is read-only: it shows, and refuses to act", async () => {
    const controller = group.spawn(
      "controller",
      ["controller", "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "off", "--data-dir", group.dir(), "--ui-addr", `${lab.ip.ui}:5666`, "--insecure"],
      { prefix: lab.exec("ui") },
    );
    await controller.waitFor(/controller dashboard listening/, 15_000, "err");
    const { context, page } = await freshPage();
    const res = await page.goto(`http://${lab.ip.ui}:5666/`);
    expect(res!.status()).toBe(200);
    expect(await page.evaluate(`!!document.querySelector("#runs")`)).toBe(true);
    const refused = await post(page, `/runs/${runId}/abort`, "abort");
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("abort is not allowed here");
    await context.close();
  }, 30_000);

  test("a run's dashboard away from loopback without a token (run --insecure) is read-only: it shows, and Stop is refused", async () => {
    const { proc: open, runId: openRunId } = await startBrowseRun("run-insecure", 1, [`--dashboard=${lab.ip.ui}:5667`, "--insecure", "--data-dir", group.dir()]);
    const { context, page } = await freshPage();
    const res = await page.goto(`http://${lab.ip.ui}:5667/runs/${openRunId}`);
    expect(res!.status()).toBe(200);
    expect(await page.evaluate(`document.querySelector(".head h1 + .badge").textContent`)).toBe("running");
    expect(await page.evaluate(`!!document.getElementById("stop")`)).toBe(false);
    const refused = await post(page, `/runs/${openRunId}/stop`, "stop");
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("stop is not allowed here");
    expect(await Promise.race([open.exited, Promise.resolve("running")])).toBe("running");
    await context.close();
  }, 60_000);
});
