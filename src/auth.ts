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
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as readline from 'node:readline';
import got, { HTTPError, RequestError } from 'got';
import yargs from 'yargs';
import { BASECAMP_2, BASECAMP_3 } from './api';
import { DEFAULT_USER_AGENT, ENV_PREFIX } from './config';
import { ListedAccount, listedAccounts } from './products';
import { RETRIED_STATUSES, TapError, redact, registerSecret } from './errors';
import { Logger } from './log';

export const DEFAULT_AUTHORIZATION_URL = 'https://launchpad.37signals.com/authorization/new';
export const DEFAULT_TOKEN_URL = 'https://launchpad.37signals.com/authorization/token';
export const DEFAULT_IDENTITY_URL = 'https://launchpad.37signals.com/authorization.json';

const DEFAULT_PORT = 8765;
const DEFAULT_TIMEOUT_SECONDS = 300;
/** The user_agent the config is written with, for the user to replace with their own contact. */
export const PLACEHOLDER_USER_AGENT = 'tap-basecamp (you@example.com)';

interface AuthArgs {
  'client-id'?: string;
  'client-secret'?: string;
  'redirect-port': number;
  'account-id'?: number;
  'authorization-url': string;
  'token-url': string;
  'identity-url': string;
  timeout: number;
  /** false with --no-browser: the redirect comes back pasted on stdin. */
  browser: boolean;
  output?: string;
}

/** One account as Launchpad's authorization.json lists it. */
export type LaunchpadAccount = ListedAccount;

const SUCCESS_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>tap-basecamp</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>tap-basecamp is authorized</h1>
<p>You can close this window and go back to the terminal.</p>
</body></html>
`;

const NOT_AUTHORIZED = 'tap-basecamp was not authorized';

function errorPage(message: string, heading = NOT_AUTHORIZED): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const escaped = escape(message);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>tap-basecamp</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>${escape(heading)}</h1>
<p>${escaped}</p>
<p>Go back to the terminal for details.</p>
</body></html>
`;
}

function isLocalHost(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The secret and the tokens only ever travel over https (or to a local test server). */
function checkUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TapError(`--${name} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url))) {
    throw new TapError(`--${name} must be an https URL (http is allowed only for localhost)`);
  }
  return url;
}

/** Parses the arguments; returns a number (exit code) when there is nothing else to do. */
async function parseArgs(argv: string[], log: Logger): Promise<AuthArgs | number> {
  let usageError: string | undefined;
  const env = process.env;
  const parser = yargs(argv)
    .scriptName('tap-basecamp auth')
    .usage(
      '$0 --client-id ID --client-secret SECRET [--account-id N] [--output FILE] [--no-browser]\n\n' +
        'Authorize tap-basecamp with Launchpad in a browser and print a ready config JSON on stdout (or write it to --output FILE).\n' +
        `Register http://127.0.0.1:${DEFAULT_PORT}/callback (or your --redirect-port) as the redirect URI of your Launchpad app.\n` +
        'On a machine without a browser, --no-browser prints the URL to open on any other machine and reads the address that browser was sent to (or just its code) from stdin.\n' +
        `The client id and secret may also come from ${ENV_PREFIX}CLIENT_ID and ${ENV_PREFIX}CLIENT_SECRET (keeps the secret out of the process list).`,
    )
    .option('client-id', { type: 'string', describe: `Client id of your Launchpad app (default $${ENV_PREFIX}CLIENT_ID)` })
    .option('client-secret', { type: 'string', describe: `Client secret of your Launchpad app (default $${ENV_PREFIX}CLIENT_SECRET)` })
    .option('redirect-port', { type: 'number', default: DEFAULT_PORT, describe: 'Port of the local callback http://127.0.0.1:PORT/callback (0: any free port)' })
    .option('account-id', { type: 'number', describe: 'The Basecamp account to configure when you have several' })
    .option('authorization-url', { type: 'string', default: DEFAULT_AUTHORIZATION_URL, describe: 'Launchpad authorization endpoint' })
    .option('token-url', { type: 'string', default: DEFAULT_TOKEN_URL, describe: 'Launchpad token endpoint' })
    .option('identity-url', { type: 'string', default: DEFAULT_IDENTITY_URL, describe: 'Launchpad identity endpoint (lists your accounts)' })
    .option('timeout', { type: 'number', default: DEFAULT_TIMEOUT_SECONDS, describe: 'Seconds to wait for the browser to come back (or for the pasted address)' })
    .option('browser', {
      type: 'boolean',
      default: true,
      describe: 'Wait for a browser on this machine to come back to the local callback; --no-browser: paste the address the browser was sent to (or its code) on stdin instead',
    })
    .option('output', { type: 'string', describe: 'Write the config to this file (mode 0600; an existing file is replaced) instead of stdout' })
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, err) => {
      usageError = message || err?.message || 'invalid arguments';
    });
  const args = (await parser.parse()) as unknown as AuthArgs;
  if (usageError) {
    log.error(`${usageError.split('\n')[0]} (see tap-basecamp auth --help)`);
    return 2;
  }
  if (argv.includes('--help')) return 0;
  args['client-id'] ??= env[`${ENV_PREFIX}CLIENT_ID`] || undefined;
  args['client-secret'] ??= env[`${ENV_PREFIX}CLIENT_SECRET`] || undefined;
  registerSecret(args['client-secret']);
  const missing = (['client-id', 'client-secret'] as const).filter((k) => !args[k]);
  if (missing.length > 0) {
    log.error(`${missing.map((k) => `--${k}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required (see tap-basecamp auth --help)`);
    return 2;
  }
  const port = args['redirect-port'];
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log.error('--redirect-port must be an integer between 0 and 65535');
    return 2;
  }
  if (!(args.timeout > 0)) {
    log.error('--timeout must be a positive number of seconds');
    return 2;
  }
  if (args['account-id'] !== undefined && !(Number.isInteger(args['account-id']) && args['account-id'] > 0)) {
    log.error('--account-id must be a positive integer');
    return 2;
  }
  if (!args.browser && port === 0) {
    log.error('--no-browser needs the port of the redirect URI registered for your Launchpad app (--redirect-port 0 picks a random one)');
    return 2;
  }
  if (args.output !== undefined) {
    const problem = outputProblem(args.output);
    if (problem) {
      log.error(problem);
      return 2;
    }
    if (fs.existsSync(args.output)) log.warn(`--output ${args.output} exists: it will be replaced by the new config (nothing else in it is kept)`);
  }
  return args;
}

/** Why the config could not be written to `file`, checked before the user goes through the browser. */
function outputProblem(file: string): string | undefined {
  if (file === '') return '--output needs a file name';
  const dir = path.dirname(path.resolve(file));
  try {
    if (fs.statSync(file).isDirectory()) return `--output ${file} is a directory; name a file`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return `--output ${file} cannot be checked (${code ?? (err as Error).message})`;
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `--output ${file}: cannot write in ${dir} (${code === 'ENOENT' ? 'no such directory' : code ?? (err as Error).message})`;
  }
  return undefined;
}

/**
 * Writes the config to `file` atomically with mode 0600: a temporary sibling created 0600 (never
 * readable by others, not even for a moment), flushed, then renamed over `file`.
 */
function writeConfigFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
    fs.fchmodSync(fd, 0o600); // whatever the umask
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new TapError(`cannot write the config to ${file} (${code ?? (err as Error).message})`);
  }
}

/** The code a redirect carries, or why it carries none (for the terminal, and for the page). */
type Redirect = { code: string } | { error: string; page: string };

/**
 * Reads a redirect's parameters. Launchpad may or may not echo `state`; when it does, it must be
 * ours (a forged redirect from another page would carry a different one or none).
 * `source` starts the error: "the browser came back with", "the pasted address carries".
 */
function readRedirect(params: URLSearchParams, state: string, source: string): Redirect {
  const error = params.get('error');
  const code = params.get('code');
  const echoed = params.get('state');
  registerSecret(code);
  if (echoed !== null && echoed !== state) {
    return {
      page: 'The state parameter does not match this authorization request.',
      error: `${source} a state that does not match this authorization request; run tap-basecamp auth again`,
    };
  }
  if (error !== null || !code) {
    const why = error !== null ? `Launchpad answered "${error}"` : 'the redirect carried no code';
    return {
      page: `Authorization failed: ${why}.`,
      error: `authorization failed: ${why}${error === 'access_denied' ? ' (access was denied in the browser)' : ''}`,
    };
  }
  return { code };
}

/** A code the browser brought back; its request is held open until `answer` tells it how it all ended. */
interface BrowserCallback {
  code: string;
  /** Answers the browser: the success page, or (with a failure) the error page. Resolves once sent. */
  answer(failure?: { heading: string; message: string }): Promise<void>;
}

/** The local end of the redirect: resolves with the code the browser brings back. */
class CallbackServer {
  private server = http.createServer((req, res) => this.handle(req, res));
  private settle?: { resolve: (callback: BrowserCallback) => void; reject: (err: Error) => void };
  private timer?: NodeJS.Timeout;
  private listening = false;
  port = 0;

  constructor(private readonly state: string) {}

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new TapError(
            err.code === 'EADDRINUSE'
              ? `port ${port} on 127.0.0.1 is in use; pick another with --redirect-port (and register that redirect URI with your Launchpad app)`
              : `cannot listen on 127.0.0.1:${port} (${err.code ?? err.message})`,
          ),
        );
      });
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.listening = true;
    this.port = (this.server.address() as AddressInfo).port;
  }

  get redirectUri(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  /** Waits for the browser's redirect, at most `seconds`. */
  waitForCode(seconds: number): Promise<BrowserCallback> {
    return new Promise<BrowserCallback>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.timer = setTimeout(() => {
        this.finish(new TapError(`timed out after ${seconds} s waiting for the browser to come back to ${this.redirectUri}`));
      }, seconds * 1000);
    });
  }

  /** Takes no new connection (the one held open for the answer stays). */
  stopListening(): void {
    if (this.listening) this.server.close();
    this.listening = false;
    this.server.closeIdleConnections();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.stopListening();
    this.server.closeAllConnections();
  }

  private finish(result: BrowserCallback | Error): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (result instanceof Error) settle.reject(result);
    else settle.resolve(result);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.redirectUri);
    const reply = (status: number, body: string): Promise<void> =>
      new Promise<void>((resolve) => {
        // Sent, or the browser went away: either way there is nothing more to wait for.
        const cap = setTimeout(resolve, 5000);
        cap.unref();
        const done = () => {
          clearTimeout(cap);
          resolve();
        };
        res.once('finish', done);
        res.once('close', done);
        if (res.destroyed) {
          done();
          return;
        }
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
        res.end(body);
      });
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      void reply(404, errorPage('Not found.'));
      return;
    }
    if (!this.settle) {
      void reply(409, errorPage('This authorization has already been handled.'));
      return;
    }
    const redirect = readRedirect(url.searchParams, this.state, 'the browser came back with');
    if ('error' in redirect) {
      void reply(400, errorPage(redirect.page));
      this.finish(new TapError(redirect.error));
      return;
    }
    let answered = false;
    this.finish({
      code: redirect.code,
      answer: (failure) => {
        if (answered) return Promise.resolve();
        answered = true;
        return failure ? reply(502, errorPage(failure.message, failure.heading)) : reply(200, SUCCESS_PAGE);
      },
    });
  }
}

/**
 * Reads the code pasted on stdin (--no-browser): the first non-blank line, the address the browser
 * was sent to or just the code. Waits at most `seconds`.
 */
async function readPastedCode(state: string, seconds: number): Promise<string> {
  const line = await new Promise<string>((resolve, reject) => {
    // Not a terminal interface: the process itself never echoes what was pasted.
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    let settled = false;
    const finish = (result: string | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(new TapError(`timed out after ${seconds} s waiting for the address (or the code) on stdin`)), seconds * 1000);
    rl.on('line', (text) => {
      if (text.trim() !== '') finish(text);
    });
    rl.once('close', () => finish(new TapError('stdin ended before an address or a code was pasted (--no-browser reads one line)')));
    if (process.stdin.isTTY) process.stderr.write('Address (or code): ');
  });
  return codeFromPaste(line, state);
}

/** The code in a pasted line: `code=` of an address (or of a bare query string), else the line itself. */
function codeFromPaste(line: string, state: string): string {
  const text = line.trim().replace(/^(["'<])(.*)(["'>])$/, '$2').trim();
  const query = text.indexOf('?');
  const isAddress = /^[a-z][a-z\d+.-]*:\/\//i.test(text);
  if (query >= 0 || isAddress || /[=&]/.test(text)) {
    const params = new URLSearchParams((query >= 0 ? text.slice(query + 1) : isAddress ? '' : text).replace(/#.*$/, ''));
    registerSecret(params.get('code'));
    if (!params.has('code') && !params.has('error')) {
      throw new TapError('the pasted address carries no code= parameter: paste the whole address the browser was sent to (from its address bar), or just the code');
    }
    const redirect = readRedirect(params, state, 'the pasted address carries');
    if ('error' in redirect) throw new TapError(redirect.error);
    return redirect.code;
  }
  registerSecret(text);
  if (!/^[\w.~+/-]+$/.test(text)) {
    throw new TapError('the pasted line is neither an address with code= nor a code: paste the whole address the browser was sent to, or just the code');
  }
  return text;
}

function oauthError(err: HTTPError): string {
  try {
    const body = JSON.parse(String(err.response.body)) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : '';
  } catch {
    return '';
  }
}

async function exchangeCode(args: AuthArgs, code: string, redirectUri: string): Promise<{ access: string; refresh: string }> {
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
        retry: { limit: 2, methods: ['POST'], statusCodes: [...RETRIED_STATUSES] },
        followRedirect: false,
      })
      .json();
  } catch (err) {
    if (err instanceof HTTPError) {
      const status = err.response.statusCode;
      const code = oauthError(err);
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

async function fetchAccounts(identityUrl: string, accessToken: string): Promise<LaunchpadAccount[]> {
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

function describe(account: LaunchpadAccount): string {
  return `${account.id} (${account.name || 'unnamed'})`;
}

/** Asks on stderr which account to use; reads the answer from stdin (a terminal). */
async function askAccount(accounts: LaunchpadAccount[]): Promise<LaunchpadAccount> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let closed = false;
  let onClose: (() => void) | undefined;
  rl.once('close', () => {
    closed = true;
    onClose?.();
  });
  try {
    process.stderr.write('Your Basecamp accounts:\n');
    accounts.forEach((a, i) => process.stderr.write(`  ${i + 1}. ${a.name || 'unnamed'} (account ${a.id})\n`));
    for (;;) {
      const answer = closed
        ? null
        : await new Promise<string | null>((resolve) => {
            onClose = () => resolve(null);
            rl.question(`Which one should tap-basecamp read? [1-${accounts.length}] `, resolve);
          });
      if (answer === null) throw new TapError('no account chosen (input closed); pass --account-id');
      const n = Number(answer.trim());
      if (Number.isInteger(n) && n >= 1 && n <= accounts.length) return accounts[n - 1];
      const byId = accounts.find((a) => String(a.id) === answer.trim());
      if (byId) return byId;
      process.stderr.write(`Please answer a number between 1 and ${accounts.length}.\n`);
    }
  } finally {
    rl.close();
  }
}

/** `beforeAsking` runs before a question on the terminal (the browser is answered first, not kept waiting). */
async function chooseAccount(all: LaunchpadAccount[], wanted: number | undefined, log: Logger, beforeAsking: () => Promise<void>): Promise<LaunchpadAccount> {
  const readable = (a: LaunchpadAccount) => a.product === 'bc3' || a.product === 'bcx';
  const supported = all.filter(readable);
  for (const a of all.filter((x) => !readable(x))) {
    log.warn(`account ${describe(a)} is a "${a.product}" account: not supported (tap-basecamp reads Basecamp 3/4/5 accounts, product bc3, and Basecamp 2 accounts, product bcx)`);
  }
  if (supported.length === 0) {
    throw new TapError('this Launchpad identity has no Basecamp 3/4/5 (bc3) or Basecamp 2 (bcx) account; tap-basecamp cannot read it');
  }
  if (wanted !== undefined) {
    const found = supported.find((a) => a.id === wanted);
    if (!found) throw new TapError(`--account-id ${wanted} is not one of your Basecamp accounts: ${supported.map(describe).join(', ')}`);
    return found;
  }
  if (supported.length === 1) return supported[0];
  if (process.stdin.isTTY) {
    await beforeAsking();
    return askAccount(supported);
  }
  throw new TapError(`several Basecamp accounts and no terminal to ask on; choose one with --account-id: ${supported.map(describe).join(', ')}`);
}

/** The API root the tap assumes for an account of this product when its config names none. */
function defaultApiUrl(account: LaunchpadAccount): string {
  return (account.product === 'bcx' ? BASECAMP_2 : BASECAMP_3).defaultApiUrl;
}

/** The API root an account lives on: its href without the trailing /<account id> (Basecamp 2: /<account id>/api/v1). */
export function apiUrlOf(account: LaunchpadAccount): string {
  const fallback = defaultApiUrl(account);
  if (!account.href) return fallback;
  let url: URL;
  try {
    url = new URL(account.href);
  } catch {
    return fallback;
  }
  const path = url.pathname.replace(/\/+$/, '');
  const suffix = account.product === 'bcx' ? `/${account.id}/api/v1` : `/${account.id}`;
  const base = path.endsWith(suffix) ? path.slice(0, -suffix.length) : '';
  return `${url.origin}${base}`;
}

export async function runAuth(argv: string[], log: Logger): Promise<number> {
  const parsed = await parseArgs(argv, log);
  if (typeof parsed === 'number') return parsed;
  const args = parsed;
  let server: CallbackServer | undefined;
  /** The browser's callback, held open until the outcome is known. */
  let browser: BrowserCallback | undefined;
  let authorized = false;
  const answerBrowser = async (failure?: string): Promise<void> => {
    const callback = browser;
    browser = undefined;
    if (!callback) return;
    const heading = authorized ? 'tap-basecamp is authorized, but its config was not written' : NOT_AUTHORIZED;
    await callback.answer(failure === undefined ? undefined : { heading, message: redact(failure) });
  };
  try {
    const authorizationUrl = checkUrl('authorization-url', args['authorization-url']);
    checkUrl('token-url', args['token-url']);
    checkUrl('identity-url', args['identity-url']);

    const state = randomBytes(16).toString('hex');
    let redirectUri = `http://127.0.0.1:${args['redirect-port']}/callback`;
    if (args.browser) {
      server = new CallbackServer(state);
      await server.listen(args['redirect-port']);
      redirectUri = server.redirectUri;
    }
    authorizationUrl.searchParams.set('type', 'web_server');
    authorizationUrl.searchParams.set('client_id', String(args['client-id']));
    authorizationUrl.searchParams.set('redirect_uri', redirectUri);
    authorizationUrl.searchParams.set('state', state);

    let code: string;
    if (server) {
      log.info(`open this URL in your browser and allow access (waiting up to ${args.timeout} s): ${authorizationUrl.href}`);
      browser = await server.waitForCode(args.timeout);
      code = browser.code;
      server.stopListening();
    } else {
      log.info(`open this URL in a browser on any machine and allow access: ${authorizationUrl.href}`);
      log.info(
        `that browser then lands on ${redirectUri} with the code in its address (the page may not load): ` +
          `paste that whole address from its address bar here, or just the code (waiting up to ${args.timeout} s)`,
      );
      code = await readPastedCode(state, args.timeout);
    }
    log.info('authorization code received; exchanging it for a refresh token');
    const tokens = await exchangeCode(args, code, redirectUri);
    authorized = true;
    const accounts = await fetchAccounts(args['identity-url'], tokens.access);
    const account = await chooseAccount(accounts, args['account-id'], log, () => answerBrowser());

    const config: Record<string, unknown> = {
      account_id: account.id,
      // Said once here, so no run has to ask Launchpad again.
      basecamp_product: account.product,
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      refresh_token: tokens.refresh,
      user_agent: PLACEHOLDER_USER_AGENT,
    };
    const apiUrl = apiUrlOf(account);
    if (apiUrl !== defaultApiUrl(account)) config.api_url = apiUrl;
    if (args['token-url'] !== DEFAULT_TOKEN_URL) config.token_url = args['token-url'];
    const text = JSON.stringify(config, null, 2) + '\n';
    const keep = 'keep it private (it holds the client secret and the refresh token)';
    if (args.output !== undefined) {
      writeConfigFile(args.output, text);
      log.info(`config for account ${describe(account)} written to ${args.output} (mode 0600); ${keep}`);
    } else {
      process.stdout.write(text);
      log.info(`config for account ${describe(account)} printed on stdout; ${keep}`);
    }
    log.info(`edit its user_agent, "${PLACEHOLDER_USER_AGENT}": put your own contact in place of you@example.com (Basecamp asks for a User-Agent naming the app and how to reach you)`);
    await answerBrowser();
    return 0;
  } catch (err) {
    const message = err instanceof TapError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    log.error(message);
    await answerBrowser(message);
    return 1;
  } finally {
    server?.close();
  }
}
