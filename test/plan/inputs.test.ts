// Data files and env values a plan needs: CSV and JSON rows, errors naming the file and line, the size limit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IndusError, PlanError } from "../../src/core/errors.ts";
import { parseCsv } from "../../src/plan/csv.ts";
import { attachPlanInputs, collectPlanInputs, MAX_DATA_BYTES, parsePlan } from "../../src/plan/index.ts";
import { parseJsonRows } from "../../src/plan/json-rows.ts";

describe("CSV", () => {
  test.each([
    ["plain", "a,b\n1,2\n3,4\n", ["a", "b"], [["1", "2"], ["3", "4"]]],
    ["CRLF, no final newline", "a,b\r\n1,2\r\n3,4", ["a", "b"], [["1", "2"], ["3", "4"]]],
    ["quotes, commas and newlines inside", 'a,b\n"x, y","say ""hi""\nthere"\n', ["a", "b"], [["x, y", 'say "hi"\nthere']]],
    ["empty fields", "a,b,c\n,,\n1,,3\n", ["a", "b", "c"], [["", "", ""], ["1", "", "3"]]],
    ["blank lines skipped, BOM dropped", "\ufeffa\n1\n\n2\n\n", ["a"], [["1"], ["2"]]],
    ["header names trimmed", " a , b\n1,2\n", ["a", "b"], [["1", "2"]]],
  ])("%s", (_, text, columns, rows) => {
    expect(parseCsv(text)).toEqual({ ok: true, columns, rows });
  });

  test.each([
    ["empty", "", 1, "the file is empty: it needs a header row of column names"],
    ["a row too short", "a,b\n1,2\n3\n", 3, "the row has 1 field(s) but the header names 2"],
    ["a quote never closed", 'a\n"open\n', 2, "a quoted field is never closed"],
    ["text after a closing quote", 'a\n"x"y\n', 2, 'text after a closing quote (write "" for a quote inside a quoted field)'],
    ["a column that is no variable name", "user name,b\n1,2\n", 1, 'column 1 is named "user name": a column name is a variable name (letters, digits, _)'],
    ["a column twice", "a,a\n1,2\n", 1, 'column "a" appears twice'],
  ])("%s: line %#", (_, text, line, message) => {
    expect(parseCsv(text)).toMatchObject({ ok: false, line, message });
  });
});

describe("JSON rows", () => {
  test("an array of objects: columns in first-seen order, values as text, missing ones empty", () => {
    expect(parseJsonRows('[{"user": "ada", "id": 1}, {"user": "alan", "admin": true, "tags": ["x"], "id": null}]')).toEqual({
      ok: true,
      columns: ["user", "id", "admin", "tags"],
      rows: [["ada", "1", "", ""], ["alan", "", "true", '["x"]']],
    });
  });

  test.each([
    ["not JSON", '[\n  {"a": 1},\n  {"a": }\n]', 3],
    ["not an array", '{"a": 1}', 1],
    ["a row that is no object", '[\n  {"a": 1},\n  7\n]', 3],
  ])("%s: the line is named", (_, text, line) => {
    expect(parseJsonRows(text)).toMatchObject({ ok: false, line });
  });
});

describe("plan inputs", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "indus-inputs-"));
    writeFileSync(join(dir, "users.csv"), "username,password\nada,1\nalan,2\n");
    writeFileSync(join(dir, "broken.csv"), "username,password\nada,1\nalan\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const yamlWith = (data: string, step = "      - { name: login, url: 'http://localhost:8080/{{username}}', headers: { X-Team: '{{env.TEAM}}' } }") => `name: t
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 1 }
    data: ${data}
    steps:
${step}
`;

  async function problems(yaml: string, env: Record<string, string> = { TEAM: "blue" }): Promise<unknown> {
    const planFile = join(dir, "plan.yaml");
    try {
      const plan = parsePlan(yaml, planFile);
      attachPlanInputs(plan, await collectPlanInputs(plan, { planFile, planYaml: yaml }, env), { planFile, planYaml: yaml });
    } catch (e) {
      if (e instanceof PlanError) return e.problems.map((p) => `${p.file.replace(dir, "DIR")}:${p.line}:${p.path}: ${p.message}`);
      throw e;
    }
    return [];
  }

  test("rows and env values travel inside the plan; the file is read relative to the plan", async () => {
    const yaml = yamlWith("{ file: users.csv }");
    const planFile = join(dir, "plan.yaml");
    const plan = parsePlan(yaml, planFile);
    const inputs = await collectPlanInputs(plan, { planFile, planYaml: yaml }, { TEAM: "blue", OTHER: "x" });
    expect(Object.keys(inputs.files)).toEqual(["users.csv"]);
    expect(inputs.env).toEqual({ TEAM: "blue" });
    const shipped = attachPlanInputs(plan, inputs, { planFile });
    expect(shipped.scenarios[0]!.data).toEqual({ file: "users.csv", format: "csv", order: "sequential", columns: ["username", "password"], rows: [["ada", "1"], ["alan", "2"]] });
    expect(shipped.env).toEqual({ TEAM: "blue" });
    // the plan itself is left as written (the run store keeps it)
    expect(plan.scenarios[0]!.data?.rows).toBeUndefined();
  });

  test("a missing file names the file, and the line and path in the plan", async () => {
    expect(await problems(yamlWith("{ file: nope.csv }"))).toEqual([
      `DIR/plan.yaml:6:scenarios.s.data.file: cannot read the data file ${dir}/nope.csv: no such file`,
    ]);
  });

  test("a broken row names the data file and its line", async () => {
    expect(await problems(yamlWith("{ file: broken.csv }"))).toEqual(["DIR/broken.csv:3:: the row has 1 field(s) but the header names 2"]);
  });

  test("an env var that is not set is named where the template uses it", async () => {
    expect(await problems(yamlWith("{ file: users.csv }"), {})).toEqual([
      "DIR/plan.yaml:8:scenarios.s.steps[0].headers.X-Team: {{env.TEAM}}: the environment variable TEAM is not set",
    ]);
  });

  test("with a data file, a template's names must be its columns or extracted", async () => {
    const yaml = yamlWith("{ file: users.csv }", "      - { name: login, url: 'http://localhost:8080/{{usernme}}' }");
    expect(await problems(yaml)).toEqual([
      'DIR/plan.yaml:8:scenarios.s.steps[0].url: no variable {{usernme}}: not a column of the data file, and no step extracts it (did you mean "username"?)',
    ]);
  });

  test(`data files above ${MAX_DATA_BYTES / 1024 / 1024} MB are refused with exit code 2`, async () => {
    const big = join(dir, "big.csv");
    writeFileSync(big, "username\n" + "x".repeat(MAX_DATA_BYTES) + "\n");
    const yaml = yamlWith("{ file: big.csv }");
    const planFile = join(dir, "plan.yaml");
    const error = await collectPlanInputs(parsePlan(yaml, planFile), { planFile, planYaml: yaml }, { TEAM: "b" }).catch((e) => e);
    expect(error).toBeInstanceOf(IndusError);
    expect(error).toMatchObject({ code: "data_too_large", exitCode: 2 });
    expect((error as Error).message).toContain("more than the 10.0 MB a plan may carry to its agents");
  });
});
