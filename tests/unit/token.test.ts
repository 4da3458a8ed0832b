/**
 * Unit tests of src/token.ts against nock: the refresh exchange, one exchange for many waiting
 * requests, the expiry margin, replacing a token Basecamp rejected, refresh-token rotation
 * (written back to the config file, or warned about once), and a rejected refresh as one line
 * that names no secret.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import got, { RetryObject } from 'got';
import nock from 'nock';
import { TapError, redact } from '../../src/errors';
import { Logger } from '../../src/log';
import { EXPIRY_MARGIN_MS, TokenConfig, TokenSource } from '../../src/token';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  Hit,
  REFRESH_TOKEN,
  TOKEN_ORIGIN,
  TOKEN_PATH,
  makeConfig,
  mockToken,
  recordingScope,
  settle,
} from '../helpers/client-fixtures';

/** Retries every attempt got allows, at once: the statuses and codes come from the error table. */
function retryAllowed({ attemptCount, retryOptions, error }: RetryObject): number {
  if (attemptCount > retryOptions.limit) return 0;
  const status = error.response?.statusCode;
  return (status !== undefined ? retryOptions.statusCodes.includes(status) : retryOptions.errorCodes.includes(error.code)) ? 1 : 0;
}

function makeSource(overrides: Partial<TokenConfig> = {}) {
  const lines: string[] = [];
  const config = makeConfig(overrides);
  const log = new Logger('debug', (line) => lines.push(line));
  let refreshes = 0;
  const source = new TokenSource(config, log, {
    http: got.extend({ timeout: { request: 2000 } }),
    retryDelay: retryAllowed,
    onRefresh: () => void refreshes++,
  });
  return { source, config, lines, refreshes: () => refreshes };
}

const form = (hit: Hit) => new URLSearchParams(hit.body);

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore(); // unpatch node:http, which later test files in this worker share
});
afterEach(() => {
  nock.cleanAll();
  jest.restoreAllMocks();
});

describe('refresh', () => {
  test("posts the refresh grant (and Launchpad's older type=refresh) and returns the access token, registered as a secret", async () => {
    const { source, lines, refreshes } = makeSource();
    const token = mockToken(['at-tk-Aa11Bb22']);
    await expect(source.refresh()).resolves.toBe('at-tk-Aa11Bb22');
    expect(token.hits).toHaveLength(1);
    const sent = form(token.hits[0]);
    expect(Object.fromEntries(sent)).toEqual({
      grant_type: 'refresh_token',
      type: 'refresh',
      refresh_token: REFRESH_TOKEN,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(redact('token at-tk-Aa11Bb22 here')).toBe('token [redacted] here');
    expect(refreshes()).toBe(1);
    expect(lines.some((l) => / DEBUG access token refreshed/.test(l))).toBe(true);
  });

  test('current() keeps the token until the expiry margin, then refreshes', async () => {
    const { source } = makeSource();
    const token = mockToken(['at-tk-first-Cc33', 'at-tk-second-Dd44'], { expires_in: 3600 });
    const realNow = Date.now.bind(Date);
    let offset = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);

    await expect(source.current()).resolves.toBe('at-tk-first-Cc33');
    offset = 3600_000 - EXPIRY_MARGIN_MS - 5_000; // 65 s before expiry: still good
    await expect(source.current()).resolves.toBe('at-tk-first-Cc33');
    expect(token.hits).toHaveLength(1);
    offset = 3600_000 - EXPIRY_MARGIN_MS + 5_000; // 55 s before expiry: inside the margin
    await expect(source.current()).resolves.toBe('at-tk-second-Dd44');
    expect(token.hits).toHaveLength(2);
  });

  test('single flight: many callers waiting at once share one exchange', async () => {
    const { source, refreshes } = makeSource();
    const token = mockToken(['at-tk-shared-Ee55', 'at-tk-unused-Ff66']);
    const tokens = await Promise.all([source.current(), source.refresh(), source.current(), source.refresh(), source.current()]);
    expect(tokens).toEqual(Array(5).fill('at-tk-shared-Ee55'));
    expect(token.hits).toHaveLength(1);
    expect(refreshes()).toBe(1);
    // The flight is over: the next refresh is a new exchange.
    await expect(source.refresh()).resolves.toBe('at-tk-unused-Ff66');
    expect(token.hits).toHaveLength(2);
  });

  test('replace(rejected): a new token for the one held, none for one already replaced', async () => {
    const { source } = makeSource();
    const token = mockToken(['at-tk-one-Gg77', 'at-tk-two-Hh88', 'at-tk-three-Ii99']);
    const first = await source.current();
    await expect(source.replace(first)).resolves.toBe('at-tk-two-Hh88');
    expect(token.hits).toHaveLength(2);
    // A request that was sent with the first token meets its 401 late: the second one is good.
    await expect(source.replace(first)).resolves.toBe('at-tk-two-Hh88');
    expect(token.hits).toHaveLength(2);
    // Concurrent 401s to the same token: one exchange.
    const both = await Promise.all([source.replace('at-tk-two-Hh88'), source.replace('at-tk-two-Hh88')]);
    expect(both).toEqual(['at-tk-three-Ii99', 'at-tk-three-Ii99']);
    expect(token.hits).toHaveLength(3);
  });

  test('a 503 from Launchpad is retried (max_retries), then the exchange succeeds', async () => {
    const { source } = makeSource({ max_retries: 2 });
    const token = recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, (i) =>
      i < 2 ? [503, { error: 'unavailable' }] : [200, { access_token: 'at-tk-late-Jj00', expires_in: 3600 }, { 'content-type': 'application/json' }],
    );
    await expect(source.refresh()).resolves.toBe('at-tk-late-Jj00');
    expect(token.hits).toHaveLength(3);
  });
});

describe('rotation of the refresh token', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-token-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('with refresh_token_write_back: the new refresh token is written to the config file (atomically, 0600) and used next', async () => {
    const file = path.join(dir, 'config.json');
    const original = { account_id: 123, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: REFRESH_TOKEN, start_date: '2020-01-01T00:00:00Z' };
    fs.writeFileSync(file, JSON.stringify(original, null, 2));
    const { source, config, lines } = makeSource({ refresh_token_write_back: true, configPath: file });
    const token = mockToken(['at-tk-rot-Kk11', 'at-tk-rot-Ll22'], { refresh_token: 'rt-rotated-Mm33-refresh' });

    await source.refresh();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ ...original, refresh_token: 'rt-rotated-Mm33-refresh' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['config.json']); // no temporary file left behind
    expect(config.refresh_token).toBe('rt-rotated-Mm33-refresh');
    expect(lines.filter((l) => / INFO /.test(l))).toEqual([expect.stringContaining(`Launchpad issued a new refresh token; written back to ${file}`)]);

    await source.refresh();
    expect(form(token.hits[1]).get('refresh_token')).toBe('rt-rotated-Mm33-refresh');
    // The same token again is no rotation: nothing more is written or said.
    expect(lines.filter((l) => /new refresh token/.test(l))).toHaveLength(1);
    for (const line of lines) expect(line).not.toContain('rt-rotated-Mm33-refresh');
  });

  test('without write-back: the config file is left alone, the new token is used, and the warning comes once', async () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ refresh_token: REFRESH_TOKEN }));
    const { source, config, lines } = makeSource({ refresh_token_write_back: false, configPath: file });
    let n = 0;
    const token = recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => {
      n++;
      return [200, { access_token: `at-tk-nowb-${n}-Nn44`, refresh_token: `rt-nowb-${n}-Oo55-refresh` }, { 'content-type': 'application/json' }];
    });
    await source.refresh();
    await source.refresh();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ refresh_token: REFRESH_TOKEN });
    expect(config.refresh_token).toBe('rt-nowb-2-Oo55-refresh');
    expect(form(token.hits[1]).get('refresh_token')).toBe('rt-nowb-1-Oo55-refresh');
    expect(lines.filter((l) => / WARN /.test(l))).toEqual([
      expect.stringMatching(/WARN Launchpad issued a new refresh token; the one in your config may stop working/),
    ]);
    for (const line of lines) expect(line).not.toMatch(/rt-nowb-\d/);
  });
});

describe('a refresh that fails: one line, no secret, and the next one tries again', () => {
  const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN];

  test.each<[string, () => void, RegExp]>([
    [
      '400 invalid_grant',
      () => recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [400, { error: 'invalid_grant' }, { 'content-type': 'application/json' }]),
      /^refresh token rejected by Launchpad \(HTTP 400 invalid_grant\): the refresh token was revoked, has expired, or belongs to another client; run `tap-basecamp auth` to get a new one$/,
    ],
    [
      '401 invalid_client',
      () => recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [401, { error: 'invalid_client' }, { 'content-type': 'application/json' }]),
      /^refresh token rejected by Launchpad \(HTTP 401 invalid_client\): client_id or client_secret is wrong; run `tap-basecamp auth` to get a new one$/,
    ],
    [
      '403 with an HTML body',
      () => recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [403, '<html>no</html>', { 'content-type': 'text/html' }]),
      /^refresh token rejected by Launchpad \(HTTP 403\): the refresh token was revoked/,
    ],
    [
      '401 invalid_client with an X-Request-Id',
      () =>
        recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [
          401,
          { error: 'invalid_client' },
          { 'content-type': 'application/json', 'x-request-id': 'lp-req-42' },
        ]),
      /^refresh token rejected by Launchpad \(HTTP 401 invalid_client, X-Request-Id: lp-req-42\): client_id or client_secret is wrong;/,
    ],
    [
      'a 500 every time',
      () => recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [500, { error: 'oops' }]),
      /^token refresh failed: Launchpad answered HTTP 500$/,
    ],
    [
      'a 500 every time, with an X-Request-Id',
      () => recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [500, { error: 'oops' }, { 'x-request-id': 'lp-req-500' }]),
      /^token refresh failed: Launchpad answered HTTP 500 \(X-Request-Id: lp-req-500\)$/,
    ],
    [
      'a refused connection',
      () =>
        nock(TOKEN_ORIGIN)
          .post(TOKEN_PATH)
          .times(4)
          .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      /^token refresh failed: ECONNREFUSED reaching launchpad\.37signals\.com$/,
    ],
    [
      'a 200 without an access token',
      () => recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [200, { token_type: 'bearer' }, { 'content-type': 'application/json' }]),
      /^token refresh failed: Launchpad answered without an access_token$/,
    ],
  ])('%s', async (_what, mock, message) => {
    const { source, lines } = makeSource({ max_retries: 3 });
    mock();
    const { error } = await settle(source.current());
    expect(error).toBeInstanceOf(TapError);
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toMatch(/\n/);
    for (const text of [error!.message, ...lines]) for (const secret of SECRETS) expect(text).not.toContain(secret);

    nock.cleanAll();
    const token = mockToken(['at-tk-after-Pp66']);
    await expect(source.current()).resolves.toBe('at-tk-after-Pp66');
    expect(token.hits).toHaveLength(1);
  });

  test('a rejected refresh is not retried', async () => {
    const { source } = makeSource({ max_retries: 3 });
    const token = recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [400, { error: 'invalid_grant' }, { 'content-type': 'application/json' }]);
    await settle(source.refresh());
    expect(token.hits).toHaveLength(1);
  });
});
