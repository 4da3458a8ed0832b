import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover, selectionFromCatalog, selectedSchema } from '../../src/catalog';
import { STREAMS, STREAMS_BY_NAME } from '../../src/streams';

const ROOT = path.join(__dirname, '..', '..');

describe('catalog', () => {
  it('catalogs/catalog.json is exactly what --discover prints', () => {
    const onDisk = fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8');
    expect(onDisk).toBe(JSON.stringify(discover(), null, 2) + '\n');
  });

  it('describes every stream with Singer metadata', () => {
    const { streams } = discover();
    expect(streams.map((s) => s.tap_stream_id)).toEqual(STREAMS.map((s) => s.name));
    for (const entry of streams) {
      const stream = STREAMS_BY_NAME.get(entry.tap_stream_id)!;
      const top = entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
      expect(top['table-key-properties']).toEqual(stream.keyProperties);
      expect(top['selected-by-default']).toBe(true);
      if (stream.replicationKey) {
        expect(top['valid-replication-keys']).toEqual([stream.replicationKey]);
        expect(entry.replication_key).toBe(stream.replicationKey);
      } else {
        expect(top['forced-replication-method']).toBe('FULL_TABLE');
      }
      const props = Object.keys((entry.schema as { properties: object }).properties);
      for (const key of [...stream.keyProperties, ...(stream.replicationKey ? [stream.replicationKey] : [])]) {
        expect(props).toContain(key);
        const m = entry.metadata.find((x) => x.breadcrumb[1] === key)!.metadata;
        expect(m.inclusion).toBe('automatic');
      }
    }
  });

  it('honours stream and field selection, replication-method, and skips unknown streams with one warning', () => {
    const catalog = discover();
    const byName = new Map(catalog.streams.map((s) => [s.tap_stream_id, s]));
    for (const s of catalog.streams) s.metadata[0].metadata.selected = false;
    const todos = byName.get('todos')!;
    todos.metadata[0].metadata.selected = true;
    todos.metadata[0].metadata['replication-method'] = 'FULL_TABLE';
    todos.metadata.find((m) => m.breadcrumb[1] === 'content')!.metadata.selected = false;
    todos.metadata.find((m) => m.breadcrumb[1] === 'id')!.metadata.selected = false; // automatic: ignored
    const people = byName.get('people')!;
    people.metadata[0].metadata.selected = true;
    const raw = { streams: [...catalog.streams, { tap_stream_id: 'no_such_stream', schema: {}, metadata: [] }] };
    const warnings: string[] = [];
    const selection = selectionFromCatalog(raw, 'test', (m) => warnings.push(m));
    expect([...selection.keys()].sort()).toEqual(['people', 'todos']);
    expect(selection.get('todos')!.incremental).toBe(false);
    expect(selection.get('people')!.incremental).toBe(true);
    expect(selection.get('people')!.fields).toBeUndefined();
    const fields = selection.get('todos')!.fields!;
    expect(fields.has('content')).toBe(false);
    expect(fields.has('id')).toBe(true);
    expect(Object.keys(selectedSchema(STREAMS_BY_NAME.get('todos')!, fields).properties as object)).not.toContain('content');
    expect(warnings).toEqual([expect.stringContaining('no_such_stream')]);
  });

  it('rejects a catalog of the wrong shape with a line naming the problem', () => {
    expect(() => selectionFromCatalog({ streams: {} }, 'c.json', () => undefined)).toThrow(/catalog c.json is malformed: streams must be array/);
    expect(() => selectionFromCatalog([], 'c.json', () => undefined)).toThrow(/malformed/);
  });
});
