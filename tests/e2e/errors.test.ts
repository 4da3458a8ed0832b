/**
 * Bad input: one clear line on stderr, a non-zero exit, no stack trace, no secret, and nothing
 * (least of all a STATE) on stdout.
 */
import * as path from 'node:path';
import { startSimulator, Simulator } from '../../simulator';
import { logLines, runTap, tmpDir, writeJson } from '../helpers/tap';

let sim: Simulator;
let dir: string;
let good: Record<string, unknown>;

beforeAll(async () => {
  sim = await startSimulator({ records: 200 });
  dir = tmpDir();
  good = sim.config({ max_requests_per_10s: 10000, backoff_base_seconds: 0.01, max_retries: 1 });
});
afterAll(async () => {
  await sim?.stop();
});

async function expectOneLine(args: string[], pattern: RegExp): Promise<void> {
  const run = await runTap(args);
  expect(run.code).not.toBe(0);
  expect(run.signal).toBeNull();
  const lines = logLines(run.stderr).filter((l) => !/ INFO /.test(l));
  expect(lines).toEqual([expect.stringMatching(pattern)]);
  expect(lines[0]).toMatch(/ ERROR /);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const secret of [sim.clientSecret, sim.refreshToken]) expect(run.stderr).not.toContain(secret);
  expect(run.stdout).toBe('');
}

describe('bad config', () => {
  it('missing config file', () => expectOneLine(['--config', path.join(dir, 'nope.json')], /config file .*nope.json cannot be read \(no such file\)/));
  it('no --config at all', () => expectOneLine([], /--config CONFIG is required/));
  it('config that is not JSON', () => expectOneLine(['--config', writeJson(dir, 'bad.json', '{"account_id": ')], /config file .*bad.json is not valid JSON/));
  it('config that is not an object', () => expectOneLine(['--config', writeJson(dir, 'arr.json', '[1]')], /must hold a JSON object/));
  it('missing field', () => {
    const { refresh_token: _, ...rest } = good;
    return expectOneLine(['--config', writeJson(dir, 'missing.json', rest)], /invalid config: refresh_token is required/);
  });
  it('malformed field', () => expectOneLine(['--config', writeJson(dir, 'acct.json', { ...good, account_id: 'twelve' })], /invalid config: account_id must be a number/));
  it('start_date not a date', () => expectOneLine(['--config', writeJson(dir, 'date.json', { ...good, start_date: 'last tuesday' })], /start_date must be an RFC 3339 date-time/));
  it('plain http to a remote host', () => expectOneLine(['--config', writeJson(dir, 'http.json', { ...good, api_url: 'http://example.com' })], /api_url must be an https URL/));
  it('unknown flag', async () => {
    const run = await runTap(['--config', writeJson(dir, 'ok.json', good), '--sync-everything']);
    expect(run.code).toBe(2);
    expect(logLines(run.stderr)).toEqual([expect.stringMatching(/ERROR Unknown argument: sync-everything \(see tap-basecamp --help\)$/)]);
  });
});

describe('bad credentials and accounts', () => {
  it('wrong account id', () => expectOneLine(['--config', writeJson(dir, 'wrongacct.json', { ...good, account_id: 12345 })], /account 12345 not found or not accessible with this token/));
  it('wrong client secret', () => expectOneLine(['--config', writeJson(dir, 'secret.json', { ...good, client_secret: 'not-the-secret' })], /refresh token rejected by Launchpad \(HTTP 401 invalid_client\): client_id or client_secret is wrong/));
  it('wrong client secret, in --test mode too', () => expectOneLine(['--config', writeJson(dir, 'secret2.json', { ...good, client_secret: 'not-the-secret' }), '--test'], /refresh token rejected/));
  it('inactive account', async () => {
    sim.setInactive(true);
    try {
      await expectOneLine(['--config', writeJson(dir, 'inactive.json', good)], /Basecamp account \d+ is inactive \(expired trial or suspended\)/);
    } finally {
      sim.setInactive(false);
    }
  });
  it('revoked refresh token', async () => {
    const other = await startSimulator({ records: 50 });
    try {
      other.revokeRefreshToken();
      const run = await runTap(['--config', writeJson(dir, 'revoked.json', other.config({ backoff_base_seconds: 0.01 }))]);
      expect(run.code).toBe(1);
      expect(logLines(run.stderr).filter((l) => !/ INFO /.test(l))).toEqual([expect.stringMatching(/ERROR refresh token rejected by Launchpad \(HTTP 400 invalid_grant\)/)]);
      expect(run.stderr).not.toContain(other.refreshToken);
      expect(run.stdout).toBe('');
    } finally {
      await other.stop();
    }
  });
});

describe('bad catalog and state', () => {
  const cases: Array<[string, string | object, RegExp]> = [
    ['not JSON', '{"streams": [', /is not valid JSON/],
    ['wrong shape', { streams: 'all' }, /catalog .* is malformed: streams must be array/],
    ['entry without id', { streams: [{ schema: {} }] }, /is malformed: streams.0.tap_stream_id is required/],
  ];
  it.each(cases)('catalog %s', (_name, value, pattern) => expectOneLine(['--config', writeJson(dir, 'c.json', good), '--catalog', writeJson(dir, 'cat.json', value)], pattern));
  it('catalog missing', () => expectOneLine(['--config', writeJson(dir, 'c.json', good), '--catalog', path.join(dir, 'none.json')], /catalog file .*none.json cannot be read/));

  const states: Array<[string, string | object, RegExp]> = [
    ['not JSON', 'bookmarks', /state file .* is not valid JSON/],
    ['not an object', '[]', /must hold a JSON object/],
    ['bookmark not a date', { bookmarks: { todos: { partitions: { active: { updated_at: 'soon' } } } } }, /bookmarks.todos.partitions.active.updated_at must be an RFC 3339 date-time/],
    ['bookmarks not an object', { bookmarks: [] }, /bookmarks must be object/],
  ];
  it.each(states)('state %s', (_name, value, pattern) => expectOneLine(['--config', writeJson(dir, 'c.json', good), '--state', writeJson(dir, 's.json', value)], pattern));
  it('state missing', () => expectOneLine(['--config', writeJson(dir, 'c.json', good), '--state', path.join(dir, 'none.json')], /state file .*none.json cannot be read/));

  it('a catalog naming an unknown stream is a warning, and the rest syncs', async () => {
    const run = await runTap([
      '--config',
      writeJson(dir, 'c.json', good),
      '--catalog',
      writeJson(dir, 'unknown.json', { streams: [{ tap_stream_id: 'gantt_charts', metadata: [{ breadcrumb: [], metadata: { selected: true } }] }, { tap_stream_id: 'people', metadata: [{ breadcrumb: [], metadata: { selected: true } }] }] }),
    ]);
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => / WARN /.test(l))).toEqual([expect.stringMatching(/gantt_charts/)]);
    expect(run.messages.filter((m) => m.type === 'RECORD').length).toBe(sim.expectedRecords('people').length);
  });
});
