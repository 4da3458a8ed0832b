/**
 * Unit tests of src/client.ts against nock: token refresh, 401 handling, retries and backoff,
 * 429 pauses (Retry-After), error messages, Link pagination, the origin check, ETags, and the
 * promise that no secret reaches a log line or an error message. Real timers throughout; the
 * backoff is shrunk to milliseconds through ClientOptions.
 */
import { Readable } from 'node:stream';
import nock from 'nock';
import { gateSpacing, parseRetryAfter, rateGate } from '../../src/client';
import { BASECAMP_2 } from '../../src/api';
import { ApiError, Interrupted, TapError } from '../../src/errors';
import {
  API_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  REFRESH_TOKEN,
  TOKEN_ORIGIN,
  TOKEN_PATH,
  USER_AGENT,
  Hit,
  drain,
  guardNock,
  json,
  makeClient,
  mockApi,
  mockToken,
  recordingScope,
  settle,
  sleep,
} from '../helpers/client-fixtures';

guardNock();

const auth = (hit: Hit): string => String(hit.headers.authorization ?? '');

// ---------------------------------------------------------------------------------------------
// Scenarios 1-4 as functions, so that test 15 can replay them all and inspect every line and
// message they produced.
// ---------------------------------------------------------------------------------------------

interface Outcome {
  lines: string[];
  messages: string[];
  tokens: string[];
}

async function scenarioRefreshThenCall(): Promise<Outcome & { tokenHits: Hit[]; apiHits: Hit[]; body: unknown }> {
  const { client, lines } = makeClient();
  const token = mockToken(['at-first-A1b2C3d4']);
  const api = mockApi('/projects.json', [json([{ id: 1 }, { id: 2 }])]);
  const body = await client.getJson('/projects.json');
  return { lines, messages: [], tokens: ['at-first-A1b2C3d4'], tokenHits: token.hits, apiHits: api.hits, body };
}

async function scenarioSingleFlight(): Promise<Outcome & { tokenHits: Hit[]; apiHits: Hit[]; bodies: unknown[] }> {
  const { client, lines } = makeClient();
  const token = mockToken(['at-shared-E5f6G7h8', 'at-second-should-not-be-used']);
  const api = mockApi('/people.json', [json([{ id: 7 }])]);
  const bodies = await Promise.all([1, 2, 3, 4, 5].map(() => client.getJson('/people.json')));
  return { lines, messages: [], tokens: ['at-shared-E5f6G7h8', 'at-second-should-not-be-used'], tokenHits: token.hits, apiHits: api.hits, bodies };
}

async function scenario401(secondAlso401: boolean) {
  const { client, lines } = makeClient();
  const tokens = ['at-old-I9j0K1l2', 'at-new-M3n4O5p6', 'at-third-Q7r8S9t0'];
  const token = mockToken(tokens);
  const api = mockApi('/projects/1.json', [
    (hit) => (!secondAlso401 && auth(hit) === `Bearer ${tokens[1]}` ? json({ id: 1 }) : [401, { error: 'unauthorized' }]),
  ]);
  const result = await settle(client.getJson('/projects/1.json'));
  return {
    lines,
    messages: result.error ? [result.error.message] : [],
    tokens,
    tokenHits: token.hits,
    apiHits: api.hits,
    result,
  };
}

async function scenarioTokenRejected(status: number, error: string) {
  const { client, lines } = makeClient();
  const token = recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, () => [status, { error }, { 'content-type': 'application/json' }]);
  const api = mockApi('/projects.json', [json([])]);
  const result = await settle(client.getJson('/projects.json'));
  return { lines, messages: result.error ? [result.error.message] : [], tokens: [], tokenHits: token.hits, apiHits: api.hits, result };
}

function expectNoSecrets(texts: string[], extraSecrets: string[] = []): void {
  for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ...extraSecrets]) {
    for (const text of texts) expect(text).not.toContain(secret);
  }
}

// ---------------------------------------------------------------------------------------------

describe('token refresh', () => {
  test('1. refreshes the token before the first API call and sends it as a Bearer token with the User-Agent', async () => {
    const { tokenHits, apiHits, body } = await scenarioRefreshThenCall();
    expect(body).toEqual([{ id: 1 }, { id: 2 }]);

    expect(tokenHits).toHaveLength(1);
    const post = tokenHits[0];
    expect(String(post.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(post.body);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe(REFRESH_TOKEN);
    expect(form.get('client_id')).toBe(CLIENT_ID);
    expect(form.get('client_secret')).toBe(CLIENT_SECRET);

    expect(apiHits).toHaveLength(1);
    expect(post.at).toBeLessThanOrEqual(apiHits[0].at);
    expect(apiHits[0].headers.authorization).toBe('Bearer at-first-A1b2C3d4');
    expect(apiHits[0].headers['user-agent']).toBe(USER_AGENT);
  });

  test('2. one refresh serves many concurrent calls (single flight)', async () => {
    const { tokenHits, apiHits, bodies } = await scenarioSingleFlight();
    expect(tokenHits).toHaveLength(1);
    expect(apiHits).toHaveLength(5);
    for (const hit of apiHits) expect(hit.headers.authorization).toBe('Bearer at-shared-E5f6G7h8');
    expect(bodies).toEqual(Array(5).fill([{ id: 7 }]));
  });

  test('3a. a 401 triggers one token refresh and one retry with the new token', async () => {
    const { tokenHits, apiHits, result } = await scenario401(false);
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual({ id: 1 });
    expect(tokenHits).toHaveLength(2);
    expect(apiHits.map(auth)).toEqual(['Bearer at-old-I9j0K1l2', 'Bearer at-new-M3n4O5p6']);
  });

  test('3b. a second 401 after the refresh fails with "access denied" (no loop)', async () => {
    const { tokenHits, apiHits, result } = await scenario401(true);
    expect(result.error).toBeInstanceOf(ApiError);
    expect((result.error as ApiError).status).toBe(401);
    expect((result.error as ApiError).kind).toBe('unauthorized');
    expect(result.error!.message).toContain('access denied');
    expect(tokenHits).toHaveLength(2);
    expect(apiHits).toHaveLength(2);
    expect(apiHits.map(auth)).toEqual(['Bearer at-old-I9j0K1l2', 'Bearer at-new-M3n4O5p6']);
  });

  test('3c. each request gets its own 401 refresh: a later request meeting a 401 also refreshes and succeeds', async () => {
    // The first request spends its refresh on a 401; a later, unrelated request whose token is
    // then rejected (revoked, say) must get its own refresh and retry rather than fail outright.
    const { client } = makeClient();
    const token = mockToken(['at-a-U1v2W3x4', 'at-b-Y5z6A7b8', 'at-c-C9d0E1f2']);
    const first = mockApi('/projects/1.json', [[401, { error: 'unauthorized' }], json({ id: 1 })]);
    const second = mockApi('/projects/2.json', [[401, { error: 'unauthorized' }], json({ id: 2 })]);

    await expect(client.getJson('/projects/1.json')).resolves.toEqual({ id: 1 });
    const later = await settle(client.getJson('/projects/2.json'));

    expect(later.error?.message).toBeUndefined();
    expect(later.value).toEqual({ id: 2 });
    expect(first.hits.map(auth)).toEqual(['Bearer at-a-U1v2W3x4', 'Bearer at-b-Y5z6A7b8']);
    expect(second.hits.map(auth)).toEqual(['Bearer at-b-Y5z6A7b8', 'Bearer at-c-C9d0E1f2']);
    expect(token.hits).toHaveLength(3);
  });

  test('3d. the one refresh on a 401 does not depend on max_retries (0 here)', async () => {
    const { client } = makeClient({ max_retries: 0 });
    const token = mockToken(['at-d-G3h4I5j6', 'at-d-K7l8M9n0']);
    const api = mockApi('/projects/4.json', [[401, { error: 'unauthorized' }], json({ id: 4 })]);
    await expect(client.getJson('/projects/4.json')).resolves.toEqual({ id: 4 });
    expect(api.hits.map(auth)).toEqual(['Bearer at-d-G3h4I5j6', 'Bearer at-d-K7l8M9n0']);
    expect(token.hits).toHaveLength(2);
    expect(client.stats.retries).toBe(0); // a refresh is not a retry after a fault
    expect(client.stats.tokenRefreshes).toBe(2);
  });

  test('3e. a 401 on a later page of a collection gets its own refresh and the walk goes on', async () => {
    const { client } = makeClient();
    const token = mockToken(['at-e-O1p2Q3r4', 'at-e-S5t6U7v8']);
    const base = `${API_URL}/123/projects.json`;
    const api = mockApi(
      (uri) => uri.startsWith('/123/projects.json'),
      [
        (hit) => {
          if (hit.path === '/123/projects.json') return json([{ id: 1 }], { link: `<${base}?page=2>; rel="next"` });
          return auth(hit) === 'Bearer at-e-S5t6U7v8' ? json([{ id: 2 }]) : [401, { error: 'unauthorized' }];
        },
      ],
    );
    await expect(drain(client.collection<{ id: number }>('/projects.json'))).resolves.toEqual([{ id: 1 }, { id: 2 }]);
    expect(api.hits.map((h) => [h.path, auth(h)])).toEqual([
      ['/123/projects.json', 'Bearer at-e-O1p2Q3r4'],
      ['/123/projects.json?page=2', 'Bearer at-e-O1p2Q3r4'],
      ['/123/projects.json?page=2', 'Bearer at-e-S5t6U7v8'],
    ]);
    expect(token.hits).toHaveLength(2);
  });

  test('4a. token endpoint 400 invalid_grant => TapError "refresh token rejected", no secret anywhere', async () => {
    const { result, tokenHits, apiHits, lines } = await scenarioTokenRejected(400, 'invalid_grant');
    expect(result.error).toBeInstanceOf(TapError);
    expect(result.error!.message).toContain('refresh token rejected');
    expect(result.error!.message).toContain('invalid_grant');
    expect(tokenHits).toHaveLength(1); // a 400 from Launchpad is not retried
    expect(apiHits).toHaveLength(0); // and no API call goes out without a token
    expectNoSecrets([result.error!.message, ...lines]);
  });

  test('4b. token endpoint 401 invalid_client => message names client_id or client_secret, no secret anywhere', async () => {
    const { result, tokenHits, apiHits, lines } = await scenarioTokenRejected(401, 'invalid_client');
    expect(result.error).toBeInstanceOf(TapError);
    expect(result.error!.message).toMatch(/client_id or client_secret/);
    expect(tokenHits).toHaveLength(1);
    expect(apiHits).toHaveLength(0);
    expectNoSecrets([result.error!.message, ...lines]);
  });

  test("4c. a rejected refresh surfaces as the refresh's own one-line TapError, not wrapped in an HTTP error", async () => {
    // toApiError means to pass a TapError raised inside a request hook through unchanged; the
    // user should read the Launchpad explanation, not "... on GET /path after 3 retries (...)".
    const { result } = await scenarioTokenRejected(400, 'invalid_grant');
    expect(result.error).toBeInstanceOf(TapError);
    expect(result.error).not.toBeInstanceOf(ApiError);
    expect(result.error!.message).toMatch(/^refresh token rejected by Launchpad \(HTTP 400 invalid_grant\)/);
    expect(result.error!.message).not.toContain('retries');
  });
});

describe('stop()', () => {
  test('after stop(), a new request fails with Interrupted and nothing is sent', async () => {
    const { client } = makeClient();
    const token = mockToken(['at-stop-G3h4I5j6']);
    const api = mockApi('/projects.json', [json([])]);
    await client.getJson('/projects.json');
    client.stop('SIGTERM');
    const result = await settle(client.getJson('/projects.json'));
    expect(result.error).toBeInstanceOf(Interrupted);
    expect((result.error as Interrupted).signal).toBe('SIGTERM');
    expect(api.hits).toHaveLength(1);
    expect(token.hits).toHaveLength(1);
  });
});

describe('429 and Retry-After', () => {
  test('5a. 429 with Retry-After: 1 waits at least 1 s before the retry, then succeeds', async () => {
    const { client, lines } = makeClient();
    mockToken(['at-rl-K7l8M9n0']);
    const api = mockApi('/projects.json', [[429, { error: 'slow down' }, { 'retry-after': '1' }], json([{ id: 1 }])]);
    const started = Date.now();
    await expect(client.getJson('/projects.json')).resolves.toEqual([{ id: 1 }]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
    expect(api.hits).toHaveLength(2);
    expect(api.hits[1].at - api.hits[0].at).toBeGreaterThanOrEqual(1000);
    expect(lines.some((l) => /WARN rate limited on \/123\/projects\.json/.test(l))).toBe(true);
  });

  test('5c. the 429 warning says what to do: lower max_requests_per_10s, or look for another client on the account', async () => {
    const { client, lines } = makeClient();
    mockToken(['at-rl-C5d6E7f8']);
    mockApi('/projects.json', [[429, { error: 'slow down' }, { 'retry-after': '1' }], json([])]);
    await expect(client.getJson('/projects.json')).resolves.toEqual([]);
    const warnings = lines.filter((l) => / WARN /.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WARN rate limited on \/123\/projects\.json: pausing all requests for 1\.0 s \(Retry-After\); /);
    expect(warnings[0]).toMatch(/lower max_requests_per_10s/);
    expect(warnings[0]).toMatch(/another client using this account/);
  });

  test('5b. the 429 pause is global: a request started while paused waits out the same window', async () => {
    const { client } = makeClient();
    mockToken(['at-rl-O1p2Q3r4']);
    let got429!: () => void;
    const a429 = new Promise<void>((resolve) => (got429 = resolve));
    const a = mockApi('/a.json', [
      () => {
        got429();
        return [429, { error: 'slow down' }, { 'retry-after': '1' }];
      },
      json({ a: true }),
    ]);
    const b = mockApi('/b.json', [json({ b: true })]);

    const pa = client.getJson('/a.json');
    await a429;
    await sleep(100);
    const bStarted = Date.now();
    const pb = client.getJson('/b.json');
    await expect(Promise.all([pa, pb])).resolves.toEqual([{ a: true }, { b: true }]);

    expect(a.hits).toHaveLength(2);
    expect(b.hits).toHaveLength(1);
    const windowEnd = a.hits[0].at + 1000;
    expect(a.hits[1].at).toBeGreaterThanOrEqual(windowEnd);
    // B was started ~100 ms into A's pause, yet reached the server only once that pause was over.
    expect(bStarted).toBeLessThan(windowEnd - 500);
    expect(b.hits[0].at).toBeGreaterThanOrEqual(windowEnd);
  });

  test('6a. Retry-After as an HTTP date 1-2 s ahead is honoured', async () => {
    const { client } = makeClient();
    mockToken(['at-rl-S5t6U7v8']);
    await client.refreshToken(); // keep the token POST out of the measurement
    const date = new Date(Date.now() + 2000).toUTCString(); // whole seconds: 1-2 s ahead
    const until = Date.parse(date);
    const api = mockApi('/projects.json', [[429, { error: 'slow down' }, { 'retry-after': date }], json([])]);
    const started = Date.now();
    expect(until - started).toBeGreaterThan(900);
    await expect(client.getJson('/projects.json')).resolves.toEqual([]);
    const elapsed = Date.now() - started;
    expect(api.hits).toHaveLength(2);
    expect(api.hits[1].at).toBeGreaterThanOrEqual(until);
    expect(elapsed).toBeGreaterThanOrEqual(until - started);
    expect(elapsed).toBeLessThan(3000);
  });

  test.each(['garbage', '0', '-3'])('6b. Retry-After %p falls back to the short backoff', async (value) => {
    const { client, lines } = makeClient();
    mockToken(['at-rl-W9x0Y1z2']);
    await client.refreshToken();
    const api = mockApi('/projects.json', [[429, { error: 'slow down' }, { 'retry-after': value }], json([{ id: 3 }])]);
    const started = Date.now();
    await expect(client.getJson('/projects.json')).resolves.toEqual([{ id: 3 }]);
    const elapsed = Date.now() - started;
    expect(api.hits).toHaveLength(2);
    expect(elapsed).toBeLessThan(400);
    expect(lines.some((l) => /WARN HTTP 429 on \/123\/projects\.json; retry 1\//.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('pausing all requests'))).toBe(false);
    expect(lines.some((l) => /WARN HTTP 429 .*lower max_requests_per_10s/.test(l))).toBe(true);
  });
});

describe('retries', () => {
  test.each([500, 502, 503, 504])('7a. %p then 200 succeeds after a backoff', async (status) => {
    const { client, lines } = makeClient();
    mockToken(['at-5xx-A3b4C5d6']);
    const api = mockApi('/projects.json', [[status, { error: 'oops' }], json([{ id: 9 }])]);
    await expect(client.getJson('/projects.json')).resolves.toEqual([{ id: 9 }]);
    expect(api.hits).toHaveLength(2);
    expect(lines.some((l) => l.includes(`WARN HTTP ${status} on /123/projects.json; retry 1/`))).toBe(true);
    expect(client.stats.retries).toBe(1);
  });

  test('7b. a network fault (ECONNRESET) then 200 succeeds', async () => {
    const { client, lines } = makeClient();
    mockToken(['at-net-E7f8G9h0']);
    const fault = nock(API_URL)
      .get('/123/projects.json')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })); // nock 14 emits Error objects only
    const api = mockApi('/projects.json', [json([{ id: 4 }])]);
    await expect(client.getJson('/projects.json')).resolves.toEqual([{ id: 4 }]);
    expect(fault.isDone()).toBe(true);
    expect(api.hits).toHaveLength(1);
    expect(lines.some((l) => l.includes('WARN ECONNRESET on /123/projects.json; retry 1/'))).toBe(true);
  });

  test('8. gives up after max_retries: 4 x 503 => ApiError naming the path and status, exactly 4 requests', async () => {
    const { client } = makeClient();
    mockToken(['at-503-I1j2K3l4']);
    const api = mockApi('/projects.json', [[503, { error: 'unavailable' }]]);
    const { error } = await settle(client.getJson('/projects.json'));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).kind).toBe('server');
    expect((error as ApiError).path).toBe('/123/projects.json');
    expect(error!.message).toContain('/123/projects.json');
    expect(error!.message).toContain('503');
    await sleep(100); // nothing more trickles in after the rejection
    expect(api.hits).toHaveLength(4);
  });

  test('9. 404 with "Reason: Account Inactive" => inactive-account message, not retried', async () => {
    const { client } = makeClient();
    mockToken(['at-404-M5n6O7p8']);
    const api = mockApi('/projects.json', [[404, { error: 'not found' }, { Reason: 'Account Inactive' }]]);
    const { error } = await settle(client.getJson('/projects.json'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.message).toBe('Basecamp account 123 is inactive (expired trial or suspended)');
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).kind).toBe('account_inactive');
    expect(api.hits).toHaveLength(1);
  });

  test.each([404, 400])('10. a plain %p => ApiError with that status, not retried', async (status) => {
    const { client } = makeClient();
    mockToken(['at-4xx-Q9r0S1t2']);
    const api = mockApi('/projects/5.json', [[status, { error: 'nope' }]]);
    const { error } = await settle(client.getJson('/projects/5.json'));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).kind).toBe(status === 404 ? 'not_found' : 'bad_request');
    expect(error!.message).toContain(`HTTP ${status}`);
    expect(error!.message).toContain('/123/projects/5.json');
    expect(error!.message).not.toContain('inactive');
    expect(api.hits).toHaveLength(1);
  });
});

/**
 * A 200 whose headers promise all of `text` (Content-Length) but whose connection dies after
 * `sent` bytes, as Node reports it ('aborted', ECONNRESET). Each call answers `times` requests.
 */
function mockCut(path: string | ((uri: string) => boolean), text: string, sent: number, times = 1): nock.Scope {
  const match = typeof path === 'string' ? `/123${path}` : path;
  const body = () => {
    let pushed = false;
    return new Readable({
      read() {
        if (pushed) return void this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        pushed = true;
        this.push(text.slice(0, sent));
      },
    });
  };
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  return nock(API_URL).get(match).times(times).reply(200, body, headers);
}

describe('body faults: a 200 cut off after its headers, or not JSON', () => {
  const PROJECT = JSON.stringify({ id: 1, name: 'Alpha', description: 'first' });

  test('16a. a body cut after the headers is retried like a dropped connection, and the call succeeds', async () => {
    const { client, lines } = makeClient();
    mockToken(['at-cut-A8s7D6f5']);
    const cut = mockCut('/projects/1.json', PROJECT, 12);
    const api = mockApi('/projects/1.json', [json(JSON.parse(PROJECT))]);
    await expect(client.getJson('/projects/1.json')).resolves.toEqual({ id: 1, name: 'Alpha', description: 'first' });
    expect(cut.isDone()).toBe(true);
    expect(api.hits).toHaveLength(1);
    expect(client.stats.retries).toBe(1);
    expect(lines.some((l) => l.includes('WARN ECONNRESET reading the body of HTTP 200 on /123/projects/1.json; retry 1/3'))).toBe(true);
  });

  test.each([
    ['truncated JSON', PROJECT.slice(0, 15)],
    ['an HTML page', '<html><body>upstream hiccup</body></html>'],
  ])('16b. a 200 whose body is %s is retried, and the call succeeds', async (_what, body) => {
    const { client, lines } = makeClient();
    mockToken(['at-bad-G4h3J2k1']);
    const api = mockApi('/projects/1.json', [[200, body], json(JSON.parse(PROJECT))]);
    await expect(client.getJson('/projects/1.json')).resolves.toEqual({ id: 1, name: 'Alpha', description: 'first' });
    expect(api.hits).toHaveLength(2);
    expect(client.stats.retries).toBe(1);
    expect(lines.some((l) => l.includes('WARN invalid JSON in HTTP 200 on /123/projects/1.json; retry 1/3'))).toBe(true);
  });

  test.each(['cut', 'not JSON'])('16c. a later page of a collection that comes back %s is read again: every item exactly once', async (fault) => {
    const { client } = makeClient();
    mockToken(['at-pgf-L0z9X8c7']);
    const base = `${API_URL}/123/projects.json`;
    const page2 = json([{ id: 3 }, { id: 4 }], { link: `<${base}?page=3>; rel="next"` });
    const isPage2 = (uri: string) => uri === '/123/projects.json?page=2';
    // Registered first, so the faulty answer is the first one page 2 gets.
    const cut = fault === 'cut' ? mockCut(isPage2, JSON.stringify(page2[1]), 9) : undefined;
    let page2Answers = 0;
    const api = mockApi(
      (uri) => uri.startsWith('/123/projects.json'),
      [
        (hit) => {
          switch (hit.path) {
            case '/123/projects.json':
              return json([{ id: 1 }, { id: 2 }], { link: `<${base}?page=2>; rel="next"` });
            case '/123/projects.json?page=2':
              return fault === 'not JSON' && page2Answers++ === 0 ? [200, '[{"id":3},{"i', page2[2]] : page2;
            case '/123/projects.json?page=3':
              return json([{ id: 5 }]);
            default:
              return [500, { error: `unexpected ${hit.path}` }];
          }
        },
      ],
    );
    const items = await drain(client.collection<{ id: number }>('/projects.json'));
    expect(items.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
    if (cut) expect(cut.isDone()).toBe(true);
    const served = api.hits.map((h) => h.path);
    expect(served).toEqual(
      fault === 'cut'
        ? ['/123/projects.json', '/123/projects.json?page=2', '/123/projects.json?page=3']
        : ['/123/projects.json', '/123/projects.json?page=2', '/123/projects.json?page=2', '/123/projects.json?page=3'],
    );
    expect(client.stats.retries).toBe(1);
  });

  test.each([
    ['cut', 'ECONNRESET reading the body of HTTP 200 on GET /123/projects/1.json after 3 retries (The server aborted pending request)'],
    ['not JSON', 'invalid JSON in HTTP 200 on GET /123/projects/1.json after 3 retries'],
  ])('16d. a body that comes back %s every time: 1 + max_retries requests, then one line', async (fault, message) => {
    const { client, lines } = makeClient();
    mockToken(['at-end-Q1w2E3r4']);
    const cut = fault === 'cut' ? mockCut('/projects/1.json', PROJECT, 20, 4) : undefined;
    const api = fault === 'cut' ? undefined : mockApi('/projects/1.json', [[200, `${PROJECT.slice(0, 20)}\n<html>\n`]]);
    const { error } = await settle(client.getJson('/projects/1.json'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.message).toBe(message);
    expect((error as ApiError).status).toBeUndefined();
    expect((error as ApiError).kind).toBe(fault === 'cut' ? 'network' : 'bad_response');
    expect((error as ApiError).path).toBe('/123/projects/1.json');
    await sleep(100); // nothing more trickles in after the rejection
    if (cut) expect(cut.isDone()).toBe(true); // all 4 used; a 5th would be an unmatched request
    if (api) expect(api.hits).toHaveLength(4);
    expect(client.stats.retries).toBe(3);
    // The same fault at the same host, three times within a minute: said once.
    expect(lines.filter((l) => / WARN /.test(l))).toHaveLength(1);
    expectNoSecrets([error!.message, ...lines], ['at-end-Q1w2E3r4']);
  });

  test('16e. on a collection too: a page cut every time fails in one line naming that page', async () => {
    const { client } = makeClient({ max_retries: 1 });
    mockToken(['at-endpg-T5y6U7i8']);
    const base = `${API_URL}/123/projects.json`;
    const cut = mockCut((uri) => uri === '/123/projects.json?page=2', '[{"id":3},{"id":4}]', 5, 2);
    mockApi('/projects.json', [json([{ id: 1 }], { link: `<${base}?page=2>; rel="next"` })]);
    const seen: number[] = [];
    const { error } = await settle(
      (async () => {
        for await (const item of client.collection<{ id: number }>('/projects.json')) seen.push(item.id);
      })(),
    );
    expect(seen).toEqual([1]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.message).toBe(
      'ECONNRESET reading the body of HTTP 200 on GET /123/projects.json?page=2 after 1 retries (The server aborted pending request)',
    );
    expect(cut.isDone()).toBe(true);
  });
});

describe('pagination', () => {
  const base = `${API_URL}/123/projects.json`;
  const onProjects = (uri: string) => uri.startsWith('/123/projects.json');

  test('11. follows Link rel="next" through three pages, requesting only the linked URLs', async () => {
    const { client } = makeClient();
    mockToken(['at-pg-U3v4W5x6']);
    // Query values the client could not make up on its own, so following the header is provable.
    const page2 = `${base}?page=2&cursor=k7`;
    const page3 = `${base}?page=3&cursor=q9`;
    const api = mockApi(onProjects, [
      (hit) => {
        switch (hit.path) {
          case '/123/projects.json':
            return json([{ id: 1 }, { id: 2 }], { link: `<${page2}>; rel="next"` });
          case '/123/projects.json?page=2&cursor=k7':
            return json([{ id: 3 }, { id: 4 }], { link: `<${base}?page=1>; rel="prev", <${page3}>; rel="next"` });
          case '/123/projects.json?page=3&cursor=q9':
            return json([{ id: 5 }]);
          default:
            return [500, { error: `unexpected ${hit.path}` }];
        }
      },
    ]);
    const collection = client.collection<{ id: number }>('/projects.json');
    const items = await drain(collection);
    expect(items.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
    expect(api.hits.map((h) => h.path)).toEqual(['/123/projects.json', '/123/projects.json?page=2&cursor=k7', '/123/projects.json?page=3&cursor=q9']);
    for (const hit of api.hits) expect(hit.headers.authorization).toBe('Bearer at-pg-U3v4W5x6');
    expect(collection.pagesRead).toBe(3);
  });

  test("11b. each METRIC http_request_duration line carries its page's query string, redacted like every line", async () => {
    const { client, lines } = makeClient();
    mockToken(['at-pg-Q1r2S3t4']);
    const page2 = `${base}?status=archived&page=2&access_token=leaked-Zz9`;
    mockApi(onProjects, [(hit) => (hit.path.includes('page=2') ? json([{ id: 2 }]) : json([{ id: 1 }], { link: `<${page2}>; rel="next"` }))]);
    await drain(client.collection<{ id: number }>('/projects.json?status=archived'));
    const tags = lines
      .filter((l) => l.startsWith('METRIC: ') && l.includes('"http_request_duration"'))
      .map((l) => (JSON.parse(l.slice('METRIC: '.length)) as { tags: Record<string, unknown> }).tags);
    expect(tags.map((t) => [t.endpoint, t.query])).toEqual([
      ['/:id/projects.json', 'status=archived'],
      ['/:id/projects.json', 'status=archived&page=2&access_token=[redacted]'],
    ]);
    expect(lines.join('\n')).not.toContain('leaked-Zz9');
  });

  test.each([
    ['another host', 'https://evil.example.com', 'https://evil.example.com/123/projects.json?page=2'],
    ['another scheme', 'http://3.basecampapi.com', 'http://3.basecampapi.com/123/projects.json?page=2'],
    ['another port', 'https://3.basecampapi.com:8443', 'https://3.basecampapi.com:8443/123/projects.json?page=2'],
  ])('12. a next link to %s is refused and never requested', async (_what, origin, link) => {
    const { client } = makeClient();
    mockToken(['at-pg-Y7z8A9b0']);
    const api = mockApi(onProjects, [json([{ id: 1 }], { link: `<${link}>; rel="next"` })]);
    const foreign = recordingScope(
      origin,
      'GET',
      () => true,
      () => [200, '[{"id":666}]', { 'content-type': 'application/json' }],
    );

    const seen: number[] = [];
    const { error } = await settle(
      (async () => {
        for await (const item of client.collection<{ id: number }>('/projects.json')) seen.push(item.id);
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain('another origin');
    expect(error!.message).not.toContain('at-pg-Y7z8A9b0');
    expect(foreign.hits).toHaveLength(0);
    expect(api.hits).toHaveLength(1);
    expect(seen).not.toContain(666);
  });

  test('12b. a redirect to another origin is refused and never followed', async () => {
    const { client } = makeClient();
    mockToken(['at-rd-Q1w2E3r4']);
    mockApi('/account.json', [[302, '', { location: 'https://evil.example.com/steal.json' }]]);
    const foreign = recordingScope(
      'https://evil.example.com',
      'GET',
      () => true,
      () => [200, '{}'],
    );
    const { error } = await settle(client.getJson('/account.json'));
    expect(error!.message).toMatch(/refusing to follow a redirect from \/123\/account.json to another origin \(https:\/\/evil.example.com\)/);
    expect(foreign.hits).toHaveLength(0);
  });

  test('13a. an etag is sent as If-None-Match; a 304 yields nothing and sets notModified', async () => {
    const { client } = makeClient();
    mockToken(['at-et-C1d2E3f4']);
    const api = mockApi('/projects.json', [(hit) => (hit.headers['if-none-match'] === '"abc"' ? [304, ''] : json([{ id: 1 }]))]);
    const collection = client.collection('/projects.json', '"abc"');
    const items = await drain(collection);
    expect(api.hits).toHaveLength(1);
    expect(api.hits[0].headers['if-none-match']).toBe('"abc"');
    expect(items).toEqual([]);
    expect(collection.notModified).toBe(true);
    expect(client.stats.notModified).toBe(1);
  });

  test('13b. a single-page 200 with an ETag sets collection.etag', async () => {
    const { client } = makeClient();
    mockToken(['at-et-G5h6I7j8']);
    const api = mockApi('/projects.json', [json([{ id: 1 }], { etag: 'W/"v2"' })]);
    const collection = client.collection('/projects.json', '"old"');
    const items = await drain(collection);
    expect(items).toEqual([{ id: 1 }]);
    expect(api.hits).toHaveLength(1);
    expect(collection.notModified).toBe(false);
    expect(collection.etag).toBe('W/"v2"');
  });

  test('13c. a multi-page collection leaves etag undefined', async () => {
    const { client } = makeClient();
    mockToken(['at-et-K9l0M1n2']);
    mockApi(onProjects, [
      (hit) =>
        hit.path === '/123/projects.json' ? json([{ id: 1 }], { etag: '"p1"', link: `<${base}?page=2>; rel="next"` }) : json([{ id: 2 }], { etag: '"p2"' }),
    ]);
    const collection = client.collection('/projects.json');
    const items = await drain(collection);
    expect(items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(collection.pagesRead).toBe(2);
    expect(collection.etag).toBeUndefined();
    expect(collection.notModified).toBe(false);
  });

  test('13d. If-None-Match goes with the first request only, not with the pages that follow', async () => {
    // The stored etag belongs to the first page of an earlier read; sending it with page 2 could
    // turn page 2 into a 304, silently dropping its items and flagging the collection unchanged.
    const { client } = makeClient();
    mockToken(['at-et-O3p4Q5r6']);
    const api = mockApi(onProjects, [
      (hit) => (hit.path === '/123/projects.json' ? json([{ id: 1 }], { etag: '"new1"', link: `<${base}?page=2>; rel="next"` }) : json([{ id: 2 }])),
    ]);
    const items = await drain(client.collection('/projects.json', '"abc"'));
    expect(items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(api.hits).toHaveLength(2);
    expect(api.hits[0].headers['if-none-match']).toBe('"abc"');
    expect(api.hits[1].headers['if-none-match']).toBeUndefined();
  });
});

describe('14. parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  test.each<[string | string[] | undefined, number | undefined]>([
    ['3', 3000],
    ['120', 120_000],
    [' 2 ', 2000],
    ['1.5', 1500],
    ['0.0004', 1],
    [['2', '9'], 2000],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5000],
    ['Wed, 21 Oct 2015 07:30:00 GMT', 120_000],
    ['Wed, 21 Oct 2015 07:27:59 GMT', undefined],
    ['Wed, 21 Oct 2015 07:28:00 GMT', undefined],
    ['0', undefined],
    ['-3', undefined],
    ['-3.5', undefined],
    ['garbage', undefined],
    ['', undefined],
    ['1,5', undefined],
    [undefined, undefined],
  ])('parseRetryAfter(%p) = %p', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test('parseRetryAfter reads an HTTP date against the real clock by default', () => {
    const ahead = parseRetryAfter(new Date(Date.now() + 10_000).toUTCString());
    expect(ahead).toBeGreaterThan(8000);
    expect(ahead).toBeLessThanOrEqual(10_000);
    expect(parseRetryAfter(new Date(Date.now() - 10_000).toUTCString())).toBeUndefined();
  });
});

describe('15. secrets', () => {
  test('no log line or error message from scenarios 1-4 holds the client secret, refresh token or an access token', async () => {
    const outcomes: Outcome[] = [];
    const refresh = await scenarioRefreshThenCall();
    outcomes.push(refresh);
    nock.cleanAll();
    outcomes.push(await scenarioSingleFlight());
    nock.cleanAll();
    outcomes.push(await scenario401(false));
    nock.cleanAll();
    const denied = await scenario401(true);
    outcomes.push(denied);
    nock.cleanAll();
    const grant = await scenarioTokenRejected(400, 'invalid_grant');
    outcomes.push(grant);
    nock.cleanAll();
    outcomes.push(await scenarioTokenRejected(401, 'invalid_client'));

    const lines = outcomes.flatMap((o) => o.lines);
    const messages = outcomes.flatMap((o) => o.messages);
    const accessTokens = outcomes.flatMap((o) => o.tokens);
    // The check must have something to look at: lines were logged, three calls failed, and the
    // tokens really were used on the wire.
    expect(lines.some((l) => l.includes('access token refreshed'))).toBe(true);
    expect(lines.some((l) => l.startsWith('METRIC: '))).toBe(true);
    expect(messages).toHaveLength(3);
    expect(refresh.apiHits[0].headers.authorization).toBe(`Bearer ${refresh.tokens[0]}`);

    const all = [...lines, ...messages].join('\n');
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ...accessTokens]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/Bearer\s+(?!\[redacted\])\S/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Basecamp 2 collections (useApi(BASECAMP_2))', () => {
  const BCX = 'https://basecamp.com';
  const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, updated_at: '2024-01-01T00:00:00-05:00' }));
  const bcxClient = () => {
    const h = makeClient({ api_url: BCX, api_url_given: true });
    h.client.useApi(BASECAMP_2, h.config);
    return h;
  };

  it('pages with ?page=N until a page holds fewer than 50, under {api_url}/{account}/api/v1', async () => {
    mockToken(['tok']);
    const hits: string[] = [];
    nock(BCX)
      .get(/\/123\/api\/v1\/projects\/1\/topics\.json/)
      .times(5)
      .reply(function (uri) {
        hits.push(uri);
        const n = Number(new URL(uri, BCX).searchParams.get('page') ?? '1');
        return [200, n < 3 ? items(n * 100, 50) : items(999, 7), { 'content-type': 'application/json' }];
      });
    const got = await drain(bcxClient().client.collection('/projects/1/topics.json'));
    expect(got).toHaveLength(107);
    // Then the pages before the last once more, last first (the check for records that slid back).
    expect(hits).toEqual([
      '/123/api/v1/projects/1/topics.json',
      '/123/api/v1/projects/1/topics.json?page=2',
      '/123/api/v1/projects/1/topics.json?page=3',
      '/123/api/v1/projects/1/topics.json?page=2',
      '/123/api/v1/projects/1/topics.json',
    ]);
  });

  it('a record leaving the list between two pages: the pages before the last are read again, last first', async () => {
    mockToken(['tok']);
    // 60 records; record 3 leaves after page 1 is read, so record 50 slides onto page 1.
    let left = false;
    const list = () => items(1, 60).filter((x) => !(left && x.id === 3));
    const hits: string[] = [];
    nock(BCX)
      .get(/\/123\/api\/v1\/projects\/1\/attachments\.json/)
      .times(3)
      .reply(function (uri) {
        hits.push(uri);
        const page = Number(new URL(uri, BCX).searchParams.get('page') ?? '1');
        const body = list().slice((page - 1) * 50, page * 50);
        if (page === 1) left = true;
        return [200, body, { 'content-type': 'application/json' }];
      });
    const h = bcxClient();
    const got = (await drain(h.client.collection('/projects/1/attachments.json'))).map((x) => (x as { id: number }).id);
    expect([...got].sort((a, b) => a - b)).toEqual(items(1, 60).map((x) => x.id));
    expect(hits).toEqual([
      '/123/api/v1/projects/1/attachments.json',
      '/123/api/v1/projects/1/attachments.json?page=2',
      '/123/api/v1/projects/1/attachments.json',
    ]);
    expect(h.client.stats.rechecked).toBe(1);
  });

  it('a log (onlyGrows) is not read again, nor is a one-page list', async () => {
    mockToken(['tok']);
    const scope = nock(BCX)
      .get(/\/123\/api\/v1\/events\.json/)
      .times(2)
      .reply(function (uri) {
        const page = Number(new URL(uri, BCX).searchParams.get('page') ?? '1');
        return [200, page === 1 ? items(1, 50) : items(51, 3), { 'content-type': 'application/json' }];
      });
    const h = bcxClient();
    expect(await drain(h.client.collection('/events.json?since=x', undefined, undefined, true))).toHaveLength(53);
    expect(scope.isDone()).toBe(true);
    expect(h.client.stats.rechecked).toBe(0);
  });

  it('a list that answers the same 50 whatever the page is read three times (the second repeats, the check goes back), not forever', async () => {
    mockToken(['tok']);
    const scope = nock(BCX)
      .get(/\/123\/api\/v1\/projects\/1\/documents\.json/)
      .times(3)
      .reply(200, items(1, 50), { 'content-type': 'application/json' });
    const got = await drain(bcxClient().client.collection('/projects/1/documents.json'));
    expect(got.map((x) => (x as { id: number }).id)).toEqual(items(1, 50).map((x) => x.id));
    expect(scope.isDone()).toBe(true);
  });

  it('/projects.json is read once, even with exactly 50 projects', async () => {
    mockToken(['tok']);
    nock(BCX).get('/123/api/v1/projects.json').once().reply(200, items(1, 50), { 'content-type': 'application/json' });
    expect(await drain(bcxClient().client.collection('/projects.json'))).toHaveLength(50);
  });

  it("Launchpad's accounts come from authorization.json on the token endpoint's origin, with the bearer token", async () => {
    mockToken(['tok-launch']);
    const seen: string[] = [];
    nock(TOKEN_ORIGIN)
      .get('/authorization.json')
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [
          200,
          { accounts: [{ id: 1, product: 'bc3', name: 'A', href: 'x' }, { id: '2', product: 'bcx', name: 'B' }, { product: 'bcx' }] },
          { 'content-type': 'application/json' },
        ];
      });
    const { client } = makeClient();
    await client.refreshToken();
    expect(await client.launchpadAccounts()).toEqual([
      { id: 1, product: 'bc3', name: 'A', href: 'x' },
      { id: 2, product: 'bcx', name: 'B' },
    ]);
    expect(seen).toEqual(['Bearer tok-launch']);
  });
});

describe('the rate gate', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps every run of limit + 1 starts over 10 s apart, however the requests come (a moving window, not fixed ones)', async () => {
    jest.useFakeTimers({ now: 0 });
    const gate = rateGate(50);
    const starts: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const start = () => gate.add(async () => void starts.push(Date.now()));
    // A long request keeps the gate busy; then requests come late in a window, and in bursts.
    void gate.add(() => held);
    await jest.advanceTimersByTimeAsync(400);
    for (let i = 0; i < 60; i++) void start();
    await jest.advanceTimersByTimeAsync(3_000);
    for (let i = 0; i < 60; i++) void start();
    await jest.advanceTimersByTimeAsync(60_000);
    release();
    const all = [0, ...starts];
    expect(all).toHaveLength(121);
    for (let i = 50; i < all.length; i++) expect(all[i]! - all[i - 50]!).toBeGreaterThanOrEqual(10_000);
  });

  it.each([
    [50, 1, 204],
    [500, 5, 102],
    [1000, 10, 102],
    [7, 1, 1458],
  ])('%i per 10 s: %i starts every %i ms, never over the limit, within 1%% of it less the 2%% margin', (per10s, cap, interval) => {
    expect(gateSpacing(per10s)).toEqual({ cap, intervalMs: interval });
    const perTenSeconds = (cap * 10_000) / interval;
    expect(perTenSeconds).toBeLessThanOrEqual(per10s);
    expect(perTenSeconds).toBeGreaterThan(per10s * 0.97);
  });
});

describe('odd answers', () => {
  const base = `${API_URL}/123/projects.json`;
  const onProjects = (uri: string) => uri.startsWith('/123/projects.json');

  async function drainError(client: ReturnType<typeof makeClient>['client']): Promise<{ seen: number[]; error?: Error }> {
    const seen: number[] = [];
    const { error } = await settle(
      (async () => {
        for await (const item of client.collection<{ id: number }>('/projects.json')) seen.push(item.id);
      })(),
    );
    return { seen, error };
  }

  test.each([
    ['an empty next target first', '<>; rel="next", <https://3.basecampapi.com/123/projects.json?page=2>; rel="next"', /names an empty rel="next" target/],
    ['a malformed header', '>x</123/projects.json?page=2>; rel="next"', /Link header does not parse/],
    ['two next targets that disagree', `<${base}?page=2>; rel="next", <${base}?page=3>; rel="next"`, /names 2 different rel="next" pages/],
  ])('17a. %s: one error line with the request id, after one request', async (_what, link, why) => {
    const { client } = makeClient();
    mockToken(['at-odd-A1s2D3f4']);
    const api = mockApi(onProjects, [json([{ id: 1 }, { id: 2 }], { link, 'x-request-id': 'req-link-1' })]);
    const { error } = await drainError(client);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('bad_response');
    expect(error!.message).toMatch(why);
    expect(error!.message).toMatch(
      /^cannot follow the pages of \/123\/projects\.json: .*; stopping rather than loop or leave records out \(X-Request-Id: req-link-1\)$/,
    );
    expect(api.hits).toHaveLength(1);
  });

  test('17b. a next link back to a page already read ends the walk, naming that page', async () => {
    const { client } = makeClient();
    mockToken(['at-odd-G5h6J7k8']);
    const api = mockApi(onProjects, [
      (hit) =>
        hit.path === '/123/projects.json' ? json([{ id: 1 }], { link: `<${base}?page=2>; rel="next"` }) : json([{ id: 2 }], { link: `<${base}>; rel="next"` }),
    ]);
    const { seen, error } = await drainError(client);
    expect(error!.message).toBe(
      'cannot follow the pages of /123/projects.json?page=2: the next page its Link header names, /123/projects.json, is page 1 of this walk, already read; stopping rather than loop or leave records out',
    );
    expect(api.hits).toHaveLength(2);
    expect(seen).toEqual([1]);
  });

  test('17c. a Link header on the last page without rel="next" is the normal end', async () => {
    const { client } = makeClient();
    mockToken(['at-odd-L9z8X7c6']);
    mockApi(onProjects, [
      (hit) =>
        hit.path === '/123/projects.json'
          ? json([{ id: 1 }], { link: `<${base}?page=2>; rel="next"` })
          : json([{ id: 2 }], { link: `<${base}>; rel="first", <${base}>; rel="prev"` }),
    ]);
    const { seen, error } = await drainError(client);
    expect(error).toBeUndefined();
    expect(seen).toEqual([1, 2]);
  });

  test('17d. an id above 2^53 - 1: one line naming the field and the digits sent, not retried', async () => {
    const { client, lines } = makeClient();
    mockToken(['at-odd-V5b4N3m2']);
    const body = '[{"id":1,"url":"x/1.json"},{"id":9007199254740993,"url":"x/9007199254740993.json"}]';
    const api = mockApi(onProjects, [[200, body, { 'x-request-id': 'req-big-1' }]]);
    const { seen, error } = await drainError(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.message).toBe(
      'GET /123/projects.json answered [1].id = 9007199254740993, above 2^53 - 1, which the tap cannot write exactly; stopping rather than write a different number (X-Request-Id: req-big-1)',
    );
    expect(seen).toEqual([]);
    await sleep(50);
    expect(api.hits).toHaveLength(1);
    expect(lines.filter((l) => / WARN /.test(l))).toEqual([]);
  });

  test('17e. 16-digit runs that are safe, or inside strings, pass untouched', async () => {
    const { client } = makeClient();
    mockToken(['at-odd-Q1a2Z3x4']);
    const body = '[{"id":9007199254740991,"sgid":"BAh9007199254740993999","n":-9007199254740991}]';
    mockApi(onProjects, [[200, body]]);
    const { seen, error } = await drainError(client);
    expect(error).toBeUndefined();
    expect(seen).toEqual([9007199254740991]);
  });

  test('17f. a failed request keeps the X-Request-Id of its last answer in the error line', async () => {
    const { client } = makeClient({ max_retries: 2 });
    mockToken(['at-odd-W3e4R5t6']);
    let n = 0;
    mockApi('/projects.json', [() => [503, { error: 'busy' }, { 'x-request-id': `req-503-${++n}` }]]);
    const { error } = await settle(client.getJson('/projects.json'));
    expect(error!.message).toBe('HTTP 503 on GET /123/projects.json after 2 retries (X-Request-Id: req-503-3)');
    expect((error as ApiError).requestId).toBe('req-503-3');
  });

  test('17g. retry warnings: once per kind of fault and host, however many requests retry', async () => {
    const { client, lines } = makeClient({ max_retries: 3 });
    mockToken(['at-odd-Y7u8I9o0']);
    mockApi((uri) => uri.startsWith('/123/a'), [[503, { error: 'busy' }]]);
    mockApi((uri) => uri.startsWith('/123/b'), [[502, { error: 'gateway' }]]);
    await Promise.all(['/a1.json', '/a2.json', '/a3.json', '/b1.json'].map((p) => settle(client.getJson(p))));
    const warnings = lines.filter((l) => / WARN /.test(l));
    expect(warnings).toEqual([
      expect.stringMatching(/WARN HTTP 503 on \/123\/a\d\.json; retry 1\/3 in [\d.]+ s \(repeats of it at 3\.basecampapi\.com: one line a minute\)\n/),
      expect.stringMatching(/WARN HTTP 502 on \/123\/b1\.json; retry 1\/3 in [\d.]+ s \(repeats of it at 3\.basecampapi\.com: one line a minute\)\n/),
    ]);
    expect(client.stats.retries).toBe(12);
  });
});

describe('getAnswer', () => {
  test('answers a 2xx and the statuses asked for with body, headers and URL; retries as getJson; other statuses are errors', async () => {
    const { client } = makeClient({ max_retries: 2 });
    mockToken(['at-answer-Z1x2C3v4']);
    mockApi('/ok.json', [[503, { error: 'busy' }], json({ a: 1 }, { 'x-feed-position': 'P' })]);
    mockApi('/gone.json', [[410, { resume: 'r' }]]);
    mockApi('/text.json', [[400, 'not json']]);
    mockApi('/missing.json', [[404, { status: 404 }]]);
    const ok = await client.getAnswer('/ok.json', [410]);
    expect([ok.status, ok.body, ok.headers['x-feed-position'], ok.url]).toEqual([200, { a: 1 }, 'P', `${API_URL}/123/ok.json`]);
    expect(client.stats.retries).toBe(1);
    expect(await client.getAnswer('/gone.json', [410])).toMatchObject({ status: 410, body: { resume: 'r' } });
    expect(await client.getAnswer('/text.json', [400])).toMatchObject({ status: 400, body: 'not json' });
    const missing = await settle(client.getAnswer('/missing.json', [410]));
    expect((missing.error as ApiError).kind).toBe('not_found');
    expect(missing.error!.message).toBe('HTTP 404 on GET /123/missing.json');
  });
});
