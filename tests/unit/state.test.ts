import { BookmarkManager, CHECKPOINT_EVERY, MAX_ETAGS, advanceResume, checkpointDue, parseState, partitionKey, resumeCovers } from '../../src/state';
import { SingerWriter } from '../../src/messages';
import stringify from 'fast-json-stable-stringify';
import { startSimulator } from '../../simulator';
import { Logger } from '../../src/log';
import { loadConfig } from '../../src/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Removes U+0000 from every string in a value, the way record() did before its copying walk took
 * it over: the reference the writer's lines are compared against.
 */
function stripNul(value: unknown, onStrip: () => void): unknown {
  if (typeof value === 'string') {
    if (!value.includes('\u0000')) return value;
    onStrip();
    return value.split('\u0000').join('');
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = stripNul(v, onStrip);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const s = stripNul(v, onStrip);
      if (s !== v) {
        out ??= { ...(value as Record<string, unknown>) };
        out[k] = s;
      }
    }
    return out ?? value;
  }
  return value;
}

describe('bookmark manager', () => {
  it('never moves a cursor back and reads start_date as a floor', () => {
    const b = new BookmarkManager({ bookmarks: {} }, '2025-01-01T00:00:00Z');
    expect(b.cursor('todos', 'updated_at', 'active')).toBe('2025-01-01T00:00:00Z');
    b.commit('todos', 'updated_at', '2026-02-01T00:00:00.000Z', 'active');
    b.commit('todos', 'updated_at', '2026-01-01T00:00:00.000Z', 'active');
    expect(b.cursor('todos', 'updated_at', 'active')).toBe('2026-02-01T00:00:00.000Z');
    expect(b.cursor('todos', 'updated_at', 'trashed')).toBe('2025-01-01T00:00:00Z');
    b.commit('projects', 'updated_at', '2024-01-01T00:00:00Z');
    expect(b.cursor('projects', 'updated_at')).toBe('2025-01-01T00:00:00Z');
  });

  it('clears a resume point when its partition completes, and bumps the version only on change', () => {
    const b = new BookmarkManager({ bookmarks: {} });
    b.setResumePoint('timeline_events', { newest: '2026-03-01T00:00:00Z', reached: '2026-02-01T00:00:00Z' });
    expect(b.resumePoint('timeline_events')).toEqual({ newest: '2026-03-01T00:00:00Z', reached: '2026-02-01T00:00:00Z' });
    b.commit('timeline_events', 'created_at', '2026-03-01T00:00:00Z');
    expect(b.resumePoint('timeline_events')).toBeUndefined();
    const v = b.version;
    b.commit('timeline_events', 'created_at', '2026-03-01T00:00:00Z');
    expect(b.version).toBe(v);
  });

  it('caps the ETags it keeps, dropping the oldest', () => {
    const b = new BookmarkManager({ bookmarks: {} });
    for (let i = 0; i < MAX_ETAGS + 10; i++) b.setEtag(`/p/${i}.json`, `"e${i}"`);
    const etags = (b.value().etags ?? {}) as Record<string, string>;
    expect(Object.keys(etags)).toHaveLength(MAX_ETAGS);
    expect(etags['/p/0.json']).toBeUndefined();
    expect(etags[`/p/${MAX_ETAGS + 9}.json`]).toBe(`"e${MAX_ETAGS + 9}"`);
  });

  it('accepts a state value or a whole STATE message, and rejects a malformed one naming the field', () => {
    const value = { bookmarks: { todos: { partitions: { active: { updated_at: '2026-01-01T00:00:00Z' } } } } };
    expect(parseState(value, 's.json').bookmarks.todos.partitions!.active.updated_at).toBe('2026-01-01T00:00:00Z');
    expect(parseState({ type: 'STATE', value }, 's.json').bookmarks.todos).toBeDefined();
    expect(parseState({}, 's.json')).toEqual({ bookmarks: {} });
    expect(() => parseState([], 's.json')).toThrow(/must hold a JSON object/);
    expect(() => parseState({ bookmarks: { todos: { updated_at: 'yesterday' } } }, 's.json')).toThrow(
      /state s.json is malformed: bookmarks.todos.updated_at must be an RFC 3339 date-time/,
    );
  });
});

describe('bookmark manager: the run start, the resumed run', () => {
  it('never commits a cursor past the run start, the earliest of the clocks it was given', () => {
    const b = new BookmarkManager({ bookmarks: {} });
    b.setSignpost('2026-11-01T10:00:00.000Z');
    b.setSignpost('2026-11-01T10:05:00.000Z'); // a later clock does not move it
    b.commit('projects', 'updated_at', '2026-11-01T10:03:00.000Z');
    expect(b.stored('projects', 'updated_at')).toBe('2026-11-01T10:00:00.000Z');
    b.commit('people', 'updated_at', '2026-11-01T09:00:00.000Z');
    expect(b.stored('people', 'updated_at')).toBe('2026-11-01T09:00:00.000Z');
    b.setSignpost('2026-11-01T08:00:00.000Z'); // Basecamp's clock behind ours: it wins
    b.commit('messages', 'updated_at', '2026-11-01T09:00:00.000Z', 'active');
    expect(b.stored('messages', 'updated_at', 'active')).toBe('2026-11-01T08:00:00.000Z');
  });

  it('without a run start commits what it is given', () => {
    const b = new BookmarkManager({ bookmarks: {} });
    b.commit('projects', 'updated_at', '2030-01-01T00:00:00.000Z');
    expect(b.stored('projects', 'updated_at')).toBe('2030-01-01T00:00:00.000Z');
  });

  it('skips only what the resumed run had done; marks made now are kept for a later resume, and a completed run drops them', () => {
    const initial = parseState({ bookmarks: {}, run: { done: { projects: { '1': '2026-01-01T00:00:00.000Z' } } } }, 'test');
    const b = new BookmarkManager(initial);
    expect(b.doneBefore('projects', 1)).toBe('2026-01-01T00:00:00.000Z');
    b.markDoneThisRun('projects', 2, '2026-02-01T00:00:00.000Z');
    expect(b.doneBefore('projects', 2)).toBeUndefined();
    expect(b.value(false).run).toEqual({ done: { projects: { '1': '2026-01-01T00:00:00.000Z', '2': '2026-02-01T00:00:00.000Z' } } });
    const version = b.version;
    b.endRun();
    expect(b.version).toBe(version + 1);
    expect(b.value(true).run).toBeUndefined();
  });

  it('remembers that a walk lists a stream, and accepts resume pages and run marks in a state file', () => {
    const b = new BookmarkManager({ bookmarks: {} });
    expect(b.walkLists('vaults')).toBe(false);
    b.setWalkLists('vaults');
    expect(b.walkLists('vaults')).toBe(true);
    const state = parseState(
      {
        bookmarks: {
          vaults: {
            listed_by_walk: true,
            partitions: { active: { resume: { newest: '2026-01-02T00:00:00Z', reached: '2026-01-01T00:00:00Z', page: 'https://x/1/p.json?page=3' } } },
          },
        },
        run: { done: { todolists: { '5': '2026-01-01T00:00:00Z' } } },
      },
      'test',
    );
    expect(new BookmarkManager(state).resumePoint('vaults', 'active')?.page).toBe('https://x/1/p.json?page=3');
    expect(() => parseState({ bookmarks: {}, run: { done: { projects: { '1': 'yesterday' } } } }, 'bad.json')).toThrow(/bad.json/);
  });
});

describe('state decisions', () => {
  const T = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  const at = (minute: number) => Date.parse(T(minute));

  it('partition keys: the parent id, and the status a variant reads', () => {
    expect(partitionKey(12, '')).toBe('12');
    expect(partitionKey(12, 'status=archived')).toBe('12:archived');
    expect(partitionKey('12', 'completed=true')).toBe('12:completed=true');
  });

  it('a resume window covers (reached, newest]', () => {
    const resume = { newest: T(30), reached: T(10) };
    expect(resumeCovers(resume, at(10))).toBe(false);
    expect(resumeCovers(resume, at(11))).toBe(true);
    expect(resumeCovers(resume, at(30))).toBe(true);
    expect(resumeCovers(resume, at(31))).toBe(false);
    expect(resumeCovers(undefined, at(20))).toBe(false);
    expect(resumeCovers(resume, undefined)).toBe(false);
  });

  it('a walk with no earlier window records where it is', () => {
    expect(advanceResume(undefined, { newest: T(30), reached: T(20), page: 'p3' })).toEqual({ newest: T(30), reached: T(20), page: 'p3' });
  });

  it('a resumed walk keeps the earlier window until it walks into it, then extends it down with its page', () => {
    const resume = { newest: T(30), reached: T(10), page: 'p2' };
    expect(advanceResume(resume, { newest: T(40), reached: T(35), page: 'p1' })).toBeUndefined(); // above the window
    expect(advanceResume(resume, { newest: T(40), reached: T(20), page: 'p1' })).toEqual({ newest: T(40), reached: T(10), page: 'p2' });
    expect(advanceResume(resume, { newest: T(40), reached: T(5), page: 'p4' })).toEqual({ newest: T(40), reached: T(5), page: 'p4' });
    expect(advanceResume({ newest: T(30), reached: T(10) }, { newest: T(30), reached: T(20) })).toEqual({ newest: T(30), reached: T(10) });
  });

  it('when a STATE is due', () => {
    const base = { force: false, final: false, changed: true, recordsSince: 0, lastBytes: 0 };
    expect(checkpointDue({ ...base, final: true, changed: false })).toBe(true);
    expect(checkpointDue({ ...base, force: true, changed: false })).toBe(false);
    expect(checkpointDue({ ...base, force: true })).toBe(true);
    expect(checkpointDue({ ...base, recordsSince: CHECKPOINT_EVERY - 1 })).toBe(false);
    expect(checkpointDue({ ...base, recordsSince: CHECKPOINT_EVERY })).toBe(true);
    // A 200 KB state waits for 2,000 records: STATE stays about 1% of the output.
    expect(checkpointDue({ ...base, recordsSince: 1999, lastBytes: 200_000 })).toBe(false);
    expect(checkpointDue({ ...base, recordsSince: 2000, lastBytes: 200_000 })).toBe(true);
  });
});

describe('singer writer', () => {
  it('writes sorted-key JSON lines, strips U+0000, projects fields, and skips a repeated STATE', () => {
    const lines: string[] = [];
    const logs: string[] = [];
    const w = new SingerWriter(new Logger('debug', (l) => logs.push(l)), (l) => void lines.push(l));
    w.schema('s', { type: 'object' }, ['id'], []);
    w.record('s', { z: 1, id: 2, html: 'a\u0000b', nested: [{ t: '\u0000' }] });
    w.record('s', { id: 3, secret: 'x' }, new Set(['id']));
    expect(w.state({ bookmarks: {} })).toBe(true);
    expect(w.state({ bookmarks: {} })).toBe(false);
    expect(lines[0]).toBe('{"key_properties":["id"],"schema":{"type":"object"},"stream":"s","type":"SCHEMA"}\n');
    const rec = JSON.parse(lines[1]);
    expect(Object.keys(lines[1].length ? rec.record : {})).toEqual(['html', 'id', 'nested', 'z']);
    expect(rec.record.html).toBe('ab');
    expect(rec.record.nested[0].t).toBe('');
    expect(JSON.parse(lines[2]).record).toEqual({ id: 3 });
    expect(lines).toHaveLength(4);
    expect(logs.some((l) => l.includes('stripped U+0000'))).toBe(true);
    expect(w.counts.get('s')).toBe(2);
  });

  it('stripNul leaves clean values untouched (same object)', () => {
    const v = { a: ['x', { b: 'y' }] };
    expect(stripNul(v, () => undefined)).toBe(v);
  });

  type Rec = Record<string, unknown>;
  /** What record() wrote before it stopped using fast-json-stable-stringify: its lines must not change. */
  const reference = (stream: string, record: Rec, fields: ReadonlySet<string> | undefined, timeExtracted: string) => {
    let value = stripNul(record, () => undefined) as Rec;
    if (fields) {
      const projected: Rec = {};
      for (const key of Object.keys(value)) if (fields.has(key)) projected[key] = value[key];
      value = projected;
    }
    return stringify({ type: 'RECORD', stream, record: value, time_extracted: timeExtracted }) + '\n';
  };
  /** Writes each record and expects reference()'s line for it. */
  const expectSameLines = (records: Array<{ stream: string; record: Rec; fields?: ReadonlySet<string> }>) => {
    const lines: string[] = [];
    const w = new SingerWriter(new Logger('info', () => undefined), (l) => {
      lines.push(l);
    });
    for (const { stream, record, fields } of records) {
      w.record(stream, record, fields);
      const line = lines[lines.length - 1];
      expect(line).toBe(reference(stream, record, fields, JSON.parse(line).time_extracted));
    }
    expect(lines).toHaveLength(records.length);
  };

  it('writes every record of a simulated account byte for byte as fast-json-stable-stringify does', async () => {
    const sim = await startSimulator({ records: 3000 });
    try {
      const all: Array<{ stream: string; record: Rec; fields?: ReadonlySet<string> }> = [];
      for (const stream of sim.streamNames()) {
        const records = sim.expectedRecords(stream) as Rec[];
        if (records.length === 0) continue;
        // Also with a projection: every other top-level field of the stream's first record.
        const fields = new Set(Object.keys(records[0]).filter((_, i) => i % 2 === 0));
        for (const record of records) all.push({ stream, record }, { stream, record, fields });
      }
      expect(all.length).toBeGreaterThan(5000);
      expectSameLines(all);
    } finally {
      await sim.stop();
    }
  });

  it('writes edge cases byte for byte as fast-json-stable-stringify does', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const s = 'edge';
    expectSameLines([
      // nested arrays of objects, with keys out of order at every level
      { stream: s, record: { id: 1, list: [{ z: 1, a: [{ y: 2, b: 3 }, [{ d: 1, c: 2 }]] }, [[{ f: 1, e: [] }]]] } },
      // null, undefined, holes and non-finite numbers (undefined keys are omitted, elements print as null)
      { stream: s, record: { id: 2, arr: [null, undefined, 1, 'x', undefined, NaN, Infinity], u: undefined, n: null, sparse } },
      { stream: s, record: { id: 3, nan: NaN, inf: Infinity, ninf: -Infinity, nzero: -0, big: 1e21, small: 1e-7, f: 0.1, t: true, b: false } },
      // keys and values that need JSON escaping
      {
        stream: s,
        record: {
          id: 4,
          'a"b': 'q"uote',
          'back\\slash': '\\',
          'new\nline': 'l\r\n',
          'tab\t': '\t',
          '\u0001ctl': '\u001f',
          '': 'empty',
          '</script>': '\u2028\u2029',
        },
      },
      // unicode keys and values, sorted by UTF-16 code unit (uppercase before lowercase, astral via surrogates)
      { stream: s, record: { id: 5, é: 'ü', 日本: '語', '😀': 'emoji 😀', ｚ: 'fullwidth', Z: 1, a: 2, _: 3, lone: '\ud800', B: { ß: 'ss', Ä: 'A' } } },
      // U+0000 in nested strings, in array elements and in a key (keys are kept as they are)
      {
        stream: s,
        record: {
          id: 6,
          html: 'a\u0000b',
          nested: { deep: { s: '\u0000x\u0000\u0000y\u0000' } },
          arr: ['\u0000', 'ok', { t: '\u0000' }, ['\u0000\u0000']],
          '\u0000key': 'v',
        },
      },
      // empty objects and arrays
      { stream: s, record: { id: 7, e: {}, a: [], aa: [[]], ao: [{}], ea: { x: [] } } },
      { stream: s, record: {} },
      // projection
      {
        stream: s,
        record: { id: 8, secret: 'x', name: 'n\u0000', nested: { secret: 'kept below the top level' } },
        fields: new Set(['id', 'name', 'nested', 'absent']),
      },
      { stream: s, record: { secret: 'x' }, fields: new Set(['id']) },
      // the same keys in another order within one stream, and a third order with one key more
      { stream: 'order', record: { b: 1, a: 2, c: { y: 1, x: 2 } } },
      { stream: 'order', record: { c: { x: 2, y: 1 }, a: 2, b: 1 } },
      { stream: 'order', record: { a: 2, c: { x: 2, y: 1 }, b: 1, d: null } },
      // integer-like keys, which V8 lists first whatever the insertion order
      { stream: s, record: { id: 9, nested: { b: 1, 10: 'ten', 9: 'nine', '-1': 'm', '01': 'z', '1e3': 'e', a: 2 } } },
      { stream: s, record: { 2: 'two', 10: 'ten', id: 10 } },
      // an own __proto__ key (JSON.parse makes one) and a Date (printed through its toJSON)
      { stream: s, record: JSON.parse('{"id":11,"__proto__":{"z":1,"a":"\\u0000"},"b":[{"__proto__":null}]}') as Rec },
      { stream: s, record: { id: 12, when: new Date(0), list: [new Date(1000)] } },
    ]);
  });

  it('stays byte-identical beyond the number of key orders it remembers', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ stream: 's', record: { [`k${i}`]: i, [`a${i % 7}`]: { [`z${i}`]: 'v', y: i } } as Rec }));
    expectSameLines([...records, ...records.slice(0, 100)]);
  });

  it('logs one line per record with U+0000, however many strings held one', () => {
    const logs: string[] = [];
    const w = new SingerWriter(new Logger('debug', (l) => logs.push(l)), () => undefined);
    w.record('todos', { id: 7, a: '\u0000', b: ['\u0000', { c: 'x\u0000' }] });
    w.record('todos', { id: 8, a: 'clean' });
    w.record('todos', { id: 9, secret: '\u0000', a: 'clean' }, new Set(['id', 'a']));
    expect(logs.filter((l) => l.includes('U+0000')).map((l) => l.replace(/^\S+ /, ''))).toEqual(['DEBUG stripped U+0000 from a todos record (id 7)\n']);
  });

  it('leaves the record it writes untouched', () => {
    const make = (): Rec => ({
      title: 't\u0000',
      id: 5,
      creator: { name: 'A\u0000B', id: 1 },
      list: [{ z: '\u0000', a: 1 }, '\u0000', null],
      secret: 's',
      when: undefined,
    });
    const record = make();
    const { creator, list } = record as { creator: Rec; list: unknown[] };
    const before = make();
    const keysBefore = [Object.keys(record), Object.keys(creator), Object.keys(list[0] as object)];
    const w = new SingerWriter(new Logger('info', () => undefined), () => undefined);
    w.record('s', record);
    w.record('s', record, new Set(['id', 'creator', 'title']));
    expect(record).toStrictEqual(before);
    expect(record.creator).toBe(creator);
    expect(record.list).toBe(list);
    expect([Object.keys(record), Object.keys(creator), Object.keys(list[0] as object)]).toEqual(keysBefore);
  });
});

describe('config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  const write = (name: string, value: unknown) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
    return p;
  };
  const good = { account_id: '42', client_id: 'id', client_secret: 's3cr3t-value', refresh_token: 'rt-value-123' };

  it('normalises, fills defaults, warns on unknown keys, and lets files win over the environment', () => {
    const warnings: string[] = [];
    const c = loadConfig([write('a.json', { ...good, extra: 1 })], { TAP_BASECAMP_MAX_RETRIES: '3', TAP_BASECAMP_CLIENT_ID: 'env' }, (m) => warnings.push(m));
    expect(c.account_id).toBe(42);
    expect(c.client_id).toBe('id');
    expect(c.max_retries).toBe(3);
    expect(c.api_url).toBe('https://3.basecampapi.com');
    expect(c.user_agent).toMatch(/^tap-basecamp \(/);
    expect(warnings).toEqual(['ignoring unknown config keys: extra']);
  });

  it.each([
    [{ ...good, account_id: undefined }, /account_id is required/],
    [{ ...good, account_id: 'abc' }, /account_id must be a number/],
    [
      { ...good, start_date: 'yesterday' },
      /^invalid config: start_date must be a date such as 2024-01-01 \(midnight UTC\) or an RFC 3339 date-time such as 2024-01-01T09:30:00Z or 2024-01-01T09:30:00\+02:00 \(got "yesterday"\)$/,
    ],
    [{ ...good, api_url: 'http://example.com' }, /api_url must be an https URL/],
    [{ ...good, max_retries: 'many' }, /max_retries must be integer/],
  ])('rejects %j with a line naming the field', (value, message) => {
    expect(() => loadConfig([write('bad.json', value)], {}, () => undefined)).toThrow(message);
  });

  it('rejects a missing file and invalid JSON without echoing secrets', () => {
    expect(() => loadConfig([path.join(dir, 'missing.json')], {}, () => undefined)).toThrow(/cannot be read \(no such file\)/);
    expect(() => loadConfig([write('x.json', '{"client_secret": "s3cr3t-value",')], {}, () => undefined)).toThrow(/is not valid JSON/);
  });
});
