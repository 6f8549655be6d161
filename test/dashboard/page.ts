// A dashboard page in the real headless Chromium (the report tests' CDP driver): every request it makes, evaluate, poll, screenshot.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";
import { launchChromium, type Browser } from "../report/html-cdp.ts";

export { CHROMIUM } from "../report/html-cdp.ts";

export interface Page {
  /** every URL the page asked for, in order */
  readonly requests: string[];
  /** console errors, exceptions, CSP reports */
  readonly problems: string[];
  goto(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** polls expression until it returns something other than null/undefined/false */
  waitFor<T>(what: string, expression: string, ms?: number): Promise<T>;
  /** PNG of the page (whole length when full) into test-artifacts/NAME, and also to `alsoTo` when given */
  screenshot(name: string, opts?: { full?: boolean; alsoTo?: string; height?: number }): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openPage(executable: string, width = 1280, height = 900): Promise<Page> {
  const browser: Browser = await launchChromium(executable);
  const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
  const requests: string[] = [];
  const problems: string[] = [];
  browser.on("Network.requestWillBeSent", (p, s) => s === sessionId && requests.push(p.request.url));
  browser.on("Runtime.exceptionThrown", (p, s) => s === sessionId && problems.push(`exception: ${p.exceptionDetails.text} ${p.exceptionDetails.exception?.description ?? ""}`));
  browser.on("Runtime.consoleAPICalled", (p, s) => {
    if (s === sessionId && p.type === "error") problems.push(`console.error: ${JSON.stringify(p.args)}`);
  });
  browser.on("Log.entryAdded", (p, s) => {
    // an SSE stream cut when the run's process exits is expected: only the rest counts
    if (s === sessionId && p.entry.level === "error" && !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|net::ERR_/.test(p.entry.text)) problems.push(`log: ${p.entry.text}`);
  });
  for (const domain of ["Page", "Network", "Runtime", "Log"]) await browser.send(`${domain}.enable`, {}, sessionId);
  await browser.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);

  const evaluate = async <T,>(expression: string): Promise<T> => {
    const { result, exceptionDetails } = await browser.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text} ${exceptionDetails.exception?.description ?? ""}`);
    return result.value as T;
  };

  return {
    requests,
    problems,
    async goto(url) {
      const loaded = new Promise<void>((resolve) => browser.on("Page.loadEventFired", (_p, s) => s === sessionId && resolve()));
      await browser.send("Page.navigate", { url }, sessionId);
      await loaded;
    },
    evaluate,
    async waitFor<T>(what: string, expression: string, ms = 15_000): Promise<T> {
      const deadline = performance.now() + ms;
      for (;;) {
        const v = await evaluate<T>(expression);
        if (v !== null && v !== undefined && v !== false) return v;
        if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await Bun.sleep(100);
      }
    },
    async screenshot(name, opts = {}) {
      const metrics = await browser.send("Page.getLayoutMetrics", {}, sessionId);
      const size = opts.full ? metrics.cssContentSize : { width, height: Math.min(opts.height ?? height, metrics.cssContentSize.height) };
      const { data } = await browser.send<{ data: string }>(
        "Page.captureScreenshot",
        { format: "png", captureBeyondViewport: Boolean(opts.full || opts.height), clip: { x: 0, y: 0, width: size.width, height: size.height, scale: 1 } },
        sessionId,
      );
      const png = Buffer.from(data, "base64");
      mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
      writeFileSync(join(ROOT, "test-artifacts", name), png);
      if (opts.alsoTo) writeFileSync(opts.alsoTo, png);
      return png;
    },
    close: () => browser.close(),
  };
}

/** How many points the first line of a chart has (its path's M/L commands). */
export function chartPoints(chartId: string): string {
  return `(() => { const p = document.querySelector("#${chartId} path.line"); return p ? (p.getAttribute("d").match(/[ML]/g) || []).length : 0; })()`;
}
