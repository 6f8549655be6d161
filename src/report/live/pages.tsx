/** @jsxImportSource preact */
// The dashboard's pages: a run (live, then its report, drawn by the report's own components) and the controller's list of runs and agents.
import type { ComponentChildren } from "preact";
import { duration, NONE, timestamp } from "../html/format.ts";
import { ReportBody, reportTitle } from "../html/report.tsx";
import { STYLES } from "../html/styles.ts";
import type { LiveView } from "./live-run.ts";

/** What the page may do: its buttons, and where it posts them. */
export interface Controls {
  stop: boolean;
  abort: boolean;
}

const LIVE_STYLES = `
.livebar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 8px 12px; margin: -16px -16px 12px; background: #1d232b; color: #fff; }
.livebar a { color: #cfe3ff; }
.livebar .spacer { flex: 1; }
.livebar button { font: inherit; font-weight: 600; padding: 4px 14px; border-radius: 6px; border: 1px solid #fff; background: transparent; color: #fff; cursor: pointer; }
.livebar button.abort { border-color: #ff8a80; color: #ff8a80; }
.livebar button:disabled { opacity: .5; cursor: default; }
.livebar .dot { width: 9px; height: 9px; border-radius: 50%; background: #59a14f; display: inline-block; margin-right: 6px; }
.livebar.ended .dot { background: #bab0ac; }
.livebar.offline .dot { background: #e15759; }
.runs td.links a { margin-right: 8px; }
`;

/** Only our own script and our own event stream: everything else is refused by the browser too (the server adds frame-ancestors in the header). */
export const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

function Document({ title, children, generator }: { title: string; children: ComponentChildren; generator: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={generator} />
        <meta http-equiv="Content-Security-Policy" content={CSP} />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES + LIVE_STYLES }} />
        <script src="/app.js" defer />
      </head>
      <body>
        {children}
        <footer>{generator} · all times UTC · latencies in milliseconds</footer>
      </body>
    </html>
  );
}

/** The body the page swaps in every second: the report's own sections. */
export function RunBody({ view }: { view: LiveView }) {
  return <ReportBody input={view.input} series={view.series} comparison={undefined} live={view.live} tags={view.tags} />;
}

export function RunPage({ view, controls, generator, home }: { view: LiveView; controls: Controls; generator: string; home: boolean }) {
  const id = view.input.runId;
  const live = view.live !== undefined;
  return (
    <Document title={reportTitle(view.input, live)} generator={generator}>
      <div class={`livebar${live ? "" : " ended"}`} id="livebar" data-run={id} data-live={live ? "1" : "0"}>
        {home ? <a href="/">All runs</a> : null}
        <span id="status">
          <span class="dot" />
          {live ? "live, every second" : "run ended: this is its report"}
        </span>
        <span class="spacer" />
        <span id="downloads" hidden={live}>
          <a href={`/runs/${id}/report.html`}>HTML</a> · <a href={`/runs/${id}/report.json`}>JSON</a> · <a href={`/runs/${id}/junit.xml`}>JUnit</a>
        </span>
        {live && controls.stop ? (
          <button type="button" id="stop" data-action="stop" data-confirm="Stop this run? Its VUs stop and it ends as aborted.">
            Stop
          </button>
        ) : null}
        {live && controls.abort ? (
          <button type="button" id="abort" class="abort" data-action="abort" data-confirm="Abort this run at once?">
            Abort
          </button>
        ) : null}
      </div>
      <main id="live">
        <RunBody view={view} />
      </main>
    </Document>
  );
}

export interface RunRow {
  id: string;
  planName: string;
  state: string;
  passed: boolean | undefined;
  startedAt: Date;
  durationMs: number;
}

export interface AgentRow {
  id: string;
  address: string;
  state: string;
  runId: string;
  vus: number;
  error: string;
}

export function HomeBody({ runs, agents }: { runs: RunRow[]; agents: AgentRow[] }) {
  return (
    <>
      <header class="head">
        <div class="title-row">
          <h1>indus controller</h1>
        </div>
      </header>
      <section id="runs">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p class="muted">No runs yet: submit one with indus run plan.yaml --controller=HOST:PORT.</p>
        ) : (
          <div class="scroll">
            <table class="stats runs">
              <thead>
                <tr>
                  <th class="text">Run</th>
                  <th class="text">Plan</th>
                  <th class="text">State</th>
                  <th class="text">Verdict</th>
                  <th class="text">Started</th>
                  <th>Duration</th>
                  <th class="text">Report</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr data-run={r.id} class={r.passed === false ? "fail" : undefined}>
                    <th class="text" scope="row">
                      <a href={`/runs/${r.id}`}>
                        <code>{r.id}</code>
                      </a>
                    </th>
                    <td class="text">{r.planName}</td>
                    <td class="text">
                      <span class={`badge state-${r.state}`}>{r.state}</span>
                    </td>
                    <td class="text">{r.passed === undefined ? NONE : r.passed ? "passed" : "failed"}</td>
                    <td class="text">{timestamp(r.startedAt)}</td>
                    <td>{duration(r.durationMs)}</td>
                    <td class="text links">
                      <a href={`/runs/${r.id}/report.html`}>HTML</a>
                      <a href={`/runs/${r.id}/report.json`}>JSON</a>
                      <a href={`/runs/${r.id}/junit.xml`}>JUnit</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section id="agents">
        <h2>Agents</h2>
        {agents.length === 0 ? (
          <p class="muted">No agents known.</p>
        ) : (
          <div class="scroll">
            <table class="stats">
              <thead>
                <tr>
                  <th class="text">Agent</th>
                  <th class="text">Address</th>
                  <th class="text">State</th>
                  <th class="text">Run</th>
                  <th>VUs</th>
                </tr>
              </thead>
              <tbody>
                {agents.map((a) => (
                  <tr data-agent={a.id} class={a.state === "unreachable" ? "fail" : undefined}>
                    <th class="text" scope="row">
                      {a.id}
                    </th>
                    <td class="text">
                      <code>{a.address}</code>
                    </td>
                    <td class="text">
                      {a.state}
                      {a.error ? <span class="warn"> ({a.error})</span> : null}
                    </td>
                    <td class="text">{a.runId ? <a href={`/runs/${a.runId}`}>{a.runId}</a> : NONE}</td>
                    <td>{a.vus}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function HomePage({ runs, agents, generator }: { runs: RunRow[]; agents: AgentRow[]; generator: string }) {
  return (
    <Document title="indus controller" generator={generator}>
      <div class="livebar" id="livebar" data-home="1">
        <span id="status">
          <span class="dot" />
          runs and agents, every few seconds
        </span>
      </div>
      <main id="live">
        <HomeBody runs={runs} agents={agents} />
      </main>
    </Document>
  );
}
