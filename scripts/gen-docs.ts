// `npm run docs`: regenerates the parts of the docs that describe code (README regions, docs/load-profiles.svg).
// `bun scripts/gen-docs.ts --check` changes nothing and exits 1 if a generated file is stale.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateDocs } from "./docs/index.ts";

const root = resolve(import.meta.dir, "..");
const check = process.argv.includes("--check");
const stale: string[] = [];
for (const { file, content } of await generateDocs(root)) {
  const path = join(root, file);
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (current === content) continue;
  stale.push(file);
  if (!check) writeFileSync(path, content);
}
if (check && stale.length > 0) {
  console.error(`stale: ${stale.join(", ")} (run: npm run docs)`);
  process.exit(1);
}
console.log(stale.length === 0 ? "docs are up to date" : `${check ? "stale" : "wrote"}: ${stale.join(", ")}`);
process.exit(0);
