// Runs first in `npm run demo`, `npm test` and the builds (plain Node: Bun may be what is missing): checks that the Bun
// binary package.json pins is really installed, and says how to get it when npm did not run Bun's install script.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const wanted = pkg.devDependencies?.bun;
const bin = join(root, "node_modules", "bun", "bin", "bun.exe");

function fail(problem, fixes) {
  process.stderr.write(`indus: ${problem}\n${fixes.map((f) => `  fix: ${f}`).join("\n")}\n`);
  process.exit(1);
}

if (!existsSync(bin)) {
  fail(`Bun ${wanted} is not installed in node_modules (npm ci has not run here).`, ["npm ci"]);
}
const run = spawnSync(bin, ["--version"], { encoding: "utf8" });
const version = (run.stdout ?? "").trim();
if (run.status !== 0 || !/^\d+\.\d+\.\d+/.test(version)) {
  fail(
    `node_modules/bun holds no Bun binary: npm did not run bun's install script, which fetches it. npm 11 runs only the ` +
      `install scripts that package.json's "allowScripts" approves (this project approves bun's), and none at all with ` +
      `--ignore-scripts or ignore-scripts=true in an .npmrc.`,
    ["npm rebuild bun            (runs bun's install script now)", "npm ci --ignore-scripts=false   (reinstalls with install scripts on)"],
  );
}
if (wanted && version !== wanted) {
  process.stderr.write(`indus: warning: node_modules has Bun ${version}, package.json pins ${wanted}: run npm ci\n`);
}
