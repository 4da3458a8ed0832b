/**
 * Unit tests of src/collection.ts: a walk resumed at a page (kept, or started again from the top
 * when the list moved under it) against nock, and the walk's small pure decisions as tables.
 */
import { etagWorthKeeping, pagesToRecheck } from '../../src/collection';
import { API_URL, Hit, drain, guardNock, json, makeClient, mockApi, mockToken } from '../helpers/client-fixtures';

guardNock();

describe('a walk resumed at a page', () => {
  const base = `${API_URL}/123/recordings.json`;
  const page3 = `${base}?page=3`;
  const page4 = `${base}?page=4`;
  type Item = { id: number };
  const onRecordings = (uri: string) => uri.startsWith('/123/recordings.json');

  /** Pages as a map from path to reply; any other path is a failure the test sees. */
  const pages = (answers: Record<string, ReturnType<typeof json>>) => (hit: Hit) => answers[hit.path] ?? [500, { error: `unexpected ${hit.path}` }];

  test('that its check accepts starts there and follows its links, without reading the top', async () => {
    const { client } = makeClient();
    mockToken(['at-res-1']);
    const api = mockApi(onRecordings, [
      pages({
        '/123/recordings.json?page=3': json([{ id: 5 }, { id: 6 }], { link: `<${page4}>; rel="next"` }),
        '/123/recordings.json?page=4': json([{ id: 7 }]),
      }),
    ]);
    const seen: Array<Item | undefined> = [];
    const collection = client.collection<Item>('/recordings.json', undefined, {
      url: page3,
      accept: (first) => {
        seen.push(first);
        return true;
      },
    });
    expect((await drain(collection)).map((r) => r.id)).toEqual([5, 6, 7]);
    expect(api.hits.map((h) => h.path)).toEqual(['/123/recordings.json?page=3', '/123/recordings.json?page=4']);
    expect(seen).toEqual([{ id: 5 }]);
    expect(collection.pagesRead).toBe(2);
  });

  test('that its check refuses is walked from the top, the refused page yielding nothing', async () => {
    const { client } = makeClient();
    mockToken(['at-res-2']);
    const page2 = `${base}?page=2`;
    const api = mockApi(onRecordings, [
      pages({
        '/123/recordings.json?page=3': json([{ id: 9 }], { link: `<${page4}>; rel="next"` }),
        '/123/recordings.json': json([{ id: 1 }, { id: 2 }], { link: `<${page2}>; rel="next"` }),
        '/123/recordings.json?page=2': json([{ id: 3 }]),
      }),
    ]);
    const collection = client.collection<Item>('/recordings.json', undefined, { url: page3, accept: () => false });
    expect((await drain(collection)).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(api.hits.map((h) => h.path)).toEqual(['/123/recordings.json?page=3', '/123/recordings.json', '/123/recordings.json?page=2']);
    expect(collection.pagesRead).toBe(3);
    expect(collection.etag).toBeUndefined();
  });

  test('whose list shrinks by more than was read starts again from the top after that page', async () => {
    const { client } = makeClient();
    mockToken(['at-res-3']);
    const api = mockApi(onRecordings, [
      pages({
        '/123/recordings.json?page=3': json([{ id: 5 }, { id: 6 }], { link: `<${page4}>; rel="next"`, 'x-total-count': '10' }),
        // Three gone ahead of a walk that had read two: records may have slid above page 3.
        '/123/recordings.json?page=4': json([{ id: 8 }, { id: 9 }], { 'x-total-count': '7' }),
        '/123/recordings.json': json([{ id: 1 }, { id: 5 }, { id: 8 }], { 'x-total-count': '3' }),
      }),
    ]);
    const collection = client.collection<Item>('/recordings.json', undefined, { url: page3, accept: () => true });
    const ids = (await drain(collection)).map((r) => r.id);
    // Page 4's items are yielded as read; the top yields only what the walk had not seen.
    expect(ids).toEqual([5, 6, 8, 9, 1]);
    expect(api.hits.map((h) => h.path)).toEqual(['/123/recordings.json?page=3', '/123/recordings.json?page=4', '/123/recordings.json']);
    expect(collection.settled).toBe(true);
  });
});

describe('pagesToRecheck: the pages a backward recheck reads again', () => {
  test.each([
    ['no recheck asked', undefined, []],
    ['one page', ['a'], []],
    ['two pages', ['a', 'b'], ['a']],
    ['four pages, last first, the last left out', ['a', 'b', 'c', 'd'], ['c', 'b', 'a']],
    ['a page read again counts as read twice', ['a', 'b', 'a', 'b', 'c'], ['b', 'a', 'b', 'a']],
  ])('%s', (_, read, again) => {
    expect(pagesToRecheck(read)).toEqual(again);
  });

  test('leaves the list it is given as it was', () => {
    const read = ['a', 'b', 'c'];
    pagesToRecheck(read);
    expect(read).toEqual(['a', 'b', 'c']);
  });
});

describe('etagWorthKeeping: the validator kept for the next run', () => {
  test.each([
    ['a first page that is the last, with an ETag', 1, undefined, 'W/"abc"', 'W/"abc"'],
    ['a first page with a next page', 1, 'https://x/p?page=2', 'W/"abc"', undefined],
    ['a later page', 2, undefined, 'W/"abc"', undefined],
    ['no ETag header', 1, undefined, undefined, undefined],
    ['a header that is not one string', 1, undefined, ['W/"a"', 'W/"b"'], undefined],
  ])('%s', (_, pagesRead, next, header, kept) => {
    expect(etagWorthKeeping(pagesRead as number, next as string | undefined, header)).toEqual(kept);
  });
});
