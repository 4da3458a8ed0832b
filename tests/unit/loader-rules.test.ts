/**
 * Every schema the tap discovers, of both products, held to what the common Singer loaders
 * (target-postgres, target-jsonl) accept. Neither loader can be installed here, so the rules
 * measured against them are written down in this file, and `schemaBreaks` is the check:
 *
 * - a field has one JSON type (plus "null" when nullable) and at most one format: target-postgres
 *   makes its column from the first `anyOf` branch with a format, so `anyOf [date, date-time]`
 *   fails on every timestamp and `anyOf [null, boolean, date-time]` dies parsing `false`;
 * - formats: only `date-time` and `date` (target-postgres turns them into timestamp and date
 *   columns); `uuid` makes it reject every value that is not a UUID;
 * - a property without `type` becomes text: every field says its type;
 * - `required`, `additionalProperties: false` and `maxLength` make both loaders reject a record
 *   that breaks them: Basecamp adds fields and lengths are its own;
 * - every stream has key_properties (target-jsonl rejects a SCHEMA without), each a declared
 *   top-level field whose type cannot be null (target-postgres rejects a null key);
 * - the replication key is a declared date-time field;
 * - stream names are snake_case (target-postgres splits names on "-").
 */
import { discover } from '../../src/catalog';
import { PRODUCTS, PRODUCT_IDS } from '../../src/products';

type Node = Record<string, unknown>;

const FORMATS = new Set(['date-time', 'date']);
const COMBINATORS = ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref'];
const REJECTING = ['required', 'maxLength', 'minLength', 'pattern', 'enum', 'const'];
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

function typesOf(node: Node): string[] {
  const t = node.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}

/** What one field (and, nested, its properties and items) breaks; `where` names it. */
function fieldBreaks(node: Node, where: string, out: string[] = []): string[] {
  for (const k of COMBINATORS) if (k in node) out.push(`${where}: ${k} (one type per field)`);
  for (const k of REJECTING) if (k in node) out.push(`${where}: ${k} (loaders reject records that break it)`);
  if (node.additionalProperties === false) out.push(`${where}: additionalProperties false`);
  const types = typesOf(node);
  const real = types.filter((t) => t !== 'null');
  if (types.length === 0) out.push(`${where}: no type`);
  else if (real.length !== 1) out.push(`${where}: ${real.length} non-null types (${types.join(', ')})`);
  if (new Set(types).size !== types.length) out.push(`${where}: a type listed twice`);
  if (node.format !== undefined) {
    if (!FORMATS.has(node.format as string)) out.push(`${where}: format ${String(node.format)}`);
    if (real[0] !== 'string') out.push(`${where}: a format on a ${real.join('/')} field`);
  }
  if (real[0] === 'object') {
    const props = node.properties as Record<string, Node> | undefined;
    if (!props || Object.keys(props).length === 0) out.push(`${where}: object without properties`);
    for (const [name, child] of Object.entries(props ?? {})) fieldBreaks(child, `${where}.${name}`, out);
  }
  if (real[0] === 'array') {
    if (!node.items || typeof node.items !== 'object' || Array.isArray(node.items)) out.push(`${where}: array without one items schema`);
    else fieldBreaks(node.items as Node, `${where}[]`, out);
  }
  return out;
}

/** What one discovered stream breaks: its name, keys, replication key and every field. */
function schemaBreaks(entry: { stream: string; schema: Node; key_properties: string[]; replication_key?: string }): string[] {
  const out: string[] = [];
  const { stream, schema } = entry;
  if (!SNAKE_CASE.test(stream)) out.push(`${stream}: stream name not snake_case`);
  if (typesOf(schema).join() !== 'object') out.push(`${stream}: the schema is not an object`);
  const props = (schema.properties ?? {}) as Record<string, Node>;
  if (!Array.isArray(entry.key_properties) || entry.key_properties.length === 0) out.push(`${stream}: no key_properties`);
  for (const key of entry.key_properties ?? []) {
    const field = props[key];
    if (!field) out.push(`${stream}.${key}: key not declared`);
    else if (typesOf(field).includes('null')) out.push(`${stream}.${key}: key may be null`);
  }
  const rk = entry.replication_key;
  if (rk !== undefined && (!props[rk] || props[rk].format !== 'date-time')) out.push(`${stream}.${rk}: replication key is not a date-time field`);
  for (const k of REJECTING) if (k in schema) out.push(`${stream}: ${k} at the top`);
  if (schema.additionalProperties === false) out.push(`${stream}: additionalProperties false`);
  for (const [name, field] of Object.entries(props)) fieldBreaks(field, `${stream}.${name}`, out);
  return out;
}

describe('the rule check itself', () => {
  it.each([
    [
      'anyOf of scalars',
      {
        anyOf: [
          { type: 'string', format: 'date' },
          { type: 'string', format: 'date-time' },
        ],
      },
      'anyOf',
    ],
    ['boolean or date-time', { type: ['null', 'boolean', 'string'], format: 'date-time' }, 'non-null types'],
    ['uuid', { type: 'string', format: 'uuid' }, 'format uuid'],
    ['no type', { description: 'x' }, 'no type'],
    ['format on an integer', { type: 'integer', format: 'date' }, 'format on a integer'],
    ['maxLength', { type: 'string', maxLength: 3 }, 'maxLength'],
    ['nested', { type: 'object', properties: { a: { type: 'array', items: { type: ['string', 'integer'] } } } }, 'x.a[]: 2 non-null types'],
    ['closed object', { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, 'additionalProperties'],
  ])('finds %s', (_name, node, found) => {
    expect(fieldBreaks(node, 'x').join('\n')).toContain(found);
  });

  it.each([
    { type: ['null', 'string'], format: 'date-time' },
    { type: 'string', format: 'date' },
    { type: ['null', 'object'], properties: { id: { type: 'integer' } } },
    { type: 'array', items: { type: 'object', properties: { id: { type: ['null', 'integer'] } } } },
  ])('passes %j', (node) => {
    expect(fieldBreaks(node, 'x')).toEqual([]);
  });

  it('finds stream-level breaks', () => {
    const schema = { type: 'object', properties: { id: { type: ['null', 'integer'] }, updated_at: { type: 'string' } } };
    const found = schemaBreaks({ stream: 'todo-lists', schema, key_properties: ['id', 'project_id'], replication_key: 'updated_at' }).join('\n');
    for (const text of ['not snake_case', 'id: key may be null', 'project_id: key not declared', 'updated_at: replication key']) expect(found).toContain(text);
    expect(schemaBreaks({ stream: 'todos', schema, key_properties: [] }).join('\n')).toContain('no key_properties');
  });
});

describe.each(PRODUCT_IDS)('every %s schema is one every loader takes', (id) => {
  const entries = discover(PRODUCTS[id]).streams;
  it('has every stream of the product', () => {
    expect(entries.map((e) => e.stream)).toEqual(PRODUCTS[id].streams.map((s) => s.name));
  });
  it.each(entries.map((e) => [e.stream, e] as const))('%s', (_name, entry) => {
    expect(schemaBreaks(entry as unknown as Parameters<typeof schemaBreaks>[0])).toEqual([]);
  });
});
