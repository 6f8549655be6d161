// Debian's Chromium driven by playwright-core (pinned in package.json; no downloaded browser): the browser tests' one launcher.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

// without the background-networking flags Chromium keeps dialling out of this closed network
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export function launchChromium(executable: string): Promise<Browser> {
  return chromium.launch({ executablePath: executable, args: ARGS, timeout: 30_000 });
}
