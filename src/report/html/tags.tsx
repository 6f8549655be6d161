/** @jsxImportSource preact */
// Tag tables: one per tag key, a row per value (over every scenario and step), and what was folded into "other".
import type { ReportInput } from "../model.ts";
import { count } from "./format.ts";
import { StatsHead, StatsRow } from "./tables.tsx";

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
            <StatsHead first={t.key} />
            <tbody>
              {t.values.map((v) => (
                <StatsRow name={v.value} stats={v.stats} cls="step" row={undefined} />
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
