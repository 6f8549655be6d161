// The metric names a PromQL expression reads: enough of PromQL to check a dashboard against a scrape.

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

export function metricNames(expr: string): string[] {
  let e = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'); // string literals
  e = e.replace(/\{[^}]*\}/g, " "); // label matchers
  e = e.replace(/\[[^\]]*\]/g, " "); // range and subquery windows
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " "); // label lists
  e = e.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, " "); // Grafana variables
  e = e.replace(/\boffset\s+-?[0-9a-z]+/gi, " "); // offset 5m
  e = e.replace(/\b\d+(\.\d+)?([eE][+-]?\d+)?\b/g, " "); // numbers
  const names = new Set<string>();
  for (const m of e.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = e.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(rest)) continue; // a function call
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Grafana's label_values(metric, label) / label_values(label) template queries. */
export function templateMetricNames(query: string): string[] {
  const m = /label_values\(\s*([^,)]+?)\s*(?:,\s*[A-Za-z_][A-Za-z0-9_]*\s*)?\)/.exec(query);
  if (!m || !m[0].includes(",")) return [];
  return metricNames(m[1]!);
}
