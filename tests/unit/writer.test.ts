import stringify from 'fast-json-stable-stringify';
import { Logger } from '../../src/log';
import { SingerWriter } from '../../src/messages';
import { buildDrop } from '../../src/projection';

function writer(accountId?: number): { w: SingerWriter; lines: string[] } {
  const lines: string[] = [];
  return { w: new SingerWriter(new Logger('error', () => undefined), (l) => void lines.push(l), accountId), lines };
}

/** The line the writer must print: what the library prints, time_extracted taken from the line. */
function expected(line: string, message: object): string {
  const time_extracted = (JSON.parse(line) as { time_extracted: string }).time_extracted;
  return stringify({ ...message, time_extracted }) + '\n';
}

describe('SingerWriter: nested deselection, account_id, version', () => {
  const todo = () => ({
    id: 5,
    title: 't',
    creator: { id: 2, name: 'n', email_address: 'e@x' },
    attachments: [{ url: 'u', sgid: 's' }],
    '10': 'integer-like key',
  });

  test.each([
    ['nothing special', undefined, undefined, undefined, todo()],
    [
      'a nested field dropped',
      undefined,
      undefined,
      buildDrop([
        ['creator', 'email_address'],
        ['attachments', 'url'],
      ]),
      { ...todo(), creator: { id: 2, name: 'n' }, attachments: [{ sgid: 's' }] },
    ],
    ['account_id added', 42, undefined, undefined, { ...todo(), account_id: 42 }],
    ['account_id kept when the catalog selects fields', 42, new Set(['id', 'title']), undefined, { id: 5, title: 't', account_id: 42 }],
  ])('%s', (_, accountId, fields, drop, record) => {
    const { w, lines } = writer(accountId);
    const input = todo();
    w.record('todos', input, fields, undefined, drop);
    expect(lines[0]).toBe(expected(lines[0], { type: 'RECORD', stream: 'todos', record }));
    expect(input.creator.email_address).toBe('e@x'); // never modified in place (but for account_id)
  });

  test('version is printed in sorted order, on both paths (with and without integer-like keys)', () => {
    const { w, lines } = writer();
    w.stampVersion('todos', 123);
    w.record('todos', { id: 1 });
    w.record('todos', { '7': 1, id: 2 });
    w.record('people', { id: 3 });
    expect(lines[0]).toBe(expected(lines[0], { type: 'RECORD', stream: 'todos', record: { id: 1 }, version: 123 }));
    expect(lines[1]).toBe(expected(lines[1], { type: 'RECORD', stream: 'todos', record: { '7': 1, id: 2 }, version: 123 }));
    expect(JSON.parse(lines[2]).version).toBeUndefined();
  });

  test('SCHEMA with account_id: an integer property and the first key', () => {
    const { w, lines } = writer(42);
    w.schema('message_types', { type: 'object', properties: { id: { type: 'integer' } } }, ['project_id', 'id'], []);
    const m = JSON.parse(lines[0]);
    expect(m.key_properties).toEqual(['account_id', 'project_id', 'id']);
    expect(m.schema.properties.account_id.type).toBe('integer');
  });

  test('ACTIVATE_VERSION', () => {
    const { w, lines } = writer();
    w.activateVersion('gauge_needles', 99);
    expect(lines).toEqual(['{"stream":"gauge_needles","type":"ACTIVATE_VERSION","version":99}\n']);
  });
});
