// The dashboard's only script (bundled by Bun into the binary): swaps in each second's server-rendered body, posts Stop/Abort.
// It talks to its own origin only: the page's CSP allows nothing else.

const bar = document.getElementById("livebar");
const main = document.getElementById("live");
const statusLine = document.getElementById("status");

function setStatus(text: string, cls: "" | "ended" | "offline"): void {
  if (!bar || !statusLine) return;
  bar.classList.remove("ended", "offline");
  if (cls) bar.classList.add(cls);
  statusLine.innerHTML = `<span class="dot"></span>`;
  statusLine.append(text);
}

function ended(): void {
  setStatus("run ended: this is its report", "ended");
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-action]"))) b.remove();
  const downloads = document.getElementById("downloads");
  if (downloads) downloads.hidden = false;
}

function watchRun(runId: string): void {
  const events = new EventSource(`/runs/${encodeURIComponent(runId)}/events`);
  events.addEventListener("update", (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as { html: string; live: boolean; title: string };
    if (main) main.innerHTML = data.html;
    document.title = data.title;
    if (!data.live) {
      events.close();
      ended();
    } else if (bar?.classList.contains("offline")) {
      setStatus("live, every second", "");
    }
  });
  events.addEventListener("error", () => {
    if (events.readyState !== EventSource.CLOSED) setStatus("connection lost, retrying…", "offline");
  });
}

/** Two clicks: the first arms the button for a few seconds, the second posts. */
function wireControls(runId: string): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-action]"))) {
    const label = button.textContent ?? "";
    let armed: ReturnType<typeof setTimeout> | undefined;
    button.addEventListener("click", async () => {
      if (armed === undefined) {
        button.textContent = `Confirm ${label.toLowerCase()}`;
        button.title = button.dataset.confirm ?? "";
        armed = setTimeout(() => {
          armed = undefined;
          button.textContent = label;
        }, 5000);
        return;
      }
      clearTimeout(armed);
      armed = undefined;
      button.disabled = true;
      const res = await fetch(`/runs/${encodeURIComponent(runId)}/${button.dataset.action}`, {
        method: "POST",
        credentials: "same-origin",
        // a custom header: a cross-site form cannot send it, and a cross-site fetch would need a preflight we never grant
        headers: { "X-Indus-Action": button.dataset.action ?? "" },
      }).catch(() => undefined);
      if (!res || !res.ok) {
        button.disabled = false;
        button.textContent = label;
        setStatus(`${label} refused: ${res ? `${res.status} ${await res.text()}` : "no answer"}`, "offline");
      } else {
        button.textContent = `${label} requested`;
      }
    });
  }
}

function refreshHome(): void {
  setInterval(async () => {
    const res = await fetch("/?fragment=1", { credentials: "same-origin" }).catch(() => undefined);
    if (res?.ok && main) {
      main.innerHTML = await res.text();
      setStatus("runs and agents, every few seconds", "");
    } else setStatus("controller unreachable, retrying…", "offline");
  }, 3000);
}

const runId = bar?.dataset.run;
if (runId && bar?.dataset.live === "1") {
  watchRun(runId);
  wireControls(runId);
}
if (bar?.dataset.home === "1") refreshHome();
export {};
