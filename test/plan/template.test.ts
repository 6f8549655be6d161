// Templates and JSON paths as the plan writes them: parsed once into parts, every mistake named.
import { describe, expect, test } from "bun:test";
import { parseJsonPath, readJsonPath } from "../../src/plan/json-path.ts";
import { parseTemplate, templateNames } from "../../src/plan/template.ts";

describe("parseTemplate", () => {
  test.each([
    ["no template", "plain text", [{ kind: "literal", text: "plain text" }]],
    ["a variable", "Bearer {{token}}", [{ kind: "literal", text: "Bearer " }, { kind: "variable", name: "token" }]],
    ["spaces inside", "{{ token }}", [{ kind: "variable", name: "token" }]],
    ["env", "{{env.BASE_URL}}/x", [{ kind: "env", name: "BASE_URL" }, { kind: "literal", text: "/x" }]],
    ["built-ins", "{{vu}}-{{iteration}}-{{scenario}}", [
      { kind: "builtin", name: "vu" }, { kind: "literal", text: "-" }, { kind: "builtin", name: "iteration" },
      { kind: "literal", text: "-" }, { kind: "builtin", name: "scenario" },
    ]],
    ["uuid and timestamp", "{{uuid}}{{timestamp}}", [{ kind: "builtin", name: "uuid" }, { kind: "builtin", name: "timestamp" }]],
    ["random_int", "{{random_int(1, 6)}}", [{ kind: "random_int", min: 1, max: 6 }]],
    ["negative bounds", "{{random_int(-5,-1)}}", [{ kind: "random_int", min: -5, max: -1 }]],
  ] as const)("%s", (_, text, parts) => {
    expect(parseTemplate(text)).toEqual({ ok: true, parts: parts as never });
  });

  test.each([
    ["never closed", "Bearer {{token", '"{{" at character 8 is never closed with "}}"'],
    ["empty", "{{}}", "empty {{}}: write a variable name inside, e.g. {{token}}"],
    ["bounds reversed", "{{random_int(6, 1)}}", "{{random_int(6, 1)}}: the first bound must not exceed the second"],
    ["random_int without numbers", "{{random_int(a, b)}}", "{{random_int(a, b)}}: write random_int(a, b) with two whole numbers"],
    ["not a name", "{{user-name}}", "{{user-name}} is not a variable name, env.NAME, vu, iteration, scenario, uuid, timestamp or random_int(a, b)"],
  ])("%s is refused", (_, text, message) => {
    expect(parseTemplate(text)).toEqual({ ok: false, message });
  });

  test("templateNames lists variables and env names", () => {
    const parsed = parseTemplate("{{a}}{{env.B}}{{vu}}{{c}}");
    if (!parsed.ok) throw new Error(parsed.message);
    expect(templateNames(parsed.parts)).toEqual({ variables: ["a", "c"], env: ["B"] });
  });
});

describe("JSON paths", () => {
  const doc = { token: "t", data: { items: [{ id: 7 }, { id: 8, "content-type": "x" }] }, list: [[1, 2]], nothing: null };

  test.each([
    ["token", "t"],
    ["data.items[0].id", 7],
    ["data.items[1].content-type", "x"],
    ["list[0][1]", 2],
    ["nothing", null],
    ["data.items[5].id", undefined],
    ["token.length", undefined],
    ["data.items.id", undefined],
    ["missing.deep", undefined],
  ] as const)("%s → %j", (path, expected) => {
    const parsed = parseJsonPath(path);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(readJsonPath(doc, parsed.steps)).toEqual(expected);
  });

  test("a root array is indexed first", () => {
    const parsed = parseJsonPath("[1].name");
    expect(parsed).toEqual({ ok: true, steps: [1, "name"] });
    if (parsed.ok) expect(readJsonPath([{ name: "a" }, { name: "b" }], parsed.steps)).toBe("b");
  });

  test.each([
    ["", "an empty JSON path: write e.g. data.items[0].id"],
    ["a..b", '"a..b": a key is missing before "." at character 3'],
    ["a.", '"a." ends with "."'],
    ["a[x]", '"a[x]": [ must hold an index such as [0]'],
    ["a[0]b", '"a[0]b": expected "." or "[" at character 5'],
    [".a", '".a": a key is missing before "." at character 1'],
  ])("%j is refused", (path, message) => {
    expect(parseJsonPath(path)).toEqual({ ok: false, message });
  });
});
