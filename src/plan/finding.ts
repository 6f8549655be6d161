// One thing wrong with a plan, located by its path in the plan before it is given a line and column.

export type PathSegment = string | number;

export interface Finding {
  path: PathSegment[];
  message: string;
  /** Whether the key itself is wrong (an unknown key) or what it holds. */
  at: "key" | "value";
}

/** `scenarios.get-users.steps[0].url` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** What the plain (YAML-decoded) plan holds at a path; undefined when it is not there. */
export function valueAt(raw: unknown, path: readonly PathSegment[]): unknown {
  let node = raw;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    if (!Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}
