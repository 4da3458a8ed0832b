import { BookmarkManager, MAX_ETAGS, parseState } from '../../src/state';
import { SingerWriter, stripNul } from '../../src/messages';
import { Logger } from '../../src/log';
import { loadConfig } from '../../src/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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

describe('singer writer', () => {
  it('writes sorted-key JSON lines, strips U+0000, projects fields, and skips a repeated STATE', () => {
    const lines: string[] = [];
    const logs: string[] = [];
    const w = new SingerWriter(new Logger('debug', (l) => logs.push(l)), (l) => lines.push(l));
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
    [{ ...good, start_date: 'yesterday' }, /start_date must be an RFC 3339 date-time/],
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
