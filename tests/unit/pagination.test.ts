import { LINK_NEXT, OffsetWalk, RecentKeys, itemKey, nextLink, sameResource } from '../../src/pagination';

const GEARS = [15, 30, 50, 100];

/** Geared pages as Basecamp serves them: page N of the list as it is right now. */
function serve(list: number[], page: number): { items: number[]; total: number; next?: string } {
  let offset = 0;
  for (let p = 1; p < page; p++) offset += GEARS[Math.min(p - 1, GEARS.length - 1)]!;
  const size = GEARS[Math.min(page - 1, GEARS.length - 1)]!;
  const items = list.slice(offset, offset + size);
  return { items, total: list.length, next: offset + size < list.length ? `u?page=${page + 1}` : undefined };
}

/** Walks `list`, calling `between(pageNumber)` before every page request after the first. */
function walkList(list: number[], between: (requestNo: number) => void): { seen: Set<number>; requests: number; rereads: number } {
  const walk = new OffsetWalk();
  const seen = new Set<number>();
  let request: { page: number; url: string } | undefined = { page: 1, url: 'u' };
  let requests = 0;
  while (request) {
    if (requests > 0) between(requests);
    requests++;
    const answer = serve(list, request.page);
    answer.items.forEach((x) => seen.add(x));
    request = walk.next({ page: request.page, url: request.url, count: answer.items.length, total: answer.total, next: answer.next });
    if (requests > 1000) throw new Error('walk does not end');
  }
  return { seen, requests, rereads: walk.rereads };
}

/** A tiny seeded PRNG, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('OffsetWalk', () => {
  it('reads an unchanging list once, page by page', () => {
    const list = Array.from({ length: 400 }, (_, i) => i);
    const { seen, requests, rereads } = walkList(list, () => undefined);
    expect(seen.size).toBe(400);
    expect(requests).toBe(7); // 15 + 30 + 50 + 4 x 100 >= 400
    expect(rereads).toBe(0);
  });

  it('a record leaving ahead of the read position: the page read before is read again', () => {
    const list = Array.from({ length: 100 }, (_, i) => i);
    const { seen, requests, rereads } = walkList(list, (n) => {
      if (n === 1) list.splice(3, 1); // trashed after page 1 was read
    });
    // Record 15 slid onto page 1; without the re-read it would be lost. Page 2 is read again
    // too: a page read beyond a gap is not trusted.
    for (let i = 0; i < 100; i++) if (i !== 3) expect(seen.has(i)).toBe(true);
    expect(rereads).toBe(2);
    expect(requests).toBe(4 + 2);
  });

  it('a record leaving behind the read position costs two re-reads and loses nothing', () => {
    const list = Array.from({ length: 100 }, (_, i) => i);
    const { seen, rereads } = walkList(list, (n) => {
      if (n === 1) list.splice(90, 1);
    });
    expect(seen.size).toBe(99);
    expect(rereads).toBe(2);
  });

  it('a drop larger than a page steps back as many pages as it needs', () => {
    const list = Array.from({ length: 300 }, (_, i) => i);
    const { seen } = walkList(list, (n) => {
      if (n === 3) list.splice(0, 70); // a project archived: 70 recordings leave the list at once
    });
    for (let i = 70; i < 300; i++) expect(seen.has(i)).toBe(true);
  });

  it('growth at the front (newest-first lists) needs no re-read', () => {
    const list = Array.from({ length: 200 }, (_, i) => i);
    let fresh = 1000;
    const { seen, rereads } = walkList(list, () => list.unshift(fresh++));
    for (let i = 0; i < 200; i++) expect(seen.has(i)).toBe(true);
    expect(rereads).toBe(0);
  });

  it('the last page shrinking to nothing ends the walk', () => {
    const list = Array.from({ length: 46 }, (_, i) => i);
    const { seen } = walkList(list, (n) => {
      if (n === 2) list.splice(0, 2);
    });
    for (let i = 2; i < 46; i++) expect(seen.has(i)).toBe(true);
  });

  it('random churn: every record no change touched is seen (1,000 seeded cases)', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const random = rng(seed);
      const initial = 20 + Math.floor(random() * 500);
      const list = Array.from({ length: initial }, (_, i) => i);
      const touched = new Set<number>();
      let fresh = 10_000;
      const { seen } = walkList(list, () => {
        const changes = Math.floor(random() * 4);
        for (let c = 0; c < changes && list.length > 0; c++) {
          const roll = random();
          if (roll < 0.5) {
            // leaves the list (trashed, archived, completed), anywhere
            const [gone] = list.splice(Math.floor(random() * list.length), 1);
            touched.add(gone!);
          } else if (roll < 0.8) {
            // edited: moves to the front of a newest-first list
            const [moved] = list.splice(Math.floor(random() * list.length), 1);
            touched.add(moved!);
            list.unshift(moved!);
          } else {
            list.unshift(fresh++); // created
          }
        }
      });
      for (let x = 0; x < initial; x++) {
        if (!touched.has(x) && !seen.has(x)) throw new Error(`seed ${seed}: record ${x} was never seen`);
      }
    }
  });

  it('without X-Total-Count it just follows the links', () => {
    const walk = new OffsetWalk();
    expect(walk.next({ page: 1, url: 'a', count: 15, next: 'b' })).toEqual({ page: 2, url: 'b', reread: false });
    expect(walk.next({ page: 2, url: 'b', count: 3 })).toBeUndefined();
  });

  it.each<[string, Array<{ url: string; next?: string; total?: number }>, number | undefined]>([
    ['a next link to the page just read', [{ url: 'https://x.test/a', next: 'https://x.test/a' }], 1],
    ['the same, but for its fragment', [{ url: 'https://x.test/a', next: 'https://x.test/a#top' }], 1],
    [
      'a next link back to page 1',
      [
        { url: 'https://x.test/a', next: 'https://x.test/a?page=2' },
        { url: 'https://x.test/a?page=2', next: 'https://x.test/a' },
      ],
      1,
    ],
    [
      'a next link back to page 2',
      [
        { url: 'u1', next: 'u2' },
        { url: 'u2', next: 'u3' },
        { url: 'u3', next: 'u2' },
      ],
      2,
    ],
    [
      'links onwards',
      [
        { url: 'u1', next: 'u2' },
        { url: 'u2', next: 'u3' },
      ],
      undefined,
    ],
  ])('%s: loopsBackTo says which page was read already', (_what, pages, loopsBackTo) => {
    const walk = new OffsetWalk();
    let following;
    pages.forEach((p, i) => (following = walk.next({ page: i + 1, url: p.url, count: 15, next: p.next })));
    expect(following).toMatchObject({ page: pages.length + 1, reread: false });
    expect(following!.loopsBackTo).toBe(loopsBackTo);
  });

  it('a page read again after a shrink is a re-read, not a loop', () => {
    const walk = new OffsetWalk();
    expect(walk.next({ page: 1, url: 'u1', count: 15, total: 40, next: 'u2' })).toEqual({ page: 2, url: 'u2', reread: false });
    // Two records left ahead: page 1 holds unseen records again, and is read from its own URL.
    const again = walk.next({ page: 2, url: 'u2', count: 15, total: 38, next: 'u3' });
    expect(again).toEqual({ page: 1, url: 'u1', reread: true });
    expect(again!.loopsBackTo).toBeUndefined();
  });

  it.each([
    ['https://x.test/a?page=2#x', 'https://x.test/a?page=2'],
    ['HTTPS://X.test:443/a', 'https://x.test/a'],
    ['u?page=2', 'u?page=2'],
  ])('sameResource(%p) = %p', (url, same) => expect(sameResource(url)).toBe(same));
});

describe('RecentKeys', () => {
  it('passes a key once, and again once it has aged out of the window', () => {
    const recent = new RecentKeys(2);
    expect(recent.fresh('a')).toBe(true);
    expect(recent.fresh('a')).toBe(false);
    recent.fresh('b');
    recent.fresh('c');
    expect(recent.fresh('a')).toBe(true);
    expect(recent.fresh(undefined)).toBe(true);
    expect(recent.fresh(undefined)).toBe(true);
  });

  it('keys by id and updated_at, so a changed record passes', () => {
    expect(itemKey({ id: 1, updated_at: 'x' })).toBe('1|x');
    expect(itemKey({ id: 1, updated_at: 'y' })).not.toBe(itemKey({ id: 1, updated_at: 'x' }));
    expect(itemKey({ name: 'no id' })).toBeUndefined();
    expect(itemKey(null)).toBeUndefined();
  });
});

describe('nextLink (RFC 8288 Link headers)', () => {
  const PAGE = 'https://x.test/a?page=1';
  const next = (url: string) => ({ kind: 'next', url });
  const LAST = { kind: 'last' };

  test.each<[string | string[] | undefined, object]>([
    ['<https://x.test/a?page=2>; rel="next"', next('https://x.test/a?page=2')],
    ['<https://x.test/a?page=2>; rel=next', next('https://x.test/a?page=2')],
    ['<https://x.test/a?page=2>;rel="next"', next('https://x.test/a?page=2')],
    ['<https://x.test/a?page=2>; REL="Next"', next('https://x.test/a?page=2')],
    ['  <https://x.test/a?page=2> ;  rel="next"  ', next('https://x.test/a?page=2')],
    ['<https://x.test/a?page=1>; rel="prev", <https://x.test/a?page=3>; rel="next", <https://x.test/a?page=9>; rel="last"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?page=3>; rel="next", <https://x.test/a?page=1>; rel="first"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?page=3>; rel="last next"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?page=3>; rel="next last"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?page=3>; rel="prev next last"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?page=3>; rel="next"; title="Page 3"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?page=3>; title="next, then"; rel="next"', next('https://x.test/a?page=3')],
    ['<https://x.test/a?ids=1,2,3>; rel="next"', next('https://x.test/a?ids=1,2,3')],
    // Only the first rel counts (RFC 8288 3.3).
    ['<https://x.test/a?page=3>; rel="last"; rel="next"', LAST],
    // Relative targets resolve against the page read; the same target twice is one target.
    ['</a?page=2>; rel="next"', next('https://x.test/a?page=2')],
    ['<?page=2>; rel="next"', next('https://x.test/a?page=2')],
    ['<https://x.test/a?page=2>; rel="next", </a?page=2>; rel="next"', next('https://x.test/a?page=2')],
    [['<https://x.test/a?page=1>; rel="prev"', '<https://x.test/a?page=3>; rel="next"'], next('https://x.test/a?page=3')],
    // The last page: no Link, or none that is rel="next".
    ['<https://x.test/a?page=1>; rel="prev"', LAST],
    ['<https://x.test/a?page=1>; rel="prev", <https://x.test/a?page=9>; rel="last"', LAST],
    ['<https://x.test/a?page=3>; rel="nextpage"', LAST],
    ['<https://x.test/a?page=3>; rel="prev-next"', LAST],
    ['<https://x.test/a?page=3>; title="next"; rel="last"', LAST],
    ['', LAST],
    ['   ', LAST],
    [undefined, LAST],
  ])('nextLink(%p) = %p', (header, expected) => {
    expect(nextLink(header, PAGE)).toEqual(expected);
  });

  test.each<[string, string | string[], RegExp]>([
    [
      'an empty target first (it names this page)',
      '<>; rel="next", <https://x.test/a?page=2>; rel="next"',
      /names an empty rel="next" target \(<>\), which is this same page/,
    ],
    ['an empty target alone', '<>; rel="next"', /empty rel="next" target/],
    ['a blank target', '< >; rel="next"', /empty rel="next" target/],
    ['a malformed header', '>x</a?page=2>; rel="next"', /Link header does not parse \(Unexpected character ">" at offset 0\)/],
    ['an unterminated target', '<https://x.test/a?page=2; rel="next"', /does not parse \(Expected end of URI delimiter/],
    ['junk after the target', '<https://x.test/a?page=2> x; rel="next"', /does not parse/],
    ['a target that is not a URL', '<http://[bad>; rel="next"', /rel="next" target is not a URL/],
    ['two next targets that disagree', '<https://x.test/a?page=2>; rel="next", <https://x.test/a?page=3>; rel="next"', /names 2 different rel="next" pages/],
    [
      'the same, over two header lines',
      ['<https://x.test/a?page=2>; rel="next"', '<https://x.test/a?page=7>; rel="next"'],
      /names 2 different rel="next" pages/,
    ],
  ])('%s is bad', (_what, header, why) => {
    const link = nextLink(header, PAGE);
    expect(link.kind).toBe('bad');
    expect(link.kind === 'bad' && link.why).toMatch(why);
  });

  test('a long bad header is quoted short, on one line', () => {
    const link = nextLink(`>${'x'.repeat(500)}\r\n <a>; rel="next"`, PAGE);
    expect(link.kind === 'bad' && link.why.length).toBeLessThan(300);
    expect(link.kind === 'bad' && link.why).not.toMatch(/[\r\n]/);
  });
});

describe('LINK_NEXT (Basecamp 3 paging)', () => {
  const page = (link?: string | string[]) => ({ url: 'https://x.test/123/a.json?status=archived', headers: link === undefined ? {} : { link }, count: 15 });

  test('the next page is the rel="next" target, resolved against the page read', () => {
    expect(LINK_NEXT.next(page('<https://x.test/123/a.json?page=2>; rel="next"'))).toEqual({ kind: 'next', url: 'https://x.test/123/a.json?page=2' });
    expect(LINK_NEXT.next(page('</123/a.json?page=3>; rel="next"'))).toEqual({ kind: 'next', url: 'https://x.test/123/a.json?page=3' });
  });

  test('no Link, or none with rel="next": the last page', () => {
    expect(LINK_NEXT.next(page())).toEqual({ kind: 'last' });
    expect(LINK_NEXT.next(page('<https://x.test/123/a.json?page=1>; rel="prev"'))).toEqual({ kind: 'last' });
  });
});
