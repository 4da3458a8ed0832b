import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultSelection, discover, selectionFromCatalog, selectedSchema } from '../../src/catalog';
import { STREAMS, STREAMS_BY_NAME } from '../../src/streams';
import { BCX_STREAM_NAMES } from '../../src/streams/names';
import { PRODUCTS } from '../../src/products';

const ROOT = path.join(__dirname, '..', '..');

describe('catalog', () => {
  it('catalogs/catalog.json is exactly what --discover prints', () => {
    const onDisk = fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8');
    expect(onDisk).toBe(JSON.stringify(discover(), null, 2) + '\n');
  });

  it('catalogs/catalog-bcx.json is what --discover prints for a Basecamp 2 account, with its own schemas', () => {
    const onDisk = fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog-bcx.json'), 'utf8');
    expect(onDisk).toBe(JSON.stringify(discover(PRODUCTS.bcx), null, 2) + '\n');
    const bcx = discover(PRODUCTS.bcx).streams;
    expect(bcx.map((s) => s.tap_stream_id)).toEqual([...BCX_STREAM_NAMES]);
    // Same name, another API: Basecamp 2's projects carry `trashed`, Basecamp 3's `status`.
    const props = (entries: typeof bcx, name: string) => Object.keys((entries.find((e) => e.stream === name)!.schema as { properties: object }).properties);
    expect(props(bcx, 'projects')).toContain('trashed');
    expect(props(discover().streams, 'projects')).toContain('status');
    expect(props(bcx, 'projects')).not.toContain('dock');
    expect(bcx.find((e) => e.stream === 'accesses')!.key_properties).toEqual(['project_id', 'person_id']);
    expect(bcx.find((e) => e.stream === 'events')!.replication_key).toBe('created_at');
    // Embedded collections that are streams of their own are not columns of their parents.
    expect(props(bcx, 'messages')).not.toContain('comments');
    expect(props(bcx, 'todolists')).not.toContain('todos');
  });

  it('a catalog is read against the product it was discovered for', () => {
    const warnings: string[] = [];
    const raw = {
      streams: [
        { tap_stream_id: 'groups', metadata: [{ breadcrumb: [], metadata: { selected: true } }] },
        { tap_stream_id: 'campfires', metadata: [{ breadcrumb: [], metadata: { selected: true } }] },
      ],
    };
    const bcx = selectionFromCatalog(raw, 'c.json', (m) => warnings.push(m), PRODUCTS.bcx);
    expect([...bcx.keys()]).toEqual(['groups']);
    expect(warnings).toEqual(['catalog names streams that Basecamp 2 accounts do not have, skipped: campfires']);
    const bc3 = selectionFromCatalog(raw, 'c.json', () => undefined);
    expect([...bc3.keys()]).toEqual(['campfires']);
  });

  it('leaves the opt-in streams out of a run without a catalog and out of the discovered catalog passed back', () => {
    const optIn: string[] = STREAMS.filter((s) => s.optIn).map((s) => s.name);
    expect(optIn).toEqual(['recording_events', 'boosts']);
    const byDefault = [...defaultSelection().keys()];
    expect(byDefault).toEqual(STREAMS.filter((s) => !s.optIn).map((s) => s.name));
    expect([...selectionFromCatalog(discover(), 'c.json', () => undefined).keys()]).toEqual(byDefault);
    // Selected in the catalog, they are read (recording_events incrementally).
    const raw = discover();
    for (const e of raw.streams) if (optIn.includes(e.tap_stream_id)) e.metadata[0]!.metadata.selected = true;
    const chosen = selectionFromCatalog(raw, 'c.json', () => undefined);
    expect(chosen.get('recording_events')).toEqual({ fields: undefined, incremental: true });
    expect(chosen.get('boosts')).toEqual({ fields: undefined, incremental: false });
  });

  it('describes every stream with Singer metadata', () => {
    const { streams } = discover();
    expect(streams.map((s) => s.tap_stream_id)).toEqual(STREAMS.map((s) => s.name));
    for (const entry of streams) {
      const stream = STREAMS_BY_NAME.get(entry.tap_stream_id)!;
      const top = entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
      expect(top['table-key-properties']).toEqual(stream.keyProperties);
      // Opt-in streams (a request per recording) are in the catalog, unselected.
      expect(top['selected-by-default']).toBe(!stream.optIn);
      expect(top.selected).toBe(stream.optIn ? false : undefined);
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
