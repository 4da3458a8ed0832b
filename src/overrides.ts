/**
 * Where a catalog's stream schema differs from the tap's own: what Meltano's `schema` extra (or a
 * hand-edited catalog) asks. The tap does not obey these (see OVERRIDE_WHY in catalog.ts); each
 * one is named once so that nobody believes the loader got the type they wrote.
 */
import { JsonObject } from './messages';

/** Keys that annotate rather than constrain, and Singer's legacy selection flags: never an override. */
const IGNORED = new Set(['properties', 'items', 'description', 'title', 'selected', 'inclusion', 'selected-by-default']);

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, so two equal schemas compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (!isObject(v)) return JSON.stringify(v) ?? 'null';
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(',')}}`;
}

/** The constraining keys of a schema node (type, format, enum, ...), canonical. */
function constraints(node: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(node).filter(([k]) => !IGNORED.has(k)));
}

/**
 * One entry per place the catalog's schema says something the tap's does not: "field.sub: ..." with
 * both sides. Fields the catalog leaves out are not overrides (metadata decides what is written).
 */
export interface Override {
  /** The field's dotted path ('' for the stream's own schema). */
  path: string;
  detail: string;
}

export function schemaOverrides(tap: JsonObject, catalog: JsonObject, path = ''): Override[] {
  const out: Override[] = [];
  const mine = canonical(constraints(tap));
  const theirs = canonical(constraints(catalog));
  if (mine !== theirs) out.push({ path, detail: `catalog says ${theirs}, the tap's schema ${mine}` });
  if (isObject(catalog.items)) {
    if (isObject(tap.items)) out.push(...schemaOverrides(tap.items, catalog.items, path));
    else out.push({ path, detail: "catalog gives items, the tap's schema has none" });
  }
  if (isObject(catalog.properties)) {
    const known = isObject(tap.properties) ? tap.properties : {};
    for (const [field, sub] of Object.entries(catalog.properties)) {
      const at = path ? `${path}.${field}` : field;
      if (!isObject(sub)) continue;
      if (isObject(known[field])) out.push(...schemaOverrides(known[field], sub, at));
      else out.push({ path: at, detail: `not in the tap's schema (catalog says ${canonical(constraints(sub))})` });
    }
  }
  return out;
}
