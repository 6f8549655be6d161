/** @jsxImportSource preact */
// The checks table: each check of each step with its pass rate.
import type { ReportInput } from "../model.ts";
import { count, NONE, percent } from "./format.ts";

/** Every check of every step with its pass rate. Nothing when the plan has no checks. */
export function ChecksTable({ input }: { input: ReportInput }) {
  const rows = input.summary.scenarios.flatMap((sc) => sc.steps.flatMap((st) => (st.checks ?? []).map((c) => ({ where: `${sc.name} / ${st.name}`, ...c }))));
  if (rows.length === 0) return null;
  return (
    <section id="checks">
      <h2>Checks</h2>
      <div class="scroll">
        <table class="stats">
          <thead>
            <tr>
              <th class="text">Scenario / step</th>
              <th class="text">Check</th>
              <th>Passed</th>
              <th>Failed</th>
              <th>Pass rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr class={c.fails > 0 ? "fail" : undefined}>
                <td class="text">{c.where}</td>
                <td class="text">
                  <code>{c.name}</code>
                </td>
                <td>{count(c.passes)}</td>
                <td>{count(c.fails)}</td>
                <td>{c.passes + c.fails > 0 ? percent(c.passes / (c.passes + c.fails)) : NONE}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
