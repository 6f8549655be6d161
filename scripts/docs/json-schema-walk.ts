// Reads the plan's JSON Schema (planJsonSchema) as the docs see it: sections of keys, their types, defaults and variants.

/** The parts of a JSON Schema node the docs read (zod's toJSONSchema output, draft 2020-12). */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  examples?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
}

/** A mapping in the plan whose keys get one table: the top level, a scenario, a profile of one type, a step… */
export interface Section {
  /** where it sits in a plan, as error messages write it: "scenarios.<name>.steps[]" ("" for the top level) */
  path: string;
  /** for one member of a discriminated union: "type: spike" */
  variant?: { key: string; value: string };
  node: SchemaNode;
}

/** The JSON Schema's numbers for "any safe integer" say nothing to a reader. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export function createWalker(root: SchemaNode) {
  const resolve = (node: SchemaNode): SchemaNode => {
    let n = node;
    for (let hops = 0; n.$ref && hops < 32; hops++) {
      const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(n.$ref);
      const target = m ? (m[1] === "$defs" ? root.$defs : root.definitions)?.[decodeURIComponent(m[2]!)] : n.$ref === "#" ? root : undefined;
      if (!target) throw new Error(`cannot resolve ${n.$ref}`);
      const { $ref: _ref, ...rest } = n;
      n = { ...target, ...rest };
    }
    if (n.allOf) {
      const { allOf, ...rest } = n;
      return allOf.map(resolve).reduce<SchemaNode>((acc, part) => ({ ...acc, ...part, properties: { ...acc.properties, ...part.properties }, required: [...(acc.required ?? []), ...(part.required ?? [])] }), rest);
    }
    return n;
  };

  /** A mapping with named keys (not a free-form record). */
  const isMapping = (node: SchemaNode): boolean => {
    const n = resolve(node);
    return n.properties !== undefined && Object.keys(n.properties).length > 0;
  };

  /** The key that tells the members of a oneOf/anyOf of mappings apart, with each member's value. */
  const variantsOf = (node: SchemaNode): { key: string; members: { value: string; node: SchemaNode }[] } | undefined => {
    const n = resolve(node);
    const alternatives = (n.oneOf ?? n.anyOf)?.map(resolve);
    if (!alternatives || alternatives.length < 2 || !alternatives.every(isMapping)) return undefined;
    const first = alternatives[0]!;
    for (const key of Object.keys(first.properties ?? {})) {
      const values = alternatives.map((a) => {
        const p = a.properties?.[key] && resolve(a.properties[key]!);
        return p?.const ?? (p?.enum?.length === 1 ? p.enum[0] : undefined);
      });
      if (values.every((v) => typeof v === "string") && new Set(values).size === values.length) {
        return { key, members: alternatives.map((a, i) => ({ value: values[i] as string, node: a })) };
      }
    }
    return undefined;
  };

  /** The mapping a node is, or holds as the one mapping among its alternatives ("text, or { equals | matches }"). */
  const mappingOf = (node: SchemaNode): SchemaNode | undefined => {
    const n = resolve(node);
    if (isMapping(n)) return n;
    const mappings = (n.oneOf ?? n.anyOf ?? []).map(resolve).filter(isMapping);
    return mappings.length === 1 ? mappings[0] : undefined;
  };

  /** Free-form record of mappings: `scenarios: { <name>: {...} }`. */
  const recordValues = (node: SchemaNode): SchemaNode | undefined => {
    const n = resolve(node);
    if (n.properties && Object.keys(n.properties).length > 0) return undefined;
    return typeof n.additionalProperties === "object" ? n.additionalProperties : undefined;
  };

  const arrayItems = (node: SchemaNode): SchemaNode | undefined => {
    const n = resolve(node);
    return n.type === "array" || n.items ? n.items : undefined;
  };

  /** Every section, in reading order: a mapping's own table first, then those of its keys' mappings. */
  const sections = (): Section[] => {
    const out: Section[] = [];
    const visit = (node: SchemaNode, path: string, variant?: Section["variant"]) => {
      const n = resolve(node);
      out.push({ path, variant, node: n });
      for (const [key, child] of Object.entries(n.properties ?? {})) {
        if (variant && key === variant.key) continue;
        for (const [childPath, childNode] of nested(child, path ? `${path}.${key}` : key)) {
          const v = variantsOf(childNode);
          if (v) for (const m of v.members) visit(m.node, childPath, { key: v.key, value: m.value });
          else visit(childNode, childPath);
        }
      }
    };
    /** The mappings a key leads to, with their paths: itself, a list's items, a record's values. */
    const nested = (node: SchemaNode, path: string): [string, SchemaNode][] => {
      const own = variantsOf(node) ? node : mappingOf(node);
      if (own) return [[path, own]];
      const items = arrayItems(node);
      const item = items && (variantsOf(items) ? items : mappingOf(items));
      if (item) return [[`${path}[]`, item]];
      const values = recordValues(node);
      const value = values && (variantsOf(values) ? values : mappingOf(values));
      if (value) return [[`${path}.<name>`, value]];
      return [];
    };
    visit(root, "");
    return out;
  };

  return { resolve, isMapping, mappingOf, variantsOf, recordValues, arrayItems, sections };
}

export type Walker = ReturnType<typeof createWalker>;

export const isNoLimit = (n: number | undefined) => n === undefined || Math.abs(n) >= NO_LIMIT;
