// What /readyz answers for `indus agent` and `indus controller`: ready only while the process can serve.
import type { RunStore } from "../store/index.ts";

export interface Readiness {
  /** /readyz's answer: the gRPC server listens, no shutdown has begun, and every dependency answers */
  ready(): boolean;
  /** the gRPC server is bound and accepting */
  listening(): void;
  /** SIGINT/SIGTERM arrived: stop taking new work while draining */
  stopping(): void;
}

/** `dependencies` are checked on every probe (cheap calls: a probe comes every few seconds). */
export function createReadiness(dependencies: readonly (() => boolean)[] = []): Readiness {
  const state = { listening: false, stopping: false };
  return {
    ready: () => state.listening && !state.stopping && dependencies.every((answers) => answers()),
    listening: () => void (state.listening = true),
    stopping: () => void (state.stopping = true),
  };
}

/** The controller's run store is open when a read goes through (a closed or broken database throws). */
export function storeAnswers(store: Pick<RunStore, "listRuns"> | undefined): () => boolean {
  return () => {
    if (!store) return true; // no --data-dir store: runs are kept in memory, nothing to wait for
    try {
      store.listRuns({ limit: 1 });
      return true;
    } catch {
      return false;
    }
  };
}
