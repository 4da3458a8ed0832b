/**
 * The Launchpad access token: exchanged for the refresh token before the first request, renewed
 * shortly before it expires or when Basecamp rejects it, one exchange at a time however many
 * requests are waiting. Launchpad may answer with a new refresh token (rotation): the source
 * exchanges that one from then on, and hands it back through `onRotated`, by default written to
 * the config file with refresh_token_write_back (so an unattended run tomorrow still holds a token
 * that works), else warned about. The loaded Config is never changed.
 *
 * Every token is registered with the redactor the moment it arrives; a rejected refresh fails in
 * one line that names the likely cause and never quotes a secret.
 */
import * as fs from 'node:fs';
import { Got, HTTPError, RequestError, RetryObject } from 'got';
import { Config } from './config';
import { Interrupted, TapError, registerSecret, retryOptions } from './errors';
import { requestIdOf } from './described';
import { Logger } from './log';

/** Renew this long before Launchpad says the access token expires. */
export const EXPIRY_MARGIN_MS = 60_000;
/** Lifetime assumed when Launchpad names none: two weeks, what it hands out. */
const DEFAULT_LIFETIME_S = 1_209_600;

/**
 * The token source's own record of the config parts it reads: it keeps `refresh_token` current
 * (the one exchanged next), so give it a copy, never the loaded Config.
 */
export type TokenConfig = Pick<Config, 'token_url' | 'client_id' | 'client_secret' | 'refresh_token_write_back' | 'configPath' | 'max_retries'> & {
  refresh_token: string;
};

export interface TokenSourceOptions {
  /** What the refresh is POSTed with (user agent, connection reuse, the redirect check). */
  http: Got;
  /** got's retry delay for the POST (0: give up); retries follow the error table. */
  retryDelay: (retry: RetryObject) => number | Promise<number>;
  /** Called once per exchange started (the client counts them). */
  onRefresh?: () => void;
  /** Hands back a refresh token Launchpad issued in place of the one exchanged. Default: keepRotated(config, log). */
  onRotated?: (token: string) => void;
}

export class TokenSource {
  private accessToken?: string;
  private expiresAt = 0;
  private refreshing?: Promise<string>;
  private readonly onRotated: (token: string) => void;

  constructor(
    private readonly config: TokenConfig,
    private readonly log: Logger,
    private readonly options: TokenSourceOptions,
  ) {
    this.onRotated = options.onRotated ?? keepRotated(config, log);
  }

  /** The token to send now: the one held while it is fresh, else a new one. */
  async current(): Promise<string> {
    if (this.accessToken && Date.now() < this.expiresAt) return this.accessToken;
    return this.refresh();
  }

  /**
   * A token after Basecamp answered 401 to `rejected`: a new one, unless another request has
   * already replaced it (then the one held), joining an exchange that is under way.
   */
  async replace(rejected: string): Promise<string> {
    if (rejected === this.accessToken) this.accessToken = undefined;
    return this.current();
  }

  /** Exchanges the refresh token for an access token; callers meanwhile share the one exchange. */
  refresh(): Promise<string> {
    if (!this.refreshing) {
      this.refreshing = this.exchange().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async exchange(): Promise<string> {
    this.options.onRefresh?.();
    let body: { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
    try {
      body = await this.options.http
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
          retry: retryOptions(this.config.max_retries, 'POST', (retry: RetryObject) => this.options.retryDelay(retry)),
        })
        .json();
    } catch (err) {
      throw this.refreshFailure(err);
    }
    if (!body || typeof body.access_token !== 'string') throw new TapError('token refresh failed: Launchpad answered without an access_token');
    registerSecret(body.access_token);
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : DEFAULT_LIFETIME_S) * 1000;
    this.accessToken = body.access_token;
    this.expiresAt = Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2);
    if (typeof body.refresh_token === 'string' && body.refresh_token !== this.config.refresh_token) {
      registerSecret(body.refresh_token);
      this.config.refresh_token = body.refresh_token;
      this.onRotated(body.refresh_token);
    }
    this.log.debug('access token refreshed');
    return body.access_token;
  }

  /** A failed exchange in one line: what Launchpad said and what to do, no secret. */
  private refreshFailure(err: unknown): Error {
    // got wraps what a hook threw (a refused redirect, a stop); that is the answer to pass on.
    const cause = err instanceof RequestError ? err.cause : undefined;
    if (cause instanceof TapError || cause instanceof Interrupted) return cause;
    if (err instanceof TapError || err instanceof Interrupted) return err;
    if (err instanceof HTTPError) return launchpadRefused(err);
    const code = err instanceof RequestError ? err.code : (err as Error)?.message;
    return new TapError(`token refresh failed: ${code} reaching ${new URL(this.config.token_url).host}`);
  }
}

/**
 * Launchpad's error answer to a refresh, in one line: a 400, 401 or 403 rejects the credentials
 * (say which, and to run auth again); any other status is a failure to report as it is.
 */
function launchpadRefused(err: HTTPError): TapError {
  const status = err.response.statusCode;
  const code = oauthError(err.response.body);
  const requestId = requestIdOf(err.response);
  const id = requestId ? `, X-Request-Id: ${requestId}` : '';
  if (status === 400 || status === 401 || status === 403) {
    const why = code === 'invalid_client' ? 'client_id or client_secret is wrong' : 'the refresh token was revoked, has expired, or belongs to another client';
    return new TapError(
      `refresh token rejected by Launchpad (HTTP ${status}${code ? ` ${code}` : ''}${id}): ${why}; run \`tap-basecamp auth\` to get a new one`,
    );
  }
  return new TapError(`token refresh failed: Launchpad answered HTTP ${status}${requestId ? ` (X-Request-Id: ${requestId})` : ''}`);
}

/**
 * What becomes of a rotated refresh token by default: with refresh_token_write_back it is written
 * to the config file; otherwise the user is warned, once, that the one in their config may stop working.
 */
export function keepRotated(config: Pick<Config, 'refresh_token_write_back' | 'configPath'>, log: Logger): (token: string) => void {
  let warned = false;
  return (token) => {
    if (config.refresh_token_write_back && config.configPath) {
      writeBackRefreshToken(config.configPath, token);
      log.info(`Launchpad issued a new refresh token; written back to ${config.configPath}`);
      return;
    }
    if (warned) return;
    warned = true;
    log.warn(
      'Launchpad issued a new refresh token; the one in your config may stop working. Run `tap-basecamp auth` for a fresh config, or set refresh_token_write_back: true (cron use) so the tap stores it.',
    );
  };
}

/** The OAuth `error` code of a token endpoint's answer (its body: text, bytes or parsed JSON), or ''. */
export function oauthError(body: unknown): string {
  try {
    const parsed = (typeof body === 'string' || Buffer.isBuffer(body) ? JSON.parse(String(body)) : body) as { error?: unknown } | null;
    return typeof parsed?.error === 'string' ? parsed.error : '';
  } catch {
    return ''; // not JSON
  }
}

/** Replaces refresh_token in a config file atomically (write a sibling, then rename over it). */
export function writeBackRefreshToken(path: string, token: string): void {
  const current = JSON.parse(fs.readFileSync(path, 'utf8')) as Record<string, unknown>;
  current.refresh_token = token;
  const tmp = `${path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(current, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, path);
}
