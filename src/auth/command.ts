/**
 * `tap-basecamp auth`: the Launchpad OAuth 2 "web server" flow, run once, ending with a ready
 * config JSON on stdout (or in the --output file).
 *
 *   1. listen on http://127.0.0.1:PORT/callback (the redirect URI registered for the app);
 *   2. print the authorization URL on stderr and wait for the browser to come back with ?code=
 *      (with --no-browser: read the address the browser was sent to, or just its code, from stdin);
 *   3. exchange the code for an access token and a refresh token;
 *   4. ask Launchpad which accounts the user has, keep the Basecamp 3/4/5 ones (product "bc3") and
 *      the Basecamp 2 ones (product "bcx")
 *      and pick one (the only one, --account-id, or a question when stdin is a terminal);
 *   5. print {account_id, client_id, client_secret, refresh_token, user_agent} on stdout, or
 *      write it to --output FILE (mode 0600, through a temporary sibling renamed over FILE);
 *   6. only then answer the browser's callback: the page says whether all of that worked.
 *
 * stderr never carries the client secret, the code or a token: each is registered with the
 * redactor before anything could log it, and the Logger redacts every line.
 */
import { randomBytes } from 'node:crypto';
import { TapError } from '../errors';
import { Logger } from '../log';
import { chooseAccount } from './accounts';
import { AuthArgs, checkUrl, parseArgs } from './args';
import { BrowserSession } from './callback';
import { exchangeCode, fetchAccounts } from './launchpad';
import { configText, deliverConfig } from './output';
import { readPastedCode } from './redirect';

export async function runAuth(argv: string[], log: Logger): Promise<number> {
  const args = await parseArgs(argv, log);
  if (typeof args === 'number') return args;
  const browser = new BrowserSession();
  try {
    await authorize(args, log, browser);
    await browser.answer();
    return 0;
  } catch (err) {
    const message = err instanceof TapError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    log.error(message);
    await browser.answer(message);
    return 1;
  } finally {
    browser.close();
  }
}

/** Steps 1 to 5: from the authorization URL to the config written. */
async function authorize(args: AuthArgs, log: Logger, browser: BrowserSession): Promise<void> {
  const authorizationUrl = checkUrl('authorization-url', args['authorization-url']);
  checkUrl('token-url', args['token-url']);
  checkUrl('identity-url', args['identity-url']);
  const state = randomBytes(16).toString('hex');
  const { code, redirectUri } = await receiveCode(args, authorizationUrl, state, log, browser);
  log.info('authorization code received; exchanging it for a refresh token');
  const tokens = await exchangeCode(args, code, redirectUri);
  browser.authorized = true;
  const accounts = await fetchAccounts(args['identity-url'], tokens.access);
  const account = await chooseAccount(accounts, args['account-id'], log, () => browser.answer());
  deliverConfig(configText(account, args, tokens.refresh), account, args.output, log);
}

/** Sends the user to Launchpad and waits for the code: from the local callback, or pasted on stdin. */
async function receiveCode(
  args: AuthArgs,
  authorizationUrl: URL,
  state: string,
  log: Logger,
  browser: BrowserSession,
): Promise<{ code: string; redirectUri: string }> {
  const redirectUri = args.browser ? await browser.listen(state, args['redirect-port']) : `http://127.0.0.1:${args['redirect-port']}/callback`;
  authorizationUrl.searchParams.set('type', 'web_server');
  authorizationUrl.searchParams.set('client_id', String(args['client-id']));
  authorizationUrl.searchParams.set('redirect_uri', redirectUri);
  authorizationUrl.searchParams.set('state', state);
  if (args.browser) {
    log.info(`open this URL in your browser and allow access (waiting up to ${args.timeout} s): ${authorizationUrl.href}`);
    return { code: await browser.waitForCode(args.timeout), redirectUri };
  }
  log.info(`open this URL in a browser on any machine and allow access: ${authorizationUrl.href}`);
  log.info(
    `that browser then lands on ${redirectUri} with the code in its address (the page may not load): ` +
      `paste that whole address from its address bar here, or just the code (waiting up to ${args.timeout} s)`,
  );
  return { code: await readPastedCode(state, args.timeout), redirectUri };
}
