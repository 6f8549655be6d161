// Worker thread entry: runs its share of a plan's VUs with its own engine, sockets and histograms.
import { createRealClock } from "../../core/clock.ts";
import { enginesForPlan } from "../index.ts";
import { createInThreadExecutor, type LoadExecutor } from "../runner/executor.ts";
import type { FromWorker, ToWorker, WorkerFault } from "./protocol.ts";

declare const self: Worker;

function post(msg: FromWorker): void {
  self.postMessage(msg);
}

function fail(e: unknown): void {
  post({ type: "failed", message: e instanceof Error ? e.message : String(e) });
}

/** Keeps this thread busy for `busyMs` of every 100 ms, as a generator short of CPU would be (test fault). */
function burn(busyMs: number): void {
  const timer = setInterval(() => {
    const end = performance.now() + busyMs;
    while (performance.now() < end) {
      // spin
    }
  }, 100);
  (timer as { unref?: () => void }).unref?.();
}

/** Blocks this thread, as a long synchronous task would: no timers, no I/O. */
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function serve(): void {
  let executor: LoadExecutor | undefined;
  let fault: WorkerFault | undefined;

  const handle = (msg: ToWorker): void => {
    if (msg.type === "init") {
      fault = msg.fault;
      if (fault?.busyLoopMs) burn(fault.busyLoopMs);
      const engines = enginesForPlan(msg.plan, msg.engine, msg.engineOptions);
      executor = createInThreadExecutor(msg.plan, engines, createRealClock(), {
        spreadMs: msg.spreadMs,
        part: msg.part,
        onScriptError: (report) => post({ type: "scriptError", report }),
      });
      // ready once the scripts are loaded and their hashes checked: before the first VU starts
      return void (executor.ready ?? Promise.resolve()).then(() => post({ type: "ready" }), fail);
    }
    if (!executor) throw new Error(`"${msg.type}" arrived before "init"`);
    switch (msg.type) {
      case "setVus":
        return executor.setVus(msg.scenario, msg.vus);
      case "setRate":
        return executor.setRate?.(msg.scenario, msg.assignment);
      case "take":
        return void executor.takeDelta().then((snapshot) => post({ type: "delta", snapshot }), fail);
      case "stop":
        return void executor.stop(msg.mode).then((snapshot) => post({ type: "stopped", snapshot }), fail);
    }
  };

  self.onmessage = (event: MessageEvent<ToWorker>) => {
    const msg = event.data;
    if (msg.type === "take" && fault?.stallTakeMs) block(fault.stallTakeMs);
    // Outside the try on purpose: a real uncaught error, as a bug would throw.
    if (msg.type === "take" && fault?.crashOnTake) throw new Error("injected crash (test fault)");
    try {
      handle(msg);
    } catch (e) {
      fail(e);
    }
  };
  // Say why before the thread dies (uncaught errors, unhandled rejections): the pool rejects with it.
  self.addEventListener("error", (event) => fail((event as ErrorEvent).error ?? (event as ErrorEvent).message));
}

serve();
