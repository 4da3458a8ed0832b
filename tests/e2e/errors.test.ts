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
  it('malformed field', () =>
    expectOneLine(['--config', writeJson(dir, 'acct.json', { ...good, account_id: 'twelve' })], /invalid config: account_id must be a number/));
  it('start_date not a date: one clause naming the forms it takes, with examples', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'date.json', { ...good, start_date: '2024-13-01' })],
      /ERROR invalid config: start_date must be a date such as 2024-01-01 \(midnight UTC\) or an RFC 3339 date-time such as 2024-01-01T09:30:00Z or 2024-01-01T09:30:00\+02:00 \(got "2024-13-01"\)$/,
    ));
  it('full_refresh_hours below 0 or not a number: one line naming the setting', async () => {
    await expectOneLine(
      ['--config', writeJson(dir, 'hours.json', { ...good, full_refresh_hours: -1 })],
      /ERROR invalid config: full_refresh_hours must be >= 0$/,
    );
    await expectOneLine(
      ['--config', writeJson(dir, 'hours-x.json', { ...good, full_refresh_hours: 'x' })],
      /ERROR invalid config: full_refresh_hours must be number$/,
    );
  });
  it('plain http to a remote host', () =>
    expectOneLine(['--config', writeJson(dir, 'http.json', { ...good, api_url: 'http://example.com' })], /api_url must be an https URL/));
  it('unknown flag', async () => {
    const run = await runTap(['--config', writeJson(dir, 'ok.json', good), '--sync-everything']);
    expect(run.code).toBe(2);
    expect(logLines(run.stderr)).toEqual([expect.stringMatching(/ERROR Unknown argument: sync-everything \(see tap-basecamp --help\)$/)]);
  });
});

describe('bad credentials and accounts', () => {
  it('wrong account id: Launchpad does not list it, and the line names the accounts it does list', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'wrongacct.json', { ...good, account_id: 12345 })],
      /ERROR account 12345 is not among the accounts this token can see: 999999001 \(bc3, [^)]*\), 999999002 \(bcx, .*\); check account_id, or set basecamp_product$/,
    ));
  it('wrong account id under --test: the same sentence as a sync', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'wrongacct-test.json', { ...good, account_id: 12345 }), '--test'],
      /ERROR account 12345 is not among the accounts this token can see: 999999001 /,
    ));
  it('a basecamp_product the tap does not know: one line naming the two it does', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'bad-product.json', { ...good, basecamp_product: 'bc2' })],
      /ERROR invalid config: basecamp_product must be one of "bc3", "bcx"$/,
    ));
  it('wrong account id with basecamp_product set: the API answers 404, in one line', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'wrongacct-bc3.json', { ...good, account_id: 12345, basecamp_product: 'bc3' })],
      /account 12345 not found or not accessible with this token/,
    ));
  it('wrong account id under --test with basecamp_product set: the line names that setting too', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'wrongacct-bc3-test.json', { ...good, account_id: 12345, basecamp_product: 'bc3' }), '--test'],
      /ERROR account 12345 not found or not accessible with this token \(HTTP 404 on \/12345\/projects\.json\), or it is not a Basecamp 3, 4 and 5 account as basecamp_product "bc3" says: set basecamp_product to bcx \(Basecamp 2\), or leave it unset to ask Launchpad$/,
    ));
  it('--test against an API that accepts the connection and never answers: one line, soon', async () => {
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as import('node:net').AddressInfo).port;
      const started = Date.now();
      const run = await runTap([
        '--config',
        writeJson(dir, 'silent.json', { ...good, api_url: `http://127.0.0.1:${port}`, request_timeout_seconds: 1 }),
        '--test',
      ]);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(run.code).toBe(1);
      // One retry (a WARN line), then one ERROR line saying why.
      expect(logLines(run.stderr).filter((l) => / ERROR /.test(l))).toEqual([
        expect.stringMatching(/ERROR ETIMEDOUT on GET \/\d+\/projects\.json after 1 retries/),
      ]);
      expect(run.stdout).toBe('');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
  it('wrong client secret', () =>
    expectOneLine(
      ['--config', writeJson(dir, 'secret.json', { ...good, client_secret: 'not-the-secret' })],
      /refresh token rejected by Launchpad \(HTTP 401 invalid_client\): client_id or client_secret is wrong/,
    ));
  it('wrong client secret, in --test mode too', () =>
    expectOneLine(['--config', writeJson(dir, 'secret2.json', { ...good, client_secret: 'not-the-secret' }), '--test'], /refresh token rejected/));
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
      expect(logLines(run.stderr).filter((l) => !/ INFO /.test(l))).toEqual([
        expect.stringMatching(/ERROR refresh token rejected by Launchpad \(HTTP 400 invalid_grant\)/),
      ]);
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
  it.each(cases)('catalog %s', (_name, value, pattern) =>
    expectOneLine(['--config', writeJson(dir, 'c.json', good), '--catalog', writeJson(dir, 'cat.json', value)], pattern),
  );
  it('catalog missing', () =>
    expectOneLine(['--config', writeJson(dir, 'c.json', good), '--catalog', path.join(dir, 'none.json')], /catalog file .*none.json cannot be read/));

  const states: Array<[string, string | object, RegExp]> = [
    ['not JSON', 'bookmarks', /state file .* is not valid JSON/],
    ['not an object', '[]', /must hold a JSON object/],
    [
      'bookmark not a date',
      { bookmarks: { todos: { partitions: { active: { updated_at: 'soon' } } } } },
      /bookmarks.todos.partitions.active.updated_at must be an RFC 3339 date-time/,
    ],
    ['bookmarks not an object', { bookmarks: [] }, /bookmarks must be object/],
  ];
  it.each(states)('state %s', (_name, value, pattern) =>
    expectOneLine(['--config', writeJson(dir, 'c.json', good), '--state', writeJson(dir, 's.json', value)], pattern),
  );
  it('state missing', () =>
    expectOneLine(['--config', writeJson(dir, 'c.json', good), '--state', path.join(dir, 'none.json')], /state file .*none.json cannot be read/));

  it('a catalog naming an unknown stream is a warning, and the rest syncs', async () => {
    const run = await runTap([
      '--config',
      writeJson(dir, 'c.json', good),
      '--catalog',
      writeJson(dir, 'unknown.json', {
        streams: [
          { tap_stream_id: 'gantt_charts', metadata: [{ breadcrumb: [], metadata: { selected: true } }] },
          { tap_stream_id: 'people', metadata: [{ breadcrumb: [], metadata: { selected: true } }] },
        ],
      }),
    ]);
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => / WARN /.test(l))).toEqual([expect.stringMatching(/gantt_charts/)]);
    expect(run.messages.filter((m) => m.type === 'RECORD').length).toBe(sim.expectedRecords('people').length);
  });
});

describe('the command line as a person types it', () => {
  const ok = () => writeJson(dir, 'ok-cli.json', good);
  it.each([
    ['--state', ['--state', '']],
    ['--catalog', ['--catalog', '']],
    ['--properties', ['--properties', '']],
  ])('an empty %s path is one line and exit 2, not a full sync', async (flag, extra) => {
    const run = await runTap(['--config', ok(), ...extra]);
    expect(run.code).toBe(2);
    expect(logLines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`ERROR ${flag} needs a file path, not an empty string`))]);
    expect(run.stdout).toBe('');
  });

  it('two --catalog flags: one clear line', async () => {
    const catalog = writeJson(dir, 'cat-ok.json', { streams: [] });
    const run = await runTap(['--config', ok(), '--catalog', catalog, '--catalog', catalog]);
    expect(run.code).toBe(2);
    expect(logLines(run.stderr)).toEqual([expect.stringMatching(/ERROR --catalog given 2 times; give it once/)]);
  });

  it('an argument error keeps its reason', async () => {
    const run = await runTap(['--about', '--format', 'yaml']);
    expect(run.code).toBe(2);
    expect(logLines(run.stderr)).toEqual([expect.stringMatching(/ERROR Invalid values: .*format.*yaml.*json.*markdown/)]);
  });

  it.each([['-h'], ['help'], ['--help']])('%s prints the help, naming auth, the exit codes and the TAP_BASECAMP_* variables', async (flag) => {
    const run = await runTap([flag]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tap-basecamp auth --client-id/);
    expect(run.stdout).toMatch(/Exit codes: 0 done; 1 failed/);
    expect(run.stdout).toMatch(/TAP_BASECAMP_ACCOUNT_ID/);
    expect(run.stderr).toBe('');
  });

  it('LOG_LEVEL=bogus is one warning line, and the run goes on at info', async () => {
    const run = await runTap(['--config', ok(), '--discover'], { env: { LOG_LEVEL: 'bogus' } });
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => !/ INFO account \d+ is a Basecamp 3, 4 and 5 account \(Launchpad\)/.test(l))).toEqual([
      expect.stringMatching(/WARN LOG_LEVEL must be one of debug, info, warn, error \(got "bogus"\); using info/),
    ]);
  });

  it('a catalog that selects no stream is one warning line', async () => {
    const catalog = writeJson(dir, 'none-selected.json', {
      streams: [{ tap_stream_id: 'people', metadata: [{ breadcrumb: [], metadata: { selected: false } }] }],
    });
    const run = await runTap(['--config', ok(), '--catalog', catalog]);
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => / WARN /.test(l))).toEqual([expect.stringMatching(/selects no stream: nothing will be synced/)]);
    expect(run.messages.filter((m) => m.type === 'RECORD')).toEqual([]);
  });

  it.each([['2024-01-01'], ['2024-01-01T00:00:00+02:00'], ['2024-01-01T00:00:00Z']])(
    'start_date %s is accepted (a date is midnight UTC)',
    async (startDate) => {
      const run = await runTap(['--config', writeJson(dir, `start-${startDate.replace(/[:+]/g, '')}.json`, { ...good, start_date: startDate }), '--test']);
      expect(run.code).toBe(0);
    },
  );
});
