import { defaultSelection, selectionFromCatalog } from '../../src/catalog';
import { Logger } from '../../src/log';
import { SingerWriter } from '../../src/messages';
import { PRODUCTS } from '../../src/products';
import { FullTableVersions, childMap, fullTableStreams, isStateless } from '../../src/versions';

describe('isStateless: only a run without state reads every full-table stream whole', () => {
  test.each([
    ['no --state', undefined, true],
    ['an empty state', { bookmarks: {} }, true],
    ['empty parts', { bookmarks: {}, etags: {} }, true],
    ['empty, naming its account and product', { account_id: 1001, basecamp_product: 'bc3', bookmarks: {} }, true],
    [
      'a bookmark, naming its account and product',
      { account_id: 1001, basecamp_product: 'bc3', bookmarks: { todos: { updated_at: '2024-01-01T00:00:00Z' } } },
      false,
    ],
    ['a bookmark', { bookmarks: { todos: { updated_at: '2024-01-01T00:00:00Z' } } }, false],
    ['ETags only (a later run would read 304s)', { bookmarks: {}, etags: { '/x.json': 'W/"1"' } }, false],
    ['a run to resume', { bookmarks: {}, run: { done: { projects: { '1': 'x' } } } }, false],
  ])('%s', (_, state, stateless) => {
    expect(isStateless(state as any)).toBe(stateless);
  });
});

describe('fullTableStreams', () => {
  test("Basecamp 3's full-table streams are those without a replication key", () => {
    expect(fullTableStreams(PRODUCTS.bc3.streams, defaultSelection())).toEqual([
      'account',
      'project_people',
      'campfires',
      'timesheet_entries',
      'gauge_needles',
      'lineup_markers',
      'message_boards',
      'message_types',
      'todosets',
      'todolist_groups',
      'schedules',
      'questionnaires',
      'questions',
      'inboxes',
      'inbox_forwards',
      'inbox_replies',
      'client_approvals',
      'client_correspondences',
      'client_replies',
      'card_tables',
      'card_table_columns',
      'attachments',
      // Not upload_versions: read only below uploads written, which a start_date may leave out.
      'hill_charts',
    ]);
    expect(fullTableStreams(PRODUCTS.bcx.streams, defaultSelection(PRODUCTS.bcx))).toEqual(['groups', 'accesses', 'calendars']);
  });

  test.each([
    [
      'no start_date: attachments follow every record, so they are whole',
      undefined,
      ['messages', 'attachments', 'gauge_needles'],
      ['gauge_needles', 'attachments'],
    ],
    [
      'start_date: an incremental source leaves older records out, and their attachments',
      '2024-01-01T00:00:00Z',
      ['messages', 'attachments', 'gauge_needles'],
      ['gauge_needles'],
    ],
    ['start_date, only full-table sources selected: whole', '2024-01-01T00:00:00Z', ['inbox_forwards', 'attachments'], ['inbox_forwards', 'attachments']],
  ])('%s', (_, startDate, names, expected) => {
    const selection = new Map([...defaultSelection()].filter(([name]) => names.includes(name)));
    expect(fullTableStreams(PRODUCTS.bc3.streams, selection, startDate)).toEqual(expected);
  });

  test('a stream the catalog switches to FULL_TABLE is full-table; an unselected one is not listed', () => {
    const selected = (name: string, extra = {}) => ({ tap_stream_id: name, metadata: [{ breadcrumb: [], metadata: { selected: true, ...extra } }] });
    const catalog = { streams: [selected('campfire_lines', { 'replication-method': 'FULL_TABLE' }), selected('todos'), selected('gauge_needles')] };
    expect(
      fullTableStreams(
        PRODUCTS.bc3.streams,
        selectionFromCatalog(catalog, 'c', () => undefined),
      ),
    ).toEqual(['campfire_lines', 'gauge_needles']);
  });
});

describe('FullTableVersions', () => {
  const children = childMap(PRODUCTS.bc3.streams);

  test('a skipped partition shortens its stream and every stream read below it', () => {
    const v = new FullTableVersions(['inboxes', 'inbox_forwards', 'inbox_replies', 'gauge_needles', 'todolist_groups'], children, 7);
    v.skipped('inbox_forwards');
    expect(v.whole()).toEqual(['inboxes', 'gauge_needles', 'todolist_groups']);
    v.skipped('todolists'); // an incremental parent: the groups below it were not all read
    expect(v.whole()).toEqual(['inboxes', 'gauge_needles']);
    v.skipped('projects');
    expect(v.whole()).toEqual([]);
  });

  test.each([
    ['a stream its records come from', 'messages', ['gauge_needles']],
    ['a stream above one they come from (comments below to-dos)', 'todolists', ['gauge_needles']],
    ['a stream with no attachments below it', 'campfires', ['gauge_needles', 'attachments']],
    ['the projects', 'projects', []],
  ])('attachments are short when %s is skipped', (_, skipped, whole) => {
    const v = new FullTableVersions(['gauge_needles', 'attachments'], children, 7);
    v.skipped(skipped);
    expect(v.whole()).toEqual(whole);
  });

  test('stamps and activates through the writer', () => {
    const lines: string[] = [];
    const writer = new SingerWriter(new Logger('error', () => undefined), (l) => void lines.push(l));
    const v = new FullTableVersions(['gauge_needles', 'inboxes'], children, 1700000000000);
    v.stamp(writer);
    writer.record('gauge_needles', { id: 1 });
    writer.record('todos', { id: 2 });
    v.skipped('inboxes');
    v.activate(writer);
    const messages = lines.map((l) => JSON.parse(l));
    expect(messages[0]).toMatchObject({ type: 'RECORD', stream: 'gauge_needles', version: 1700000000000 });
    expect(messages[1].version).toBeUndefined();
    expect(messages.slice(2)).toEqual([{ type: 'ACTIVATE_VERSION', stream: 'gauge_needles', version: 1700000000000 }]);
  });
});
