// The JUnit report: well-formed XML (checked by a strict little parser), the right counts, escaping, and edge runs.
import { describe, expect, test } from "bun:test";
import { renderJunitReport } from "../../src/report/junit/index.ts";
import { reportInputFromResult, thresholdName, type ReportInput } from "../../src/report/model.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict, minimal XML 1.0 parser: one root, matched tags, quoted unique attributes, known entities only. */
function parseXml(src: string): XmlElement {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`XML: ${why} at ${pos}: ${JSON.stringify(src.slice(pos, pos + 40))}`);
  };
  const NAME = /[A-Za-z_][\w.-]*/y;
  const name = () => {
    NAME.lastIndex = pos;
    const m = NAME.exec(src) ?? fail("expected a name");
    pos = NAME.lastIndex;
    return m[0];
  };
  const space = () => {
    while (/\s/.test(src[pos] ?? "")) pos++;
  };
  const decode = (raw: string) => {
    if (/[<]/.test(raw)) fail("raw < in text or attribute");
    return raw.replace(/&([^;]*);?/g, (m, ent: string) => {
      if (!m.endsWith(";")) fail("unterminated entity");
      const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
      if (ent in named) return named[ent]!;
      if (/^#\d+$/.test(ent)) return String.fromCodePoint(Number(ent.slice(1)));
      if (/^#x[\da-fA-F]+$/.test(ent)) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      return fail(`unknown entity &${ent};`);
    });
  };
  const element = (): XmlElement => {
    if (src[pos] !== "<") fail("expected <");
    pos++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    for (;;) {
      space();
      if (src.startsWith("/>", pos)) {
        pos += 2;
        return el;
      }
      if (src[pos] === ">") {
        pos++;
        break;
      }
      const key = name();
      if (key in el.attrs) fail(`duplicate attribute ${key}`);
      space();
      if (src[pos++] !== "=") fail("expected =");
      space();
      const quote = src[pos++] ?? "";
      if (quote !== '"' && quote !== "'") fail("unquoted attribute");
      const end = src.indexOf(quote, pos);
      if (end < 0) fail("unterminated attribute");
      el.attrs[key] = decode(src.slice(pos, end));
      pos = end + 1;
    }
    for (;;) {
      const next = src.indexOf("<", pos);
      if (next < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(src.slice(pos, next));
      pos = next;
      if (src.startsWith("</", pos)) {
        pos += 2;
        if (name() !== el.name) fail(`mismatched </…> for <${el.name}>`);
        space();
        if (src[pos++] !== ">") fail("expected >");
        return el;
      }
      el.children.push(element());
    }
  };
  if (src.startsWith("<?xml")) pos = src.indexOf("?>") + 2;
  space();
  const root = element();
  space();
  if (pos !== src.length) fail("content after the root element");
  return root;
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe("JUnit report", () => {
  const run = syntheticRun({ seconds: 20, scenarios: 2, steps: 1 });
  const input = reportInputFromResult(run.result, run.plan);

  test("the parser is strict", () => {
    expect(() => parseXml("<a><b></a>")).toThrow();
    expect(() => parseXml('<a x="1 < 2"/>')).toThrow();
    expect(() => parseXml("<a>fish & chips</a>")).toThrow();
    expect(() => parseXml("<a/><b/>")).toThrow();
    expect(parseXml('<a x="&lt;&#10;"/>').attrs.x).toBe("<\n");
  });

  test("is well-formed, one testcase per threshold, failures counted", () => {
    const root = parseXml(renderJunitReport(input));
    expect(root.name).toBe("testsuites");
    const suite = root.children[0]!;
    expect(suite.name).toBe("testsuite");
    expect(suite.attrs).toMatchObject({ name: "indus: synthetic-<shop> & co", tests: "4", failures: "1", errors: "0", time: "20.000" });
    expect(root.attrs).toMatchObject({ tests: "4", failures: "1" });
    const cases = all(root, "testcase");
    expect(cases.map((c) => c.attrs.name)).toEqual(run.result.thresholds.map(thresholdName));
    expect(cases.every((c) => c.attrs.classname === "indus.thresholds")).toBe(true);
    const failed = cases.filter((c) => c.children.some((f) => f.name === "failure"));
    expect(failed.map((c) => c.attrs.name)).toEqual(["p99 < 250 [checkout]"]);
    const failure = failed[0]!.children[0]!;
    expect(failure.attrs.message).toMatch(/^actual \d+(\.\d+)? ms, expected < 250$/);
    expect(failure.text).toContain("first failed at 8s");
    const out = all(root, "system-out")[0]!.text;
    expect(out).toContain("run 5eed0001");
    expect(out).toMatch(/requests \d+, rps [\d.]+, p50 [\d.]+ms, p95 [\d.]+ms/);
    const props = Object.fromEntries(all(root, "property").map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ run_id: "5eed0001", state: run.result.state });
  });

  test("escapes what XML cannot hold raw, and drops what it cannot hold at all", () => {
    const nasty: ReportInput = {
      ...input,
      planName: `a "quoted" <plan> & 'more'\u0001\u0008 \ud800 ✓`,
      reason: "line1\nline2 <&>",
      state: "aborted",
      thresholds: [{ ...input.thresholds[0]!, threshold: { ...input.thresholds[0]!.threshold, value: 500, scenario: "x&y" }, label: "p95 < 500", passed: false, actual: 612.3 }],
    };
    const xml = renderJunitReport(nasty);
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
    const root = parseXml(xml);
    expect(root.children[0]!.attrs.name).toBe(`indus: a "quoted" <plan> & 'more'  ✓`);
    const cases = all(root, "testcase");
    expect(cases[0]!.attrs.name).toBe("p95 < 500 [x&y]");
    expect(cases[0]!.children[0]!.attrs.message).toBe("actual 612.3 ms, expected < 500");
    const props = Object.fromEntries(all(root, "property").map((p) => [p.attrs.name, p.attrs.value]));
    expect(props.reason).toBe("line1\nline2 <&>");
  });

  test("a run without thresholds is one testcase, passing when it completed", () => {
    const ok = parseXml(renderJunitReport({ ...input, thresholds: [], state: "completed", passed: true }));
    expect(all(ok, "testcase").map((c) => [c.attrs.name, c.children.length])).toEqual([["run completed", 0]]);
    expect(ok.attrs).toMatchObject({ tests: "1", failures: "0" });
    const bad = parseXml(renderJunitReport({ ...input, thresholds: [], state: "aborted", reason: "interrupted (Ctrl-C)", passed: false }));
    expect(bad.attrs).toMatchObject({ tests: "1", failures: "1" });
    expect(all(bad, "failure")[0]!.attrs.message).toBe("run aborted: interrupted (Ctrl-C)");
  });

  test("a run that ended early fails a 'run completed' testcase even when its thresholds passed", () => {
    const passing = input.thresholds.map((t) => ({ ...t, passed: true }));
    const root = parseXml(renderJunitReport({ ...input, thresholds: passing, state: "failed", reason: "agent agent-2 lost", passed: false }));
    expect(root.attrs).toMatchObject({ tests: "5", failures: "1" });
    expect(all(root, "failure")[0]!.attrs.message).toBe("run failed: agent agent-2 lost");
  });

  test("a failing threshold with no samples says so", () => {
    const xml = renderJunitReport({ ...input, thresholds: [{ ...input.thresholds[0]!, actual: NaN, passed: false }] });
    expect(all(parseXml(xml), "failure")[0]!.attrs.message).toBe("actual: no samples, expected < 400");
  });
});
