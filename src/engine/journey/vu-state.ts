// What one VU carries from request to request: its client, its variables and its cookie jar.
import type { HttpClient } from "../types.ts";
import { CookieJar } from "./cookies.ts";
import type { ScenarioProgram } from "./program.ts";
import type { TemplateContext } from "./template.ts";

export class VuState implements TemplateContext {
  iteration = 0;
  readonly vars = new Map<string, string>();
  /** the script's view of this VU (engine/script ScriptVu), for a scenario with a script */
  script: { iterate(lateUs: number): Promise<boolean> } | null = null;
  /** null when the scenario says `cookies: false` */
  readonly jar: CookieJar | null;

  constructor(
    readonly client: HttpClient,
    program: ScenarioProgram,
    /** 1-based, unique across the run's parts */
    readonly vu: number,
  ) {
    this.scenario = program.name;
    this.jar = program.cookies ? new CookieJar() : null;
  }

  readonly scenario: string;

  /** Puts a data row's columns into the variables for the iteration that took it. */
  takeRow(columns: readonly string[], row: readonly string[]): void {
    for (let i = 0; i < columns.length; i++) this.vars.set(columns[i]!, row[i] ?? "");
  }
}
