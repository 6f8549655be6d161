// Finding a run for status/report: the local run store first, then a controller.
import { IndusError } from "../core/errors.ts";
import { parsePlan } from "../plan/index.ts";
import { reportInputFromResult, reportInputFromStored, type ReportInput } from "../report/model.ts";
import { createControllerClient } from "../transport/grpc/controller-client.ts";
import type { CliIo } from "./io.ts";
import { securityFromFlags } from "./security-flags.ts";
import { dataDir, openStore } from "./store-access.ts";

export const DEFAULT_CONTROLLER = "localhost:50051";

/** With --controller: ask it. Without: the local store, then the default controller. */
export async function findReportInput(io: CliIo, args: Record<string, unknown>, id: string): Promise<ReportInput> {
  if (!args.controller) {
    const store = openStore(io, args);
    try {
      const run = store.getRun(id);
      if (run) return reportInputFromStored(run);
    } finally {
      store.close();
    }
  }
  const address = String(args.controller || DEFAULT_CONTROLLER);
  const client = createControllerClient({ address, ...securityFromFlags(io, args) });
  try {
    const r = await client.getReport(id);
    const plan = parsePlan(r.planYaml, r.planFile);
    return reportInputFromResult(r.result, plan, { planYaml: r.planYaml, planFile: r.planFile });
  } catch (e) {
    if (!args.controller && e instanceof IndusError && e.code === "controller_unreachable") {
      throw new IndusError("run_not_found", `no run ${id} in the local run store (${dataDir(io, args)}), and no controller at ${address}`, {
        hint: "pass --controller=host:port for runs made on a controller, or --data-dir for another store",
      });
    }
    throw e;
  } finally {
    client.close();
  }
}
