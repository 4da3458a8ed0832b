/**
 * The two requests `tap-basecamp auth` makes to Launchpad: the code exchanged for an access token
 * and a refresh token, then the accounts that token can see.
 */
import got, { HTTPError, RequestError } from 'got';
import { DEFAULT_USER_AGENT } from '../config';
import { TapError, registerSecret, retryOptions } from '../errors';
import { ListedAccount, listedAccounts } from '../products';
import { oauthError } from '../token';
import { AuthArgs } from './args';

export interface Tokens {
  access: string;
  refresh: string;
}

export async function exchangeCode(args: AuthArgs, code: string, redirectUri: string): Promise<Tokens> {
  let body: { access_token?: unknown; refresh_token?: unknown };
  try {
    body = await got
      .post(args['token-url'], {
        headers: { 'user-agent': DEFAULT_USER_AGENT, accept: 'application/json' },
        // The standard OAuth 2 parameters, plus Launchpad's older `type=web_server`.
        form: {
          grant_type: 'authorization_code',
          type: 'web_server',
          code,
          redirect_uri: redirectUri,
          client_id: args['client-id'],
          client_secret: args['client-secret'],
        },
        timeout: { request: 60_000 },
        retry: retryOptions(2, 'POST'),
        followRedirect: false,
      })
      .json();
  } catch (err) {
    if (err instanceof HTTPError) {
      const status = err.response.statusCode;
      const code = oauthError(err.response.body);
      const why =
        code === 'invalid_client' || status === 401
          ? 'client_id or client_secret is wrong'
          : code === 'invalid_grant'
            ? 'the code was refused (expired, already used, or the redirect URI differs from the one registered)'
            : 'check the client id, client secret and the redirect URI registered for your Launchpad app';
      throw new TapError(`Launchpad refused the token exchange (HTTP ${status}${code ? ` ${code}` : ''}): ${why}`);
    }
    throw new TapError(`token exchange failed: ${(err as RequestError).code ?? (err as Error).message} reaching ${new URL(args['token-url']).host}`);
  }
  const access = body?.access_token;
  const refresh = body?.refresh_token;
  registerSecret(access);
  registerSecret(refresh);
  if (typeof access !== 'string' || typeof refresh !== 'string') {
    throw new TapError('token exchange failed: Launchpad answered without an access_token and a refresh_token');
  }
  return { access, refresh };
}

export async function fetchAccounts(identityUrl: string, accessToken: string): Promise<ListedAccount[]> {
  let body: { accounts?: unknown };
  try {
    body = await got(identityUrl, {
      headers: { 'user-agent': DEFAULT_USER_AGENT, accept: 'application/json', authorization: `Bearer ${accessToken}` },
      timeout: { request: 60_000 },
      retry: { limit: 2 },
      followRedirect: false,
    }).json();
  } catch (err) {
    if (err instanceof HTTPError) throw new TapError(`Launchpad identity request failed: HTTP ${err.response.statusCode} on ${new URL(identityUrl).pathname}`);
    throw new TapError(`Launchpad identity request failed: ${(err as RequestError).code ?? (err as Error).message} reaching ${new URL(identityUrl).host}`);
  }
  const accounts = listedAccounts(body);
  if (!accounts) throw new TapError('Launchpad identity answer carries no accounts list');
  return accounts;
}
