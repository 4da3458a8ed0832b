/**
 * What the conformance tests compare: the key shape of a JSON payload against the docs'
 * example, and the rows of a fixtures folder's endpoints.tsv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The keys of a JSON value: objects by key, arrays by the union over their elements. */
export interface Shape {
  keys?: Map<string, Shape>;
  items?: Shape;
}

export function shapeOf(v: unknown, into: Shape = {}): Shape {
  if (Array.isArray(v)) {
    for (const x of v) into.items = shapeOf(x, into.items ?? {});
  } else if (v !== null && typeof v === 'object') {
    into.keys ??= new Map();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) into.keys.set(k, shapeOf(x, into.keys.get(k) ?? {}));
  }
  return into;
}

/**
 * Differences between the example's shape and the payload's, as "missing ..." and "extra ..."
 * lines; `excused(where, kind)` says which a test allows (a key path writes array steps as `[]`).
 */
export function shapeDiff(
  ex: Shape,
  got: Shape,
  excused: (where: string, kind: 'missing' | 'extra', ex: Shape) => boolean,
  where = '$',
  out: string[] = [],
): string[] {
  if (ex.keys && got.keys) {
    for (const k of ex.keys.keys()) if (!got.keys.has(k) && !excused(`${where}.${k}`, 'missing', ex)) out.push(`missing ${where}.${k}`);
    for (const k of got.keys.keys()) if (!ex.keys.has(k) && !excused(`${where}.${k}`, 'extra', ex)) out.push(`extra ${where}.${k}`);
    for (const [k, s] of ex.keys) {
      const g = got.keys.get(k);
      if (g) shapeDiff(s, g, excused, `${where}.${k}`, out);
    }
  }
  // An empty or null value on either side shows no keys to compare.
  if (ex.items && got.items) shapeDiff(ex.items, got.items, excused, `${where}[]`, out);
  return out;
}

/** The GET rows of `<fixtures>/endpoints.tsv` that name an example file, column by column. */
export function endpointRows(fixtures: string): Array<Record<string, string>> {
  const lines = fs
    .readFileSync(path.join(fixtures, 'endpoints.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const head = (lines[0] as string).split('\t');
  return lines
    .slice(1)
    .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i] as string, v])))
    .filter((c) => c.method === 'GET' && (c.example_file ?? '').trim() !== '');
}
