/**
 * Everything HTTP lives here: the Launchpad token, the request scheduler (rate and 429 pauses),
 * retries with backoff, Link-header pagination, ETags, and turning HTTP failures into one-line
 * errors. The rest of the tap asks for "the records at this path" and gets an async iterator.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import got, { Got, HTTPError, ParseError, ReadError, RequestError, Response, Options, RetryObject } from 'got';
import PQueue from 'p-queue';
import { Config } from './config';
import { ApiError, Interrupted, TapError, registerSecret } from './errors';
import { Logger } from './log';
import { NextPage, OffsetWalk, RecentKeys, itemKey } from './pagination';

export interface ClientOptions {
  /** Overrides config.backoff_base_seconds (unit tests). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}


/**
 * Per-call bookkeeping, passed through got's (frozen) `context` inside a mutable box: the URLs
 * whose 401 has already been answered with a token refresh, so a second 401 there fails.
 */
interface CallBox {
  refreshedFor: Set<string>;
  /** got wraps errors thrown in hooks without keeping them; the hook leaves the original here. */
  hookError?: Error;
}
const newContext = () => ({ box: { refreshedFor: new Set<string>() } as CallBox });

const RETRY_STATUS = [401, 429, 500, 502, 503, 504];
const RETRY_ERROR_CODES = ['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH'];
/**
 * A failure after the status line and headers arrived: the body was cut off (ReadError; a timeout
 * mid-body is a TimeoutError, retried by its code) or a 2xx body is not JSON (ParseError). Such an
 * error carries the response, status 200 and all, but that status is not the answer: it is a
 * fault on the way, retried like a dropped connection.
 */
function isBodyFault(error: RequestError): boolean {
  return error instanceof ReadError || error instanceof ParseError;
}

/** A body fault in words, for warnings and errors: "ECONNRESET reading the body of HTTP 200". */
function describeBodyFault(error: RequestError): string {
  const status = error.response?.statusCode;
  const of = status === undefined ? 'the response' : `HTTP ${status}`;
  return error instanceof ParseError ? `invalid JSON in ${of}` : `${error.code ?? 'read error'} reading the body of ${of}`;
}

/** Refresh this long before Launchpad says the access token expires. */
const EXPIRY_MARGIN_MS = 60_000;

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

/** The rel="next" target of a Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2])) return m[1];
  }
  return undefined;
}

/** Path and query of a URL with secrets left out, for messages. */
function describeUrl(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.pathname + u.search;
}

export class BasecampClient {
  readonly accountBase: string;
  private readonly origin: string;
  private readonly http: Got;
  private readonly api: Got;
  private readonly rate: PQueue;
  private pausedUntil = 0;
  private accessToken?: string;
  private expiresAt = 0;
  private refreshing?: Promise<string>;
  private rotatedWarned = false;
  private stopped?: NodeJS.Signals;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  /** Counters the engine reports at the end of a run. */
  readonly stats = { requests: 0, retries: 0, rateLimited: 0, notModified: 0, tokenRefreshes: 0, rereads: 0 };

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    options: ClientOptions = {},
  ) {
    this.accountBase = `${config.api_url}/${config.account_id}`;
    this.origin = new URL(config.api_url).origin;
    this.backoffBaseMs = options.backoffBaseMs ?? config.backoff_base_seconds * 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 60_000;
    this.rate = rateGate(config.max_requests_per_10s);

    // Keep-alive: one TLS handshake per connection, not per request (Node's default agent closes each).
    const agentOptions = { keepAlive: true, maxSockets: config.max_concurrency + 1 };
    this.http = got.extend({
      agent: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
      headers: { 'user-agent': config.user_agent, accept: 'application/json' },
      timeout: { request: Math.round(config.request_timeout_seconds * 1000) },
      followRedirect: true,
      hooks: {
        beforeRedirect: [
          (options: Options, response: Response) => {
            // Never carry the bearer token (or the client secret) to another origin.
            const target = new URL(String(options.url));
            if (target.origin !== new URL(response.url).origin) {
              throw new TapError(`refusing to follow a redirect from ${describeUrl(response.url)} to another origin (${target.origin})`);
            }
          },
        ],
      },
    });

    this.api = this.http.extend({
      responseType: 'json',
      retry: {
        limit: config.max_retries,
        methods: ['GET'],
        statusCodes: RETRY_STATUS,
        errorCodes: RETRY_ERROR_CODES,
        calculateDelay: (retry: RetryObject) => this.retryDelay(retry),
      },
      hooks: {
        beforeRequest: [async (options: Options) => this.beforeRequest(options)],
        afterResponse: [
          (response: Response) => {
            if (!this.serverStartSeen) this.noteServerStart(response.headers.date);
            if (!this.log.enabled('debug')) return response;
            const seconds = (response.timings.phases.total ?? 0) / 1000;
            this.log.metric('debug', 'timer', 'http_request_duration', Number(seconds.toFixed(3)), {
              endpoint: new URL(response.url).pathname.replace(/\/\d+(?=\/|\.json)/g, '/:id'),
              http_status_code: response.statusCode,
              status: response.statusCode < 400 ? 'succeeded' : 'failed',
            });
            return response;
          },
        ],
      },
    });
  }

  /** Called once with Basecamp's clock at its first answer of the run (its Date header). */
  onServerStart?: (at: string) => void;
  private serverStartSeen = false;

  private noteServerStart(header: string | undefined): void {
    const at = header ? Date.parse(header) : Number.NaN;
    if (Number.isNaN(at)) return;
    this.serverStartSeen = true;
    this.onServerStart?.(new Date(at).toISOString());
  }

  /** A list shrank while it was read: say so, once per page read again. */
  noteReread(path: string): void {
    this.log.info(`list shrank while being read (records left it ahead of the read position): reading ${path} again`);
  }

  /** Stop starting requests: in-flight ones finish, new ones fail with Interrupted. */
  stop(signal: NodeJS.Signals): void {
    this.stopped = signal;
  }

  /** Exchanges the refresh token for an access token (single flight), or fails with a clear line. */
  async refreshToken(): Promise<string> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    this.stats.tokenRefreshes++;
    let body: { access_token?: string; expires_in?: number; refresh_token?: string };
    try {
      body = await this.http
        .post(this.config.token_url, {
          // The standard OAuth 2 refresh grant, plus Launchpad's older `type=refresh` spelling,
          // which Launchpad documented first; sending both is accepted by either reading.
          form: {
            grant_type: 'refresh_token',
            type: 'refresh',
            refresh_token: this.config.refresh_token,
            client_id: this.config.client_id,
            client_secret: this.config.client_secret,
          },
          retry: { limit: this.config.max_retries, methods: ['POST'], statusCodes: [429, 500, 502, 503, 504], errorCodes: RETRY_ERROR_CODES, calculateDelay: (r: RetryObject) => this.retryDelay(r) },
        })
        .json();
    } catch (err) {
      if (err instanceof HTTPError) {
        const status = err.response.statusCode;
        let code = '';
        try {
          code = String((JSON.parse(String(err.response.body)) as { error?: string }).error ?? '');
        } catch {
          /* not JSON */
        }
        if (status === 400 || status === 401 || status === 403) {
          const why = code === 'invalid_client' ? 'client_id or client_secret is wrong' : 'the refresh token was revoked, has expired, or belongs to another client';
          throw new TapError(`refresh token rejected by Launchpad (HTTP ${status}${code ? ` ${code}` : ''}): ${why}; run \`tap-basecamp auth\` to get a new one`);
        }
        throw new TapError(`token refresh failed: Launchpad answered HTTP ${status}`);
      }
      if (err instanceof TapError) throw err;
      throw new TapError(`token refresh failed: ${(err as RequestError).code ?? (err as Error).message} reaching ${new URL(this.config.token_url).host}`);
    }
    if (!body || typeof body.access_token !== 'string') throw new TapError('token refresh failed: Launchpad answered without an access_token');
    registerSecret(body.access_token);
    this.accessToken = body.access_token;
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 1_209_600) * 1000;
    this.expiresAt = Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2);
    if (typeof body.refresh_token === 'string' && body.refresh_token !== this.config.refresh_token) {
      registerSecret(body.refresh_token);
      this.onRotatedRefreshToken(body.refresh_token);
    }
    this.log.debug('access token refreshed');
    return body.access_token;
  }

  private onRotatedRefreshToken(token: string): void {
    if (this.config.refresh_token_write_back && this.config.configPath) {
      writeBackRefreshToken(this.config.configPath, token);
      this.config.refresh_token = token;
      this.log.info(`Launchpad issued a new refresh token; written back to ${this.config.configPath}`);
      return;
    }
    if (!this.rotatedWarned) {
      this.rotatedWarned = true;
      this.log.warn(
        'Launchpad issued a new refresh token; the one in your config may stop working. Run `tap-basecamp auth` for a fresh config, or set refresh_token_write_back: true (cron use) so the tap stores it.',
      );
    }
    this.config.refresh_token = token;
  }

  private async token(): Promise<string> {
    if (this.accessToken && Date.now() < this.expiresAt) return this.accessToken;
    return this.refreshToken();
  }

  private async beforeRequest(options: Options): Promise<void> {
    try {
      await this.prepareRequest(options);
    } catch (err) {
      const box = (options.context as { box?: CallBox }).box;
      if (box) box.hookError = err as Error;
      throw err;
    }
  }

  private async prepareRequest(options: Options): Promise<void> {
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
    options.headers = { ...options.headers, authorization: `Bearer ${await this.token()}` };
    this.stats.requests++;
  }

  /** got's retry policy: 401 refresh once, 429 Retry-After (pausing everyone), 5xx/network backoff. */
  private async retryDelay({ attemptCount, retryOptions, error }: RetryObject): Promise<number> {
    const box = (error.options?.context as { box?: CallBox } | undefined)?.box;
    if (this.stopped || box?.hookError) return 0;
    // Only an HTTPError's status is the answer; a body fault's 200 is not (see isBodyFault).
    const status = error instanceof HTTPError ? error.response.statusCode : undefined;
    const path = error.options?.url ? describeUrl(error.options.url) : '';
    if (status === 401) {
      // One refresh per URL, whatever max_retries says: an expired token is not a fault to count.
      const key = String(error.options.url);
      if (!box || box.refreshedFor.has(key) || error.options.method !== 'GET') return 0;
      box.refreshedFor.add(key);
      const used = String(error.options.headers.authorization ?? '').replace(/^Bearer /, '');
      if (used === this.accessToken) {
        this.accessToken = undefined;
        try {
          await this.refreshToken();
        } catch (err) {
          box.hookError = err as Error;
          throw err;
        }
      }
      return 1;
    }
    if (attemptCount > retryOptions.limit) return 0;
    const retryable = status !== undefined ? retryOptions.statusCodes.includes(status) : isBodyFault(error) || retryOptions.errorCodes.includes(error.code);
    if (!retryable) return 0;
    this.stats.retries++;
    if (status === 429) {
      this.stats.rateLimited++;
      const after = parseRetryAfter(error.response?.headers['retry-after']);
      if (after !== undefined) {
        // Basecamp's limit is per account, so one 429 means every request would get one: pause all.
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + after);
        this.log.warn(`rate limited on ${path}: pausing all requests for ${(after / 1000).toFixed(1)} s (Retry-After)`);
        return after;
      }
    }
    const delay = this.backoff(attemptCount);
    const what = status ? `HTTP ${status}` : isBodyFault(error) ? describeBodyFault(error) : error.code ?? 'network error';
    this.log.warn(`${what} on ${path}; retry ${attemptCount}/${retryOptions.limit} in ${(delay / 1000).toFixed(1)} s`);
    return delay;
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
      const res = await this.api.get<T>(url, { context: newContext() });
      return res.body;
    } catch (err) {
      throw this.toApiError(err, url);
    }
  }

  /**
   * The items of a collection, one at a time, through got's paginator: it follows Link
   * rel="next" only (never a page URL we build) and keeps one page in memory. With an etag the
   * first request carries If-None-Match; a 304 yields nothing and sets `notModified`.
   */
  collection<T>(path: string, etag?: string, resume?: ResumeAt<T>): Collection<T> {
    return new Collection<T>(this, path, etag, resume);
  }

  /**
   * One page of a collection (used by Collection). A 304 is an answer, not an error. A next link
   * to another origin is refused: the bearer token goes to the API origin only.
   */
  async page(url: string, ifNoneMatch: string | undefined): Promise<{ res: Response<unknown>; next?: string; total?: number }> {
    const res = await this.api.get(url, { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}, context: newContext() });
    if (res.statusCode === 304) return { res };
    if (!Array.isArray(res.body)) {
      throw new ApiError(`expected a JSON array from ${describeUrl(res.url)}`, res.statusCode, describeUrl(res.url));
    }
    const link = nextLink(res.headers.link);
    let next: string | undefined;
    if (link !== undefined) {
      const target = new URL(link, res.url);
      if (target.origin !== this.origin) {
        throw new ApiError(`refusing to follow a pagination link from ${describeUrl(res.url)} to another origin (${target.origin})`, undefined, describeUrl(res.url));
      }
      next = target.toString();
    }
    const header = Number.parseInt(String(res.headers['x-total-count'] ?? ''), 10);
    return { res, next, total: Number.isFinite(header) && header >= 0 ? header : undefined };
  }

  /** Turns a got failure into an ApiError whose message is one line naming the path and status. */
  toApiError(err: unknown, url: string): Error {
    if (err instanceof Interrupted || err instanceof TapError) return err;
    const hookError = ((err as RequestError)?.options?.context as { box?: CallBox } | undefined)?.box?.hookError;
    if (hookError) return hookError;
    const path = describeUrl(url);
    if (err instanceof HTTPError) {
      const status = err.response.statusCode;
      const reason = String(err.response.headers['reason'] ?? '');
      if (status === 404 && /account inactive/i.test(reason)) {
        return new ApiError(`Basecamp account ${this.config.account_id} is inactive (expired trial or suspended)`, status, path);
      }
      if (status === 401) {
        return new ApiError(`access denied: Basecamp answered 401 to a freshly refreshed token on ${path}`, status, path);
      }
      const retried = [429, 500, 502, 503, 504].includes(status) ? ` after ${this.config.max_retries} retries` : '';
      return new ApiError(`HTTP ${status} on GET ${path}${retried}`, status, path);
    }
    if (err instanceof RequestError) {
      // The request that failed (a page of a collection, say), and the retries it really had.
      const where = err.options?.url ? describeUrl(err.options.url) : path;
      const retries = typeof err.request?.retryCount === 'number' ? err.request.retryCount : this.config.max_retries;
      const after = retries > 0 ? ` after ${retries} retries` : '';
      if (err instanceof ParseError) {
        // No detail: JSON.parse's message can quote the body (newlines and all), got's adds the whole URL.
        return new ApiError(`${describeBodyFault(err)} on GET ${where}${after}`, undefined, where);
      }
      const what = isBodyFault(err) ? describeBodyFault(err) : err.code ?? 'request error';
      return new ApiError(`${what} on GET ${where}${after} (${err.message.split('\n')[0]})`, undefined, where);
    }
    return err as Error;
  }
}

/**
 * The request-start gate: one start per slot of a little over 10 s / limit, so no 10-second
 * window ever holds more than the limit, even when requests reach Basecamp a few ms early or
 * late. A steady rate rather than bursts: Basecamp counts requests in a moving window, where a
 * burst allowed by a bucket would be answered with 429s. Above 1,000 a second (unlimited
 * benchmarks) starts are let through in batches per millisecond.
 */
function rateGate(perTenSeconds: number): PQueue {
  const slotMs = (10_000 * 1.02) / perTenSeconds;
  return slotMs >= 1
    ? new PQueue({ intervalCap: 1, interval: Math.ceil(slotMs) })
    : new PQueue({ intervalCap: Math.floor(1 / slotMs), interval: 1 });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Replaces refresh_token in a config file atomically (write a sibling, then rename over it). */
function writeBackRefreshToken(path: string, token: string): void {
  const current = JSON.parse(fs.readFileSync(path, 'utf8')) as Record<string, unknown>;
  current.refresh_token = token;
  const tmp = `${path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(current, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, path);
}

/** A Link that keeps pointing onwards stops here: no Basecamp list is a million records deep. */
export const MAX_PAGES = 10_000;

/**
 * One collection read: iterate it for the items. Pages are followed by their Link rel="next"
 * (never a page URL we build), one page in memory at a time; when X-Total-Count shows the list
 * shrank mid-walk, a page already read is read again (see pagination.ts) and repeats are dropped.
 * With an etag the first request carries If-None-Match: a 304 yields nothing and sets
 * `notModified`. Afterwards `etag` holds the validator worth keeping (only for a collection that
 * fits one page).
 */
/**
 * Where a walk cut short resumes: the page it was reading (its URL, as a Link gave it). `accept`
 * looks at that page's first item and says whether nothing can have slid above it since (the
 * list's order puts it at or before where the walk stopped); otherwise, or if the list shrinks
 * by more than was read, the walk starts again from the top.
 */
export interface ResumeAt<T> {
  url: string;
  accept: (first: T | undefined) => boolean;
}

export class Collection<T> implements AsyncIterable<T> {
  etag?: string;
  notModified = false;
  pagesRead = 0;
  /** The page whose items are being yielded (a resume point can return to it). */
  currentUrl?: string;
  /** The walk started at a resume page and kept to it (false once it fell back to the top). */
  resumed = false;
  /** Pages read again because the list shrank while it was read. */
  rereads = 0;
  /**
   * False while a shrink has been seen and the page holding what slid back is not yet read
   * again: a checkpoint taken then could claim records not yet written.
   */
  settled = true;

  constructor(
    private readonly client: BasecampClient,
    private readonly path: string,
    private readonly ifNoneMatch?: string,
    private readonly resume?: ResumeAt<T>,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const first = this.client.url(this.path);
    let walk = new OffsetWalk();
    const recent = new RecentKeys();
    this.resumed = this.resume !== undefined;
    let request: NextPage | undefined = { page: 1, url: this.resume?.url ?? first, reread: false };
    let url = first;
    const restart = (): NextPage => {
      this.resumed = false;
      walk = new OffsetWalk();
      return { page: 1, url: first, reread: false };
    };
    try {
      while (request) {
        url = request.url;
        if (this.pagesRead >= MAX_PAGES) throw new ApiError(`gave up on ${describeUrl(first)} after ${MAX_PAGES} pages (its Link header never ends)`, undefined, describeUrl(first));
        const { res, next, total } = await this.client.page(url, this.pagesRead === 0 ? this.ifNoneMatch : undefined);
        this.pagesRead++;
        if (res.statusCode === 304) {
          this.notModified = true;
          this.etag = this.ifNoneMatch;
          this.client.stats.notModified++;
          return;
        }
        const items = res.body as T[];
        if (this.resumed && this.pagesRead === 1 && !this.resume!.accept(items[0])) {
          request = restart(); // the list moved since the stop: walk it from the top
          continue;
        }
        const header = res.headers.etag;
        this.etag = this.pagesRead === 1 && next === undefined && typeof header === 'string' ? header : undefined;
        let following = walk.next({ page: request.page, url, count: items.length, total, next });
        if (this.resumed && walk.underflow) following = restart();
        this.currentUrl = url;
        this.settled = following === undefined || !following.reread;
        if (following?.reread) {
          this.rereads++;
          this.client.stats.rereads++;
          this.client.noteReread(describeUrl(following.url));
        }
        request = following;
        for (const item of items) if (recent.fresh(itemKey(item))) yield item;
      }
    } catch (err) {
      throw this.client.toApiError(err, url);
    }
  }
}
