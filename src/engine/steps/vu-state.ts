// What one VU carries from request to request: its client, its variables and its cookie jar.
import type { HttpClient } from "../types.ts";
import { CookieJar } from "./cookies.ts";
import type { ScenarioProgram } from "./program.ts";
import type { TemplateContext } from "./template.ts";

export class VuState implements TemplateContext {
  iteration = 0;
  // Variables and cookie jar are made on first use: most VUs of a big run never need them (memory per VU).
  private varsMap: Map<string, string> | null = null;
  private jarMade: CookieJar | null = null;
  private readonly cookies: boolean;
  /** the script's view of this VU (engine/script ScriptVu), for a scenario with a script */
  script: { iterate(lateUs: number): Promise<boolean> } | null = null;
  /** the tag set of the current iteration's data row (data.tags; 0 otherwise), resolved once per iteration */
  tagSet = 0;
  private readonly rowSets: ReadonlyMap<readonly string[], number> | null;

  constructor(
    readonly client: HttpClient,
    program: ScenarioProgram,
    /** 1-based, unique across the run's parts */
    readonly vu: number,
  ) {
    this.scenario = program.name;
    this.rowSets = program.rowSets ?? null;
    this.cookies = program.cookies;
  }

  get vars(): Map<string, string> {
    return (this.varsMap ??= new Map());
  }

  /** The jar, if anything was stored in it yet; null also when the scenario says `cookies: false`. */
  get jar(): CookieJar | null {
    return this.jarMade;
  }

  /** The jar to store into: made on the first Set-Cookie; null when the scenario says `cookies: false`. */
  cookieJar(): CookieJar | null {
    return this.cookies ? (this.jarMade ??= new CookieJar()) : null;
  }

  readonly scenario: string;

  /** Puts a data row's columns into the variables for the iteration that took it. */
  takeRow(columns: readonly string[], row: readonly string[]): void {
    for (let i = 0; i < columns.length; i++) this.vars.set(columns[i]!, row[i] ?? "");
    if (this.rowSets !== null) this.tagSet = this.rowSets.get(row) ?? 0;
  }
}
