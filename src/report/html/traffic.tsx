/** @jsxImportSource preact */
// Bytes on the wire and, for steps with `compression`, once decoded; then each kind of failure the run met (TLS problems, decoding errors), counted.
import type { Stats } from "../../metrics/stats.ts";
import type { ReportInput } from "../model.ts";
import { count } from "./format.ts";

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
}

/** Every scope's bytes: all scenarios, then each step that decoded bodies (only those: the rest would repeat the wire figures). */
export function TrafficTable({ input }: { input: ReportInput }) {
  const { summary } = input;
  const decoding = summary.global.bytesDecoded !== undefined && summary.global.bytesDecoded > 0;
  const rows: { name: string; cls: string; stats: Stats }[] = [{ name: "all scenarios", cls: "total", stats: summary.global }];
  if (decoding) for (const sc of summary.scenarios) for (const st of sc.steps) if (st.stats.bytesDecoded) rows.push({ name: `${sc.name} / ${st.name}`, cls: "step", stats: st.stats });
  return (
    <section id="traffic">
      <h2>Bytes</h2>
      <div class="scroll">
        <table class="stats">
          <thead>
            <tr>
              <th class="text">Scope</th>
              <th>Received (wire)</th>
              <th>Sent</th>
              {decoding ? <th>Decoded bodies</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr class={r.cls} data-scope={r.name}>
                <th class="text" scope="row">
                  {r.name}
                </th>
                <td>{megabytes(r.stats.bytesIn)}</td>
                <td>{megabytes(r.stats.bytesOut)}</td>
                {decoding ? <td class="decoded">{megabytes(r.stats.bytesDecoded ?? 0)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {decoding ? <p class="muted">Received counts what crossed the wire; decoded, the bodies of compressed responses once decompressed (what checks and extraction read).</p> : null}
    </section>
  );
}

/** Each kind of failure once, run-wide, most frequent first: the first of a kind names the problem (`tls: certificate has expired`). */
export function ErrorKindsTable({ input }: { input: ReportInput }) {
  const kinds = Object.entries(input.summary.global.errorKinds ?? {}).sort((a, b) => b[1] - a[1]);
  if (kinds.length === 0) return null;
  return (
    <section id="error-kinds">
      <h2>Error kinds</h2>
      <div class="scroll">
        <table class="stats">
          <thead>
            <tr>
              <th class="text">Class: kind</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map(([kind, n]) => (
              <tr data-kind={kind}>
                <td class="text">{kind}</td>
                <td>{count(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Each distinct exception a scenario's script threw, where and on which agent (absent when there were none). */
export function ScriptErrorsTable({ input }: { input: ReportInput }) {
  const errors = input.scriptErrors ?? [];
  if (errors.length === 0) return null;
  return (
    <section id="script-errors">
      <h2>Script errors</h2>
      <div class="scroll">
        <table class="stats">
          <thead>
            <tr>
              <th class="text">Scenario / step</th>
              <th class="text">Error</th>
              <th class="text">Where</th>
              <th class="text">Agent</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((e) => (
              <tr data-script-error={e.message}>
                <td class="text">
                  {e.scenario} / {e.step}
                </td>
                <td class="text">{e.message}</td>
                <td class="text">{e.frame ?? ""}</td>
                <td class="text">{e.agent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
