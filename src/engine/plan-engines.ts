// The engine each scenario of a plan runs on: the plan's HTTP/1.1 engine, or an HTTP/2 engine per scenario
// that asks for `http: "2"` or `"auto"`; and the plan's `tls:` block as engine settings.
import type { Plan, PlanTls, Scenario } from "../plan/types.ts";
import { createEngine, type EngineName, type EngineOptions } from "./index.ts";
import { createH2Engine } from "./h2/index.ts";
import { DEFAULT_TLS, type TlsSettings } from "./tls.ts";
import type { Engine } from "./types.ts";

export interface PlanEngines {
  forScenario(sc: Scenario): Engine;
  /** Closes connections shared across VUs (HTTP/2 `connections:`). */
  close(): void;
}

/** The plan's `tls:` block (with its files' contents filled in) as engine settings; undefined without one. */
export function tlsSettingsOf(tls: PlanTls | undefined): TlsSettings | undefined {
  if (tls === undefined) return undefined;
  return {
    rejectUnauthorized: !tls.insecure_skip_verify,
    ca: tls.ca_pem,
    cert: tls.cert_pem,
    key: tls.key_pem,
    serverName: tls.server_name,
    minVersion: tls.min_version === undefined ? undefined : tls.min_version === "1.3" ? "TLSv1.3" : "TLSv1.2",
  };
}

export function enginesForPlan(plan: Plan, name: EngineName, options: EngineOptions = {}): PlanEngines {
  const tls: TlsSettings = { ...DEFAULT_TLS, ...options.tls, ...tlsSettingsOf(plan.tls) };
  const base = createEngine(name, { tls });
  const h2 = new Map<string, Engine & { close(): void }>();
  return {
    forScenario(sc) {
      const http = sc.http ?? plan.http ?? "1.1";
      if (http === "1.1") return base;
      let engine = h2.get(sc.name);
      if (engine === undefined) {
        engine = createH2Engine({ http, connections: sc.connections ?? plan.connections, tls, fallback: base });
        h2.set(sc.name, engine);
      }
      return engine;
    },
    close() {
      for (const engine of h2.values()) engine.close();
    },
  };
}
