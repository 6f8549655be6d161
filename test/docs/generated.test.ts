// The docs generated from code (scripts/gen-docs.ts) are current, complete, and where they belong.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commandDefinitions } from "../../src/cli/index.ts";
import { planJsonSchema, THRESHOLD_METRICS } from "../../src/plan/index.ts";
import { PROFILE_TYPES } from "../../src/plan/schema.ts";
import { generateDocs, readmeRegions } from "../../scripts/docs/index.ts";
import type { SchemaNode } from "../../scripts/docs/json-schema-walk.ts";
import { PANEL_TYPES, profilePanels } from "../../scripts/docs/load-profiles.ts";
import { PLAN_KEYS } from "../../scripts/docs/plan-keys.ts";
import { keyId, planKeys } from "../../scripts/docs/plan-reference.ts";
import { readRegion } from "../../scripts/docs/regions.ts";
import { ROOT } from "../helpers.ts";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const REGIONS = await readmeRegions(ROOT);
const GENERATED = await generateDocs(ROOT);

describe("generated docs", () => {
  test.each(GENERATED.map((g) => [g.file, g.content] as const))("%s is current (else: npm run docs)", (file, content) => {
    const current = readFileSync(join(ROOT, file), "utf8");
    if (current !== content) {
      // name the stale region, not just the file
      const stale = Object.keys(REGIONS).filter((name) => readRegion(current, name)?.trim() !== readRegion(content, name)?.trim());
      throw new Error(`${file} is stale${stale.length ? ` (regions: ${stale.join(", ")})` : ""}: run npm run docs`);
    }
  });

  test("README.md has each generated region once, and the performance markers", () => {
    for (const name of [...Object.keys(REGIONS), "perf"]) {
      expect(README.split(`<!-- ${name}:begin -->`).length).toBe(2);
      expect(README.split(`<!-- ${name}:end -->`).length).toBe(2);
    }
    expect(README.indexOf("## Performance")).toBeLessThan(README.indexOf("<!-- perf:begin -->"));
  });

  test("every plan key has a description (in scripts/docs/plan-keys.ts, or .meta({ description }) in the schema)", () => {
    const undocumented = planKeys(planJsonSchema() as SchemaNode)
      .filter((k) => !PLAN_KEYS[k.id] && !PLAN_KEYS[k.fallbackId] && !k.section.node.properties?.[k.key]?.description)
      .map((k) => k.id);
    expect(undocumented).toEqual([]);
  });

  test("every description in scripts/docs/plan-keys.ts is of a key or section the schema has", () => {
    const keys = planKeys(planJsonSchema() as SchemaNode);
    const known = new Set([
      "",
      ...keys.flatMap((k) => [k.id, k.fallbackId]),
      ...keys.flatMap((k) => [keyId(k.section.path, undefined, k.section.variant), keyId(k.section.path, undefined)]),
    ]);
    expect(Object.keys(PLAN_KEYS).filter((id) => !known.has(id))).toEqual([]);
  });

  test("the plan reference names every key of the schema", () => {
    const region = REGIONS["plan-reference"]!;
    for (const k of planKeys(planJsonSchema() as SchemaNode)) expect(region).toContain(`| \`${k.key}\` |`);
  });

  test("the CLI reference names every subcommand and flag, with its default", async () => {
    const region = REGIONS["cli-reference"]!;
    for (const { name, def } of await commandDefinitions()) {
      expect(region).toContain(`#### \`indus ${name}\``);
      for (const [flag, arg] of Object.entries(def.args ?? {})) {
        if (arg.type === "positional") continue;
        expect(region).toContain(`--${flag}`);
        if ("default" in arg && typeof arg.default === "string") expect(region).toContain(`\`${arg.default}\``);
      }
    }
  });

  test("the threshold metric table has every metric, and the README names every profile type", () => {
    for (const m of THRESHOLD_METRICS) expect(REGIONS["threshold-metrics"]).toContain(`| \`${m}\` |`);
    const prose = Object.keys(REGIONS).reduce((text, name) => text.replace(readRegion(text, name) ?? "", ""), README);
    for (const type of PROFILE_TYPES) expect(prose).toContain(type);
  });

  test("load-profiles.svg draws each VU profile from a real plan, with indus's schedule", () => {
    const panels = profilePanels(ROOT);
    expect(panels.map((p) => p.type)).toEqual([...PANEL_TYPES]);
    for (const p of panels) {
      expect(p.vus.length).toBe(Math.ceil(p.scenario.duration / 1000));
      expect(p.scenario.profile.type).toBe(p.type as (typeof PANEL_TYPES)[number]);
    }
    const step = panels.find((p) => p.type === "step")!;
    expect([step.vus[0], step.vus[30], step.vus[60], step.vus[90]]).toEqual([10, 30, 50, 70]);
  });

  test("package.json runs the generator as npm run docs", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.docs).toBe("bun scripts/gen-docs.ts");
  });
});
