// Tag cardinality is bounded (compiled bin/indus, a local run): a data column with 10,000 distinct values tags every
// request, yet the run keeps max_tag_values (20) of them plus "other", reports how many were folded, counts every
// request once, and peaks at about the memory of the same run untagged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, tempDir } from "../helpers.ts";

const DISTINCT = 10_000;
let served = 0;
let target: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  target = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => (served++, new Response("ok")) });
});
afterAll(() => target.stop(true));

const plan = (tagged: boolean) => `name: cardinality
scenarios:
  users:
    duration: 3s
    profile: { type: constant, vus: 8 }
    data: { file: users.csv${tagged ? ", tags: [user]" : ""} }
    steps:
      - name: profile
        url: "http://127.0.0.1:${target.port}/users/{{user}}"
`;

/** Runs the plan with GNU time: the exit code, the JSON report and the peak RSS in KB. */
async function run(dir: string, tagged: boolean): Promise<{ code: number; report: any; maxRssKb: number; stdout: string }> {
  const file = join(dir, `${tagged ? "tagged" : "plain"}.yaml`);
  writeFileSync(file, plan(tagged));
  const json = join(dir, `${tagged ? "tagged" : "plain"}.json`);
  const rss = join(dir, `${tagged ? "tagged" : "plain"}.rss`);
  const proc = Bun.spawn(["/usr/bin/time", "-f", "%M", "-o", rss, BIN, "run", file, "--workers", "1", "--quiet", "--report", json, "--data-dir", join(dir, "data")], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [code, stdout] = await Promise.all([proc.exited, new Response(proc.stdout).text()]);
  clearTimeout(timer);
  return { code, stdout, report: JSON.parse(readFileSync(json, "utf8")), maxRssKb: Number(readFileSync(rss, "utf8").trim().split("\n").at(-1)) };
}

describe("tag cardinality (compiled binary)", () => {
  test(`${DISTINCT} distinct values of a data column: 20 kept, the rest folded into "other" and reported, memory bounded`, async () => {
    const dir = tempDir("indus-tags-");
    const rows = Array.from({ length: DISTINCT }, (_, i) => `u${String(i).padStart(5, "0")}`);
    writeFileSync(join(dir, "users.csv"), `user\n${rows.join("\n")}\n`);

    const plain = await run(dir, false);
    expect(plain.code).toBe(0);
    served = 0;
    const tagged = await run(dir, true);
    expect(tagged.code).toBe(0);

    const total = tagged.report.summary.global.requests;
    expect(total).toBe(served);
    expect(total).toBeGreaterThan(20);
    const [user] = tagged.report.summary.tags;
    expect(user.key).toBe("user");
    expect(user.limit).toBe(20);
    expect(user.folded_values).toBe(DISTINCT - 20);
    // the first 20 values in file order are kept (sequential order takes them first), every other row counts as "other"
    expect(user.values.map((v: { value: string }) => v.value)).toEqual([...rows.slice(0, 20), "other"]);
    expect(user.values.reduce((n: number, v: { requests: number }) => n + v.requests, 0)).toBe(total);
    expect(tagged.report.summary.tag_sets.length).toBe(21);
    // the summary says so even without --summary-by
    expect(tagged.stdout).toContain(`tag ${DISTINCT - 20} more values of user were counted as "other" (max_tag_values: 20)`);

    // bounded: 21 tag sets cost a few histograms, not 10,000 (measured here: see the report for figures)
    console.log(`peak RSS: untagged ${plain.maxRssKb} KB, tagged ${tagged.maxRssKb} KB`);
    expect(tagged.maxRssKb).toBeLessThan(plain.maxRssKb + 64 * 1024);
  }, 120_000);
});
