// A dashboard page in the real headless Chromium (playwright-core): every request it makes, evaluate, poll, screenshot.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page as PwPage } from "playwright-core";
import { ROOT } from "../helpers.ts";
import { launchChromium } from "../report/chromium.ts";

export { CHROMIUM } from "../report/chromium.ts";

export interface Page {
  /** every URL the page asked for, in order */
  readonly requests: string[];
  /** console errors, exceptions, CSP reports */
  readonly problems: string[];
  /** the driver's page, for what the helpers below do not cover (cookies, clicks) */
  readonly pw: PwPage;
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
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  page.on("console", (m) => {
    // an SSE stream cut when the run's process exits is expected: only the rest counts
    if (m.type() === "error" && !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|net::ERR_/.test(m.text())) problems.push(`console.error: ${m.text()}`);
  });

  const evaluate = <T,>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

  return {
    requests,
    problems,
    pw: page,
    async goto(url) {
      await page.goto(url, { waitUntil: "load" });
    },
    evaluate,
    async waitFor<T>(what: string, expression: string, ms = 15_000): Promise<T> {
      const deadline = performance.now() + ms;
      for (;;) {
        // a click that navigates destroys the context mid-poll: the next poll reads the new page
        const v = await evaluate<T>(expression).catch((e: Error) => {
          if (/context was destroyed|navigat/i.test(e.message)) return null;
          throw e;
        });
        if (v !== null && v !== undefined && v !== false) return v;
        if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await Bun.sleep(100);
      }
    },
    async screenshot(name, opts = {}) {
      // a given height may reach below the viewport: a clip of the full page, no taller than the page
      const tall = opts.height && !opts.full ? Math.min(opts.height, await evaluate<number>("document.documentElement.scrollHeight")) : undefined;
      const png = await page.screenshot({ fullPage: Boolean(opts.full || tall), ...(tall ? { clip: { x: 0, y: 0, width, height: tall } } : {}) });
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
