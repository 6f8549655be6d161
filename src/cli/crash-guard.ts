// Long-running commands survive their own bugs: an exception nothing caught is one JSON error line and fails
// the run in progress with the reason, never a stack trace or a dump of the bundled source, and never an exit.
import { describeFailure } from "../core/failure.ts";
import type { Logger } from "../observability/logger.ts";
import type { CliIo } from "./io.ts";

/** failRuns: fail whatever run the process is serving, with `reason` ("internal error: TypeError: ..."). */
export function guardProcess(io: CliIo, logger: Logger, failRuns: (reason: string) => void): () => void {
  const remove = io.onUnexpectedError?.((error) => {
    const reason = `internal error: ${describeFailure(error)}`;
    logger.error("unexpected error, failing the run in progress", { error: describeFailure(error) });
    try {
      failRuns(reason);
    } catch (e) {
      logger.error("could not fail the run in progress", { error: describeFailure(e) });
    }
  });
  return remove ?? (() => {});
}

/**
 * INDUS_TEST_FAULT=<place>: throws an unexpected exception the first time the process passes that place, so that
 * end-to-end tests can prove the guard with real processes. Places: agent-assign, agent-snapshot,
 * controller-update. Unset: nothing happens.
 */
export function faultInjector(io: CliIo): (place: string) => void {
  const armed = io.env.INDUS_TEST_FAULT;
  let fired = false;
  return (place) => {
    if (armed !== place || fired) return;
    fired = true;
    throw new TypeError(`injected fault at ${place} (INDUS_TEST_FAULT)`);
  };
}
