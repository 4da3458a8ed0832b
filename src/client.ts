/**
 * Everything HTTP lives here: the request scheduler (rate and 429 pauses), retries with backoff,
 * the 401 answered with a new token, reading a collection's pages (walked in collection.ts),
 * ETags, and turning HTTP failures into one-line errors. The rest of the tap asks for "the records at this path" and gets
 * an async iterator. What is retried and what each failure says is the table in errors.ts; the
 * token lifecycle is token.ts; the API's shape (account URL, paging, default rate) is api.ts.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import got, {
  Got,
  HTTPError,
  NormalizedOptions,
  OptionsInit,
  ParseError,
  PlainResponse,
  ReadError,
  RequestError,
  Response,
  RetryError,
  RetryObject,
} from 'got';
import PQueue from 'p-queue';
import { ApiShape, BASECAMP_3, accountUrl } from './api';
import { ListedAccount, listedAccounts } from './products';
import { Config } from './config';
import { Fault, Interrupted, TapError, apiError, describeFault, isRetried, retryOptions } from './errors';
import { UnsafeInteger, parseApiJson } from './json';
import { Logger } from './log';
import { Collection, ResumeAt } from './collection';
import { describeUrl, requestIdOf } from './described';
import { RepeatedFaults, sayRetry } from './repeats';
import { TokenSource } from './token';

// The collection walk has a file of its own; the rest of the tap finds it here.
export { Collection, MAX_PAGES } from './collection';
export type { ResumeAt } from './collection';

export interface ClientOptions {
  /** Overrides config.backoff_base_seconds (unit tests). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** The API read; Basecamp 3 unless said. */
  api?: ApiShape;
}

/**
 * Per-call state, in got's `context` (kept across the call's retries): the URLs whose 401 has
 * already been answered with a token refresh, so a second 401 there fails.
 */
interface CallState {
  refreshedFor: Set<string>;
}
const callContext = () => ({ call: { refreshedFor: new Set<string>() } as CallState });

/** An answer read whole: status, body (parsed JSON, or the text when it is not JSON), headers, final URL. */
export interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  url: string;
}
const answerOf = (res: Response<unknown>): Answer => ({ status: res.statusCode, body: res.body, headers: res.headers, url: res.url });

/** What got's error was, in the error table's terms. */
function faultOf(error: RequestError): Fault {
  // Only an HTTPError's status is the answer. A body cut off after the headers (ReadError) or a
  // 2xx body that is not JSON (ParseError) carries the response, status 200 and all, but that
  // status is not the answer: it is a fault on the way. (A timeout mid-body is a TimeoutError:
  // a connection fault by its code, ETIMEDOUT.)
  if (error instanceof HTTPError) {
    const reason = error.response.headers['reason'];
    return { type: 'status', status: error.response.statusCode, reason: Array.isArray(reason) ? reason.join(', ') : reason };
  }
  if (error instanceof ReadError) return { type: 'body_cut', code: error.code, status: error.response?.statusCode };
  if (error instanceof ParseError && error.cause instanceof UnsafeInteger)
    return { type: 'unsafe_integer', field: error.cause.field, value: error.cause.value };
  if (error instanceof ParseError) return { type: 'invalid_json', status: error.response?.statusCode };
  return { type: 'connection', code: error.code };
}

/** The error a request hook threw (a stop, a refused redirect, a rejected refresh), which got wraps. */
function hookError(error: unknown): TapError | Interrupted | undefined {
  const cause = error instanceof RequestError ? error.cause : undefined;
  return cause instanceof TapError || cause instanceof Interrupted ? cause : undefined;
}

/** Parses a Retry-After value (delta-seconds or HTTP-date) into milliseconds; undefined when unusable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return undefined;
  const trimmed = v.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds > 0 ? Math.ceil(seconds * 1000) : undefined;
  }
  if (!/[a-z]/i.test(trimmed)) return undefined; // "-5", "" and the like: not a date either
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  const ms = at - now;
  return ms > 0 ? ms : undefined;
}

/** What the person running the tap can do about 429s: they mean the account's limit is used up. */
const RATE_LIMIT_ADVICE = "if this recurs, lower max_requests_per_10s, or look for another client using this account (they share the account's limit)";

export class BasecampClient {
  accountBase: string;
  /** The account read, for messages. */
  readonly accountId: number;
  shape: ApiShape;
  private origin: string;
  /** Plain requests: user agent, kept-alive connections, the redirect check (the token POST). */
  private readonly http: Got;
  /** API reads: JSON, the rate gate, the bearer token, retries. */
  private readonly reader: Got;
  private readonly tokens: TokenSource;
  private rate: PQueue;
  private pausedUntil = 0;
  private stopped?: NodeJS.Signals;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  /** Retry warnings said once per kind of fault and host, then once a minute. */
  private readonly repeats = new RepeatedFaults();
  /** Counters the engine reports at the end of a run. */
  readonly stats = { requests: 0, retries: 0, rateLimited: 0, notModified: 0, tokenRefreshes: 0, rereads: 0, rechecked: 0 };

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    options: ClientOptions = {},
  ) {
    this.accountId = config.account_id;
    this.shape = options.api ?? BASECAMP_3;
    this.accountBase = accountUrl(config, this.shape);
    this.origin = new URL(this.accountBase).origin;
    this.backoffBaseMs = options.backoffBaseMs ?? config.backoff_base_seconds * 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 60_000;
    this.rate = rateGate(config.max_requests_per_10s ?? this.shape.requestsPer10s);

    // Keep-alive: one TLS handshake per connection, not per request (Node's default agent closes each).
    const agentOptions = { keepAlive: true, maxSockets: config.max_concurrency + 1 };
    this.http = got.extend({
      agent: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
      headers: { 'user-agent': config.user_agent, accept: 'application/json' },
      timeout: { request: Math.round(config.request_timeout_seconds * 1000) },
      followRedirect: true,
      hooks: { beforeRedirect: [(next: NormalizedOptions, response: PlainResponse) => this.checkRedirect(next, response)] },
    });

    // A copy: the token source keeps its refresh token current there, the loaded config stays as it is.
    this.tokens = new TokenSource({ ...config }, log, {
      http: this.http,
      retryDelay: (retry) => this.retryDelay(retry),
      onRefresh: () => void this.stats.tokenRefreshes++,
    });

    this.reader = this.http.extend({
      responseType: 'json',
      parseJson: parseApiJson,
      // Statuses and codes for got's own bookkeeping; retryDelay decides, by the error table.
      retry: retryOptions(config.max_retries, 'GET', (retry: RetryObject) => this.retryDelay(retry)),
      hooks: {
        beforeRequest: [(options: NormalizedOptions) => this.beforeRequest(options)],
        afterResponse: [
          (response: Response) => this.noteResponse(response),
          (response: Response, retryWith: (options: OptionsInit) => never) => this.onUnauthorized(response, retryWith),
        ],
      },
    });
  }

  /** Called once with Basecamp's clock at its first answer of the run (its Date header). */
  onServerStart?: (at: string) => void;
  private serverStartSeen = false;
  /** That clock, once seen (Launchpad's answer may come before the run starts listening). */
  serverStart?: string;

  private noteServerStart(header: string | undefined): void {
    const at = header ? Date.parse(header) : Number.NaN;
    if (Number.isNaN(at)) return;
    this.serverStartSeen = true;
    this.serverStart = new Date(at).toISOString();
    this.onServerStart?.(this.serverStart);
  }

  /** A list shrank while it was read: say so, once per page read again. */
  noteReread(path: string): void {
    this.log.info(`list shrank while being read (records left it ahead of the read position): reading ${path} again`);
  }

  /**
   * Reads another API from now on (the product Launchpad named for the account): its account
   * URL, paging and default rate. The token stays: Launchpad's tokens serve every product.
   */
  useApi(shape: ApiShape, config: Pick<Config, 'api_url' | 'api_url_given' | 'account_id' | 'max_requests_per_10s'>): void {
    this.shape = shape;
    this.accountBase = accountUrl(config, shape);
    this.origin = new URL(this.accountBase).origin;
    this.rate = rateGate(config.max_requests_per_10s ?? shape.requestsPer10s);
  }

  /**
   * Launchpad's authorization.json on the token endpoint's origin: every account this token
   * can see, with its product. Read with the bearer token, retries and all.
   */
  async launchpadAccounts(): Promise<ListedAccount[]> {
    const url = `${new URL(this.config.token_url).origin}/authorization.json`;
    let body: unknown;
    try {
      body = (await this.reader.get(url, { context: callContext() })).body;
    } catch (err) {
      throw this.toApiError(err, url);
    }
    const accounts = listedAccounts(body);
    if (!accounts) throw new TapError(`Launchpad's ${describeUrl(url)} answered without an accounts list`);
    return accounts;
  }

  /** Stop starting requests: in-flight ones finish, new ones fail with Interrupted. */
  stop(signal: NodeJS.Signals): void {
    this.stopped = signal;
  }

  /** Exchanges the refresh token for an access token (single flight), or fails with a clear line. */
  refreshToken(): Promise<string> {
    return this.tokens.refresh();
  }

  /** Never carry the bearer token (or the client secret) to another origin. */
  private checkRedirect(next: NormalizedOptions, response: PlainResponse): void {
    const target = next.url ? new URL(String(next.url)) : undefined;
    if (target && target.origin !== new URL(response.url).origin) {
      throw apiError({ type: 'foreign_origin', what: 'redirect', origin: target.origin }, { path: describeUrl(response.url), retries: 0 });
    }
  }

  private async beforeRequest(options: NormalizedOptions): Promise<void> {
    // Wait out any 429 pause, then take a slot from the rate limiter; re-check the pause
    // because a 429 may have arrived while this request waited for its slot.
    for (;;) {
      if (this.stopped) throw new Interrupted(this.stopped);
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await sleep(wait);
      await this.rate.add(() => undefined);
      if (Date.now() >= this.pausedUntil) break;
    }
    if (this.stopped) throw new Interrupted(this.stopped);
    options.headers.authorization = `Bearer ${await this.tokens.current()}`;
    this.stats.requests++;
  }

  /** Every answer: Basecamp's clock (once), and a timing metric at debug level. */
  private noteResponse(response: Response): Response {
    if (!this.serverStartSeen) this.noteServerStart(response.headers.date);
    if (!this.log.enabled('debug')) return response;
    const seconds = (response.timings.phases.total ?? 0) / 1000;
    const url = new URL(response.url);
    // The query tells the walks of one endpoint apart (recordings by type, status and page); the
    // Logger redacts the line like any other.
    this.log.metric('debug', 'timer', 'http_request_duration', Number(seconds.toFixed(3)), {
      endpoint: url.pathname.replace(/\/\d+(?=\/|\.json)/g, '/:id'),
      ...(url.search ? { query: url.search.slice(1) } : {}),
      http_status_code: response.statusCode,
      status: response.statusCode < 400 ? 'succeeded' : 'failed',
    });
    return response;
  }

  /**
   * A 401: the token was rejected (revoked, or expired early). The first one for a URL in a
   * call gets a new token and the request again at once; a second one is the error table's
   * "access denied". Not a fault to count against max_retries' backoff.
   */
  private async onUnauthorized(response: Response, retryWith: (options: OptionsInit) => never): Promise<Response> {
    if (response.statusCode !== 401) return response;
    const { options } = response.request;
    const call = (options.context as { call?: CallState }).call;
    const key = String(options.url);
    if (!call || call.refreshedFor.has(key) || options.method !== 'GET') return response;
    call.refreshedFor.add(key);
    const rejected = String(options.headers.authorization ?? '').replace(/^Bearer /, '');
    const token = await this.tokens.replace(rejected);
    // Keep this hook for the retried request, so its own 401 is seen (and ends the call).
    return retryWith({ headers: { authorization: `Bearer ${token}` }, preserveHooks: true });
  }

  /** got's retry policy, by the error table: 429 Retry-After (pausing everyone), else backoff. */
  private retryDelay({ attemptCount, retryOptions, error }: RetryObject): number {
    // Asked for by a hook (a 401 answered with a new token): at once, whatever the count.
    if (error instanceof RetryError) return 1;
    if (this.stopped || hookError(error)) return 0;
    if (attemptCount > retryOptions.limit) return 0;
    const fault = faultOf(error);
    if (!isRetried(fault)) return 0;
    this.stats.retries++;
    const url = error.options?.url;
    const path = url ? describeUrl(url) : '';
    const warn = (line: string) => this.warnRetry(fault, url, line);
    if (fault.type === 'status' && fault.status === 429) {
      this.stats.rateLimited++;
      const after = parseRetryAfter(error.response?.headers['retry-after']);
      if (after !== undefined) {
        // Basecamp's limit is per account, so one 429 means every request would get one: pause all.
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + after);
        warn(`rate limited on ${path}: pausing all requests for ${(after / 1000).toFixed(1)} s (Retry-After); ${RATE_LIMIT_ADVICE}`);
        return after;
      }
    }
    const delay = this.backoff(attemptCount);
    const advice = fault.type === 'status' && fault.status === 429 ? `; ${RATE_LIMIT_ADVICE}` : '';
    warn(`${describeFault(fault)} on ${path}; retry ${attemptCount}/${retryOptions.limit} in ${(delay / 1000).toFixed(1)} s${advice}`);
    return delay;
  }

  /** A retry's warning, unless the same fault at the same host was said less than a minute ago. */
  private warnRetry(fault: Fault, url: string | URL | undefined, line: string): void {
    const host = url ? new URL(url).host : 'the API';
    const say = this.repeats.note(`${describeFault(fault)} at ${host}`, Date.now());
    if (say) this.log.warn(sayRetry(line, host, say));
  }

  /** Exponential backoff with jitter: base * 2^(n-1), scaled by a random factor in [0.5, 1), capped. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return Math.max(1, Math.round(ceiling * (0.5 + Math.random() / 2)));
  }

  /** Absolute URL of an account-relative path such as `/projects.json?status=archived`. */
  url(path: string): string {
    return path.startsWith('http') ? path : `${this.accountBase}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** GET one JSON document. */
  async getJson<T>(path: string): Promise<T> {
    const url = this.url(path);
    try {
      const res = await this.reader.get<T>(url, { context: callContext() });
      return res.body;
    } catch (err) {
      throw this.toApiError(err, url);
    }
  }

  /**
   * GET one JSON document with its status, headers and URL, for an API whose error answers carry
   * a body to act on (the event feed's 400 reason, 409 and 410): a status in `answered` comes back
   * as an answer, its body parsed when it is JSON. Everything else is as getJson: retries, errors.
   */
  async getAnswer(path: string, answered: readonly number[] = []): Promise<Answer> {
    const url = this.url(path);
    try {
      return answerOf(await this.reader.get(url, { context: callContext() }));
    } catch (err) {
      if (err instanceof HTTPError && answered.includes(err.response.statusCode)) return answerOf(err.response);
      throw this.toApiError(err, url);
    }
  }

  /**
   * The items of a collection, one at a time, following its pages as the API's paging says
   * (never a page URL we build) with one page in memory. With an etag the first request carries
   * If-None-Match; a 304 yields nothing and sets `notModified`.
   */
  collection<T>(path: string, etag?: string, resume?: ResumeAt<T>, onlyGrows = false): Collection<T> {
    return new Collection<T>(this, path, etag, resume, onlyGrows);
  }

  /**
   * One page of a collection (used by Collection). A 304 is an answer, not an error. A next page
   * on another origin is refused: the bearer token goes to the API origin only.
   */
  async page(url: string, ifNoneMatch: string | undefined): Promise<{ res: Response<unknown>; next?: string; total?: number }> {
    const res = await this.reader.get(url, { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}, context: callContext() });
    if (res.statusCode === 304) return { res };
    const path = describeUrl(res.url);
    if (!Array.isArray(res.body)) throw apiError({ type: 'not_a_list', status: res.statusCode }, { path, retries: 0, requestId: requestIdOf(res) });
    const link = this.shape.paging.next({ url: res.url, headers: res.headers, count: res.body.length });
    if (link.kind === 'bad') throw apiError({ type: 'bad_paging', why: link.why }, { path, retries: 0, requestId: requestIdOf(res) });
    const next = link.kind === 'next' ? link.url : undefined;
    if (next !== undefined) {
      const target = new URL(next);
      if (target.origin !== this.origin)
        throw apiError({ type: 'foreign_origin', what: 'pagination link', origin: target.origin }, { path, retries: 0, requestId: requestIdOf(res) });
    }
    const header = Number.parseInt(String(res.headers['x-total-count'] ?? ''), 10);
    return { res, next, total: Number.isFinite(header) && header >= 0 ? header : undefined };
  }

  /** Turns a got failure into an ApiError whose message is one line naming the path and status. */
  toApiError(err: unknown, url: string): Error {
    if (err instanceof Interrupted || err instanceof TapError) return err;
    const fromHook = hookError(err);
    if (fromHook) return fromHook;
    if (!(err instanceof RequestError)) return err as Error;
    // The request that failed (a page of a collection, say), and the retries it really had.
    const path = describeUrl(err.options?.url ?? url);
    const retries = typeof err.request?.retryCount === 'number' ? err.request.retryCount : 0;
    const requestId = requestIdOf(err.response);
    return apiError(faultOf(err), { path, retries, accountId: this.config.account_id, detail: err.message.split('\n')[0], requestId });
  }
}

/**
 * The request-start gate: starts spaced a little over 10 s / limit apart, so no 10-second window
 * ever holds more than the limit, even when requests reach Basecamp a few ms early or late. A
 * steady rate rather than bursts: Basecamp counts requests in a moving window, where a burst
 * allowed by a bucket would be answered with 429s. So the gate's window moves too (p-queue's
 * strict mode): with fixed windows, a start late in one window and the next early in the
 * following one came a few ms apart, and 51 starts could fall within 9,996 ms. Starts go in groups spanning
 * about 100 ms (one at Basecamp 3's 204 ms, five at Basecamp 2's 20.4 ms), so rounding the
 * interval up to a whole millisecond costs under 1% of the rate, not 3% (21 ms for 20.4).
 * Above 1,000 a second (unlimited benchmarks) starts are let through in batches per millisecond.
 */
export function rateGate(perTenSeconds: number): PQueue {
  const { cap, intervalMs } = gateSpacing(perTenSeconds);
  return new PQueue({ intervalCap: cap, interval: intervalMs, strict: true });
}

/** How many starts the gate lets through per interval, and the interval (see rateGate). */
export function gateSpacing(perTenSeconds: number): { cap: number; intervalMs: number } {
  const slotMs = (10_000 * 1.02) / perTenSeconds;
  if (slotMs < 1) return { cap: Math.floor(1 / slotMs), intervalMs: 1 };
  const cap = Math.max(1, Math.round(100 / slotMs));
  return { cap, intervalMs: Math.ceil((cap * 10_200) / perTenSeconds) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
