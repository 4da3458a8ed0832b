import { buildDrop, dropFields, dropFromSchema, propertyPath, schemaAt } from '../../src/projection';
import { schemaOverrides } from '../../src/overrides';

describe('propertyPath: the field a metadata breadcrumb names', () => {
  test.each([
    [[], undefined],
    [['properties', 'title'], ['title']],
    [
      ['properties', 'creator', 'properties', 'email_address'],
      ['creator', 'email_address'],
    ],
    [
      ['properties', 'attachments', 'items', 'properties', 'url'],
      ['attachments', 'url'],
    ],
    [
      ['properties', 'grid', 'items', 'items', 'properties', 'x'],
      ['grid', 'x'],
    ],
    [['properties'], undefined],
    [['streams', 'x'], undefined],
    [['properties', 'a', 'oneOf', 'b'], undefined],
  ])('%j -> %j', (breadcrumb, path) => {
    expect(propertyPath(breadcrumb)).toEqual(path);
  });
});

describe('buildDrop', () => {
  test('no nested path: nothing to drop', () => {
    expect(buildDrop([])).toBeUndefined();
    expect(buildDrop([['title']])).toBeUndefined();
  });

  test('paths share their prefixes; a dropped parent swallows its children', () => {
    const drop = buildDrop([
      ['creator', 'email_address'],
      ['creator', 'bio'],
      ['bucket', 'name'],
      ['bucket', 'name', 'x'],
    ])!;
    expect([...drop.keys()]).toEqual(['creator', 'bucket']);
    expect(drop.get('creator')).toEqual(
      new Map([
        ['email_address', null],
        ['bio', null],
      ]),
    );
    expect(drop.get('bucket')).toEqual(new Map([['name', null]]));
  });
});

describe('dropFields: a copy without the dropped fields', () => {
  const drop = buildDrop([
    ['creator', 'email_address'],
    ['attachments', 'url'],
    ['a', 'b', 'c'],
  ])!;

  test.each([
    ['nested object', { id: 1, creator: { id: 2, email_address: 'x@y' } }, { id: 1, creator: { id: 2 } }],
    ['array of objects', { attachments: [{ url: 'u', id: 1 }, { id: 2 }, null] }, { attachments: [{ id: 1 }, { id: 2 }, null] }],
    ['null where an object may be', { creator: null }, { creator: null }],
    ['two levels', { a: { b: { c: 1, d: 2 }, e: 3 } }, { a: { b: { d: 2 }, e: 3 } }],
    ['nothing on the path', { id: 1 }, { id: 1 }],
  ])('%s', (_, record, expected) => {
    const before = JSON.stringify(record);
    expect(dropFields(record, drop)).toEqual(expected);
    expect(JSON.stringify(record)).toBe(before); // the original is not modified
  });

  test('objects off the paths are shared, not copied', () => {
    const bucket = { id: 9 };
    const out = dropFields({ bucket, creator: { email_address: 'x' } }, drop) as { bucket: object };
    expect(out.bucket).toBe(bucket);
  });
});

describe('dropFromSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      creator: { type: ['null', 'object'], required: ['email_address', 'id'], properties: { id: { type: 'integer' }, email_address: { type: 'string' } } },
      attachments: { type: ['null', 'array'], items: { type: 'object', properties: { url: { type: 'string' }, id: { type: 'integer' } } } },
    },
  };

  test('removes nested properties through properties and items, and from required', () => {
    const out = dropFromSchema(
      schema,
      buildDrop([
        ['creator', 'email_address'],
        ['attachments', 'url'],
      ])!,
    ) as any;
    expect(Object.keys(out.properties.creator.properties)).toEqual(['id']);
    expect(out.properties.creator.required).toEqual(['id']);
    expect(Object.keys(out.properties.attachments.items.properties)).toEqual(['id']);
    expect(Object.keys(schema.properties.creator.properties)).toEqual(['id', 'email_address']); // not modified
  });

  test('schemaAt finds nested fields and nothing else', () => {
    expect(schemaAt(schema, ['creator', 'email_address'])).toEqual({ type: 'string' });
    expect(schemaAt(schema, ['attachments', 'url'])).toEqual({ type: 'string' });
    expect(schemaAt(schema, ['creator', 'nope'])).toBeUndefined();
    expect(schemaAt(schema, ['id', 'x'])).toBeUndefined();
  });
});

describe('schemaOverrides: where a catalog schema differs from the tap', () => {
  const tap = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      title: { type: ['null', 'string'], description: 'The title' },
      creator: { type: 'object', properties: { email_address: { type: ['null', 'string'] } } },
      tags: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
    },
  };

  test.each([
    ['the same schema', tap, []],
    ['fewer fields (selection is metadata)', { type: 'object', properties: { id: { type: 'integer' } } }, []],
    [
      'descriptions, key order and Singer flags',
      { properties: { title: { description: 'x', type: ['null', 'string'], inclusion: 'available', selected: true } }, selected: true, type: 'object' },
      [],
    ],
    ['a changed type', { type: 'object', properties: { id: { type: 'string' } } }, ['id']],
    [
      'a nested type',
      { type: 'object', properties: { creator: { type: 'object', properties: { email_address: { type: 'integer' } } } } },
      ['creator.email_address'],
    ],
    ['inside items', { type: 'object', properties: { tags: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } } } } }, ['tags.n']],
    ['a field the tap has not', { type: 'object', properties: { extra: { type: 'string' } } }, ['extra']],
    ['an added format', { type: 'object', properties: { title: { type: ['null', 'string'], format: 'date-time' } } }, ['title']],
    ['the stream itself', { type: 'object', additionalProperties: false, properties: {} }, ['']],
  ])('%s', (_, catalog, paths) => {
    expect(schemaOverrides(tap, catalog as any).map((o) => o.path)).toEqual(paths);
  });

  test('the detail names both sides', () => {
    const [o] = schemaOverrides(tap, { type: 'object', properties: { id: { type: 'string' } } });
    expect(o.detail).toBe('catalog says {"type":"string"}, the tap\'s schema {"type":"integer"}');
  });
});
