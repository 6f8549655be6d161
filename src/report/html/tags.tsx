/** @jsxImportSource preact */
// Tag tables: one per tag key, a row per value (over every scenario and step), and what was folded into "other".
import { formatErrorsByClass } from "../text/summary.ts";
import type { ReportInput } from "../model.ts";
import { count, ms, NONE, percent, rate } from "./format.ts";

const LATENCY_COLUMNS = ["p50", "p90", "p95", "p99", "max"] as const;

export function TagTables({ input }: { input: ReportInput }) {
  const tags = input.summary.tags ?? [];
  if (tags.length === 0) return null;
  return (
    <section id="tags">
      <h2>By tag</h2>
      {tags.map((t) => (
        <div class="scroll" id={`tag-${t.key}`}>
          <table class="stats">
            <caption>{t.key}</caption>
            <thead>
              <tr>
                <th class="text">{t.key}</th>
                <th>Requests</th>
                <th>RPS</th>
                {LATENCY_COLUMNS.map((c) => (
                  <th>{c} (ms)</th>
                ))}
                <th>Errors</th>
                <th class="text">Error classes</th>
              </tr>
            </thead>
            <tbody>
              {t.values.map((v) => (
                <tr class="step">
                  <th class="text" scope="row">
                    {v.value}
                  </th>
                  <td>{count(v.stats.requests)}</td>
                  <td>{rate(v.stats.rps)}</td>
                  {LATENCY_COLUMNS.map((c) => (
                    <td>{ms(v.stats[c])}</td>
                  ))}
                  <td>{`${count(v.stats.errors)} (${percent(v.stats.error_ratio)})`}</td>
                  <td class="text classes">{formatErrorsByClass(v.stats.errorsByClass) || NONE}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {t.folded > 0 ? (
            <p class="muted">
              {`${count(t.folded)} more values of ${t.key} were counted as "other" (max_tag_values: ${t.limit}).`}
            </p>
          ) : null}
        </div>
      ))}
    </section>
  );
}
