/** @jsxImportSource preact */
// The open-model table: latency from the intended start beside the service time, and the arrivals dropped.
import type { Stats } from "../../metrics/stats.ts";
import type { ReportInput } from "../model.ts";
import { count, ms, NONE } from "./format.ts";

/** Scenarios and steps with an arrival-rate profile: both latencies, and the arrivals dropped. Nothing for a closed-model run. */
export function OpenModelTable({ input }: { input: ReportInput }) {
  const rows = input.summary.scenarios.flatMap((sc) =>
    sc.stats.p95_intended === undefined && sc.stats.dropped_iterations === undefined
      ? []
      : [{ name: sc.name, cls: "scenario", stats: sc.stats }, ...sc.steps.map((st) => ({ name: st.name, cls: "step", stats: st.stats }))],
  );
  if (rows.length === 0) return null;
  return (
    <section id="open-model">
      <h2>Arrival rate: service time and time from the intended start</h2>
      <p class="muted">Service time is measured from the actual send; time from the intended start adds how late the iteration began, so a stall cannot hide.</p>
      <div class="scroll">
        <table class="stats">
          <thead>
            <tr>
              <th class="text">Scenario / step</th>
              <th>p95 service (ms)</th>
              <th>p99 service (ms)</th>
              <th>p95 intended (ms)</th>
              <th>p99 intended (ms)</th>
              <th>max intended (ms)</th>
              <th>Dropped iterations</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr class={r.cls}>
                <th class="text" scope="row">
                  {r.name}
                </th>
                <td>{ms(r.stats.p95)}</td>
                <td>{ms(r.stats.p99)}</td>
                <td>{ms(r.stats.p95_intended ?? NaN)}</td>
                <td>{ms(r.stats.p99_intended ?? NaN)}</td>
                <td>{ms(r.stats.max_intended ?? NaN)}</td>
                <td>{r.cls === "scenario" ? dropped(r.stats) : NONE}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function dropped(s: Stats): string {
  return s.dropped_iterations === undefined ? NONE : count(s.dropped_iterations);
}
