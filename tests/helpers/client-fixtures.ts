/**
 * Shared fixtures for the HTTP client unit tests: a full Config, a client wired to a capturing
 * Logger, and nock helpers that record every request they answer (time, headers, body).
 */
import nock from 'nock';
import { BasecampClient } from '../../src/client';
import { Config } from '../../src/config';
import { Logger } from '../../src/log';

export const API_URL = 'https://3.basecampapi.com';
export const TOKEN_ORIGIN = 'https://launchpad.37signals.com';
export const TOKEN_PATH = '/authorization/token';
export const ACCOUNT_ID = 123;
export const USER_AGENT = 'tap-basecamp tests (t@example.com)';

/** Distinctive values, so a leak is easy to spot in any text. */
export const CLIENT_ID = 'client-id-4711';
export const CLIENT_SECRET = 'cs-Xq7vB2nLk9-secret';
export const REFRESH_TOKEN = 'rt-Hp3wZ8cYd1-refresh';

export function makeConfig(overrides: Partial<Config> = {}): Config {
  return {
    account_id: ACCOUNT_ID,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    refresh_token: REFRESH_TOKEN,
    user_agent: USER_AGENT,
    api_url: API_URL,
    api_url_given: true,
    token_url: `${TOKEN_ORIGIN}${TOKEN_PATH}`,
    max_retries: 3,
    max_requests_per_10s: 10000,
    max_concurrency: 8,
    request_timeout_seconds: 2,
    backoff_base_seconds: 1,
    refresh_token_write_back: false,
    activate_version: false,
    add_account_id: false,
    full_refresh_hours: 24,
    progress_interval_seconds: 30,
    log_format: 'text',
    ...overrides,
  };
}

export interface ClientHarness {
  client: BasecampClient;
  config: Config;
  lines: string[];
}

export function makeClient(overrides: Partial<Config> = {}): ClientHarness {
  const lines: string[] = [];
  const config = makeConfig(overrides);
  const logger = new Logger('debug', (line) => lines.push(line));
  const client = new BasecampClient(config, logger, { backoffBaseMs: 5, backoffMaxMs: 50 });
  return { client, config, lines };
}

/** One request a nock interceptor answered. */
export interface Hit {
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Reply = [number, unknown?, Record<string, string>?];

/**
 * A persistent interceptor for every request of `method` on `origin` whose path matches `path`;
 * `respond(i, hit)` decides the answer to the i-th request (0-based). Every request is recorded.
 */
export function recordingScope(
  origin: string,
  method: 'GET' | 'POST',
  path: string | RegExp | ((uri: string) => boolean),
  respond: (i: number, hit: Hit) => Reply,
): { scope: nock.Scope; hits: Hit[] } {
  const hits: Hit[] = [];
  const scope = nock(origin);
  const interceptor = method === 'GET' ? scope.get(path) : scope.post(path);
  interceptor
    .reply(function (uri, requestBody) {
      const hit: Hit = {
        at: Date.now(),
        path: uri,
        headers: { ...this.req.headers },
        body: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody),
      };
      hits.push(hit);
      const [status, body, headers] = respond(hits.length - 1, hit);
      return [status, body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body), headers ?? {}];
    })
    .persist();
  return { scope, hits };
}

/** The Launchpad token endpoint, handing out `tokens` in turn (the last one repeats). */
export function mockToken(tokens: string[], extra: Record<string, unknown> = {}): { scope: nock.Scope; hits: Hit[] } {
  return recordingScope(TOKEN_ORIGIN, 'POST', TOKEN_PATH, (i) => [
    200,
    { access_token: tokens[Math.min(i, tokens.length - 1)], expires_in: 1_209_600, ...extra },
    { 'content-type': 'application/json' },
  ]);
}

/** A GET endpoint under the account, answering in turn from `replies` (the last one repeats). */
export function mockApi(path: string | ((uri: string) => boolean), replies: Array<Reply | ((hit: Hit) => Reply)>): { scope: nock.Scope; hits: Hit[] } {
  const match = typeof path === 'string' ? `/${ACCOUNT_ID}${path}` : path;
  return recordingScope(API_URL, 'GET', match, (i, hit) => {
    const r = replies[Math.min(i, replies.length - 1)];
    const reply = typeof r === 'function' ? r(hit) : r;
    const [status, body, headers] = reply;
    return [status, body, { 'content-type': 'application/json', ...(headers ?? {}) }];
  });
}

export const json = (body: unknown, headers: Record<string, string> = {}): Reply => [200, body, headers];

/** Settles a promise into either its value or its error, so a test can inspect a rejection. */
export async function settle<T>(p: Promise<T>): Promise<{ value?: T; error?: Error }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error: error as Error };
  }
}

export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) out.push(item);
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Makes every request nock has no interceptor for a failure of the test that made it (checked
 * after each test), keeps real network off, and leaves node:http unpatched for later test files.
 */
export function guardNock(): void {
  let unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; href?: string; path?: string; hostname?: string }) => {
    unmatched.push(`${req.method ?? '?'} ${req.href ?? `${req.hostname ?? ''}${req.path ?? ''}`}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.enableNetConnect();
    nock.restore(); // unpatch node:http, which later test files in this worker share
  });
  beforeEach(() => {
    unmatched = [];
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
    expect(unmatched).toEqual([]);
  });
}
