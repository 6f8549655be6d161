// One worker thread seen from the pool: posts commands, tracks its replies, its VUs and its death.
import type { Snapshot } from "../../metrics/snapshot.ts";
import type { StopMode } from "../runner/executor.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol.ts";
import type { ScriptErrorReport } from "../script/index.ts";

export interface LinkEvents {
  /** Every delta the worker sends, on time or late: the pool must keep each one. */
  onSnapshot(link: WorkerLink, snapshot: Snapshot): void;
  onFailure(link: WorkerLink, message: string): void;
  /** A script threw (each worker reports a distinct message once). */
  onScriptError?(report: ScriptErrorReport): void;
}

export class WorkerLink {
  private readonly worker: Worker;
  private terminated = false;
  private readonly readyWait = Promise.withResolvers<void>();
  private replyWait: PromiseWithResolvers<void> | undefined;
  private stopWait: PromiseWithResolvers<void> | undefined;
  private stopMode: StopMode | undefined;
  private hasStopped = false;
  /** The VUs per scenario the worker reported last. */
  readonly vus = new Map<string, number>();
  /** What setVus last asked of this worker, per scenario. */
  readonly shares = new Map<string, number>();

  readonly index: number;

  constructor(url: URL, init: WorkerInit, private readonly events: LinkEvents) {
    this.index = init.index;
    this.worker = new Worker(url);
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.addEventListener("error", (event) => this.die(errorText(event as ErrorEvent)));
    this.worker.addEventListener("close", (event) => this.die(`exited (code ${(event as CloseEvent & { code?: number }).code ?? "?"})`));
    this.readyWait.promise.catch(() => {});
    this.worker.postMessage(init satisfies ToWorker);
  }

  get ready(): Promise<void> {
    return this.readyWait.promise;
  }

  post(msg: ToWorker): void {
    if (!this.terminated) this.worker.postMessage(msg);
  }

  /** Asks for a delta unless one is still owed; resolves when the owed delta has arrived. */
  take(): Promise<void> {
    if (!this.replyWait) {
      this.replyWait = Promise.withResolvers<void>();
      this.post({ type: "take" });
    }
    return this.replyWait.promise;
  }

  /** True once the worker has sent its final delta. */
  get stopped(): boolean {
    return this.hasStopped;
  }

  /** Asks the worker to stop; an abort after a graceful stop is passed on, to cancel what is still in flight. */
  stop(mode: StopMode): Promise<void> {
    if (!this.stopWait || (mode === "abort" && this.stopMode !== "abort")) {
      this.stopWait ??= Promise.withResolvers<void>();
      this.stopMode = mode;
      this.post({ type: "stop", mode });
    }
    return this.stopWait.promise;
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.worker.terminate();
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case "ready":
        return this.readyWait.resolve();
      case "delta":
        this.record(msg.snapshot);
        this.replyWait?.resolve();
        this.replyWait = undefined;
        return;
      case "stopped":
        this.record(msg.snapshot);
        this.hasStopped = true;
        this.stopWait?.resolve();
        return;
      case "failed":
        return this.die(msg.message);
      case "scriptError":
        return this.events.onScriptError?.(msg.report);
    }
  }

  private record(snapshot: Snapshot): void {
    for (const [name, sc] of Object.entries(snapshot.scenarios)) this.vus.set(name, sc.vus);
    this.events.onSnapshot(this, snapshot);
  }

  private die(message: string): void {
    if (this.terminated) return;
    this.terminate();
    this.readyWait.reject(new Error(message));
    this.events.onFailure(this, message);
  }
}

/** Bun's ErrorEvent message carries a source frame; keep the "error: …" line. */
function errorText(event: ErrorEvent): string {
  const text = event.error instanceof Error ? event.error.message : String(event.message ?? "unknown error");
  const line = text.split("\n").find((l) => l.startsWith("error: "));
  return line ? line.slice("error: ".length) : text.split("\n")[0]!;
}
