/**
 * Nested property selection: a catalog can deselect a field below the top level (a creator's
 * email_address, the url of every attachment). The fields to drop form a small tree, applied to
 * the SCHEMA once and to each RECORD as it is written.
 */
import { JsonObject } from './messages';

/**
 * Fields to drop below the top level, by name: `null` drops the field, a tree descends into it
 * (into every element when the value is an array, as the schema's `items`).
 */
export type Drop = ReadonlyMap<string, Drop | null>;

/**
 * The property path a metadata breadcrumb names: ["properties","creator","properties","email_address"]
 * is creator.email_address; "items" steps into an array's elements and names nothing.
 * Undefined for a breadcrumb that is not a property path.
 */
export function propertyPath(breadcrumb: readonly string[]): string[] | undefined {
  const path: string[] = [];
  for (let i = 0; i < breadcrumb.length; i++) {
    if (breadcrumb[i] === 'items') continue;
    if (breadcrumb[i] !== 'properties' || i + 1 >= breadcrumb.length) return undefined;
    path.push(breadcrumb[++i]);
  }
  return path.length > 0 ? path : undefined;
}

/** The tree of the nested paths (two names or more) to drop; undefined when there are none. */
export function buildDrop(paths: ReadonlyArray<readonly string[]>): Drop | undefined {
  const root = new Map<string, Map<string, unknown> | null>();
  for (const path of paths) {
    if (path.length < 2) continue;
    let at = root;
    for (let i = 0; i < path.length; i++) {
      const name = path[i];
      if (at.get(name) === null) break; // an enclosing field is dropped whole already
      if (i === path.length - 1) at.set(name, null);
      else {
        let next = at.get(name) as Map<string, Map<string, unknown> | null> | undefined;
        if (!next) at.set(name, (next = new Map()));
        at = next;
      }
    }
  }
  return root.size > 0 ? (root as Drop) : undefined;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A copy of `value` without the dropped fields; only what lies on a dropped path is copied. */
export function dropFields(value: unknown, drop: Drop): unknown {
  if (Array.isArray(value)) return value.map((v) => dropFields(v, drop));
  if (!isObject(value)) return value;
  let out: JsonObject | undefined;
  for (const [name, below] of drop) {
    if (!(name in value)) continue;
    out ??= { ...value };
    if (below === null) delete out[name];
    else out[name] = dropFields(value[name], below);
  }
  return out ?? value;
}

/** A copy of a JSON Schema without the dropped properties (through `properties` and `items`). */
export function dropFromSchema(schema: JsonObject, drop: Drop): JsonObject {
  const out: JsonObject = { ...schema };
  if (isObject(schema.items)) out.items = dropFromSchema(schema.items, drop);
  if (isObject(schema.properties)) {
    const props: JsonObject = { ...schema.properties };
    for (const [name, below] of drop) {
      if (!isObject(props[name])) continue;
      if (below === null) delete props[name];
      else props[name] = dropFromSchema(props[name], below);
    }
    out.properties = props;
    if (Array.isArray(schema.required)) out.required = (schema.required as string[]).filter((r) => drop.get(r) !== null);
  }
  return out;
}

/** The subschema a property path leads to (through `items`), or undefined when the schema has none. */
export function schemaAt(schema: JsonObject, path: readonly string[]): JsonObject | undefined {
  let at: JsonObject | undefined = schema;
  for (const field of path) {
    while (at && isObject(at.items)) at = at.items;
    const props: unknown = at?.properties;
    at = isObject(props) && isObject(props[field]) ? props[field] : undefined;
    if (!at) return undefined;
  }
  return at;
}
