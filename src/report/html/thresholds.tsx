/** @jsxImportSource preact */
// The threshold table: verdict, actual against expected, when it first failed, and the change from the baseline.
import { findThreshold, type Comparison } from "../compare.ts";
import { thresholdName, type ReportInput } from "../model.ts";
import { DeltaTag } from "./delta.tsx";
import { duration, metricValue, NONE } from "./format.ts";

export function Thresholds({ input, comparison }: { input: ReportInput; comparison: Comparison | undefined }) {
  return (
    <section id="thresholds">
      <h2>Thresholds</h2>
      {input.thresholds.length === 0 ? (
        <p class="muted">The plan sets no thresholds: the verdict follows the run's state.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th />
                <th class="text">Threshold</th>
                <th>Actual</th>
                <th>Expected</th>
                <th>First failed at</th>
                {comparison ? <th>vs baseline</th> : null}
              </tr>
            </thead>
            <tbody>
              {input.thresholds.map((r) => {
                const t = r.threshold;
                const fmt = (n: number) => metricValue(t.metric, n);
                return (
                  <tr class={r.passed ? "pass" : "fail"}>
                    <td class="mark" aria-label={r.passed ? "passed" : "failed"}>
                      {r.passed ? "\u2713" : "\u2717"}
                    </td>
                    <td class="text">
                      <code>{thresholdName(r)}</code>
                      {t.abort_on_fail ? <span class="muted"> (abort on fail)</span> : null}
                    </td>
                    <td>{fmt(r.actual)}</td>
                    <td>
                      {t.condition} {fmt(t.value)}
                    </td>
                    <td>{r.firstFailedAtMs === undefined ? NONE : duration(r.firstFailedAtMs)}</td>
                    {comparison ? (
                      <td>
                        <DeltaTag delta={findThreshold(comparison, thresholdName(r))?.delta} format={fmt} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
