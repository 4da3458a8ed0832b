/**
 * The arguments of `tap-basecamp auth`, read and checked before the user goes through the
 * browser: a bad one ends with one line on stderr and exit code 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import yargs from 'yargs';
import { DEFAULT_TOKEN_URL, ENV_PREFIX, carriesSecretsSafely } from '../config';
import { TapError, registerSecret } from '../errors';
import { Logger } from '../log';

export const DEFAULT_AUTHORIZATION_URL = 'https://launchpad.37signals.com/authorization/new';
export const DEFAULT_IDENTITY_URL = 'https://launchpad.37signals.com/authorization.json';

const DEFAULT_PORT = 8765;
const DEFAULT_TIMEOUT_SECONDS = 300;

export interface AuthArgs {
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

/** The secret and the tokens only ever travel over https (or to a local test server). */
export function checkUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TapError(`--${name} is not a valid URL`);
  }
  if (!carriesSecretsSafely(url)) {
    throw new TapError(`--${name} must be an https URL (http is allowed only for localhost)`);
  }
  return url;
}

/** The command line's parser; `fail` receives a usage error instead of an exit. */
function authParser(argv: string[], fail: (message: string) => void) {
  return yargs(argv)
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
    .option('redirect-port', {
      type: 'number',
      default: DEFAULT_PORT,
      describe: 'Port of the local callback http://127.0.0.1:PORT/callback (0: any free port)',
    })
    .option('account-id', { type: 'number', describe: 'The Basecamp account to configure when you have several' })
    .option('authorization-url', { type: 'string', default: DEFAULT_AUTHORIZATION_URL, describe: 'Launchpad authorization endpoint' })
    .option('token-url', { type: 'string', default: DEFAULT_TOKEN_URL, describe: 'Launchpad token endpoint' })
    .option('identity-url', { type: 'string', default: DEFAULT_IDENTITY_URL, describe: 'Launchpad identity endpoint (lists your accounts)' })
    .option('timeout', {
      type: 'number',
      default: DEFAULT_TIMEOUT_SECONDS,
      describe: 'Seconds to wait for the browser to come back (or for the pasted address)',
    })
    .option('browser', {
      type: 'boolean',
      default: true,
      describe:
        'Wait for a browser on this machine to come back to the local callback; --no-browser: paste the address the browser was sent to (or its code) on stdin instead',
    })
    .option('output', { type: 'string', describe: 'Write the config to this file (mode 0600; an existing file is replaced) instead of stdout' })
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, err) => {
      fail(message || err?.message || 'invalid arguments');
    });
}

/** Parses the arguments; returns a number (exit code) when there is nothing else to do. */
export async function parseArgs(argv: string[], log: Logger): Promise<AuthArgs | number> {
  let usageError: string | undefined;
  const env = process.env;
  const args = (await authParser(argv, (message) => (usageError = message)).parse()) as unknown as AuthArgs;
  if (usageError) {
    log.error(`${usageError.split('\n')[0]} (see tap-basecamp auth --help)`);
    return 2;
  }
  if (argv.includes('--help')) return 0;
  args['client-id'] ??= env[`${ENV_PREFIX}CLIENT_ID`] || undefined;
  args['client-secret'] ??= env[`${ENV_PREFIX}CLIENT_SECRET`] || undefined;
  registerSecret(args['client-secret']);
  const problem = argsProblem(args);
  if (problem) {
    log.error(problem);
    return 2;
  }
  if (args.output !== undefined && fs.existsSync(args.output))
    log.warn(`--output ${args.output} exists: it will be replaced by the new config (nothing else in it is kept)`);
  return args;
}

/** Why the arguments cannot be used, in one line; undefined when they can. */
function argsProblem(args: AuthArgs): string | undefined {
  const missing = (['client-id', 'client-secret'] as const).filter((k) => !args[k]);
  if (missing.length > 0) return `${missing.map((k) => `--${k}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required (see tap-basecamp auth --help)`;
  const port = args['redirect-port'];
  if (!Number.isInteger(port) || port < 0 || port > 65535) return '--redirect-port must be an integer between 0 and 65535';
  if (!(args.timeout > 0)) return '--timeout must be a positive number of seconds';
  if (args['account-id'] !== undefined && !(Number.isInteger(args['account-id']) && args['account-id'] > 0)) return '--account-id must be a positive integer';
  if (!args.browser && port === 0)
    return '--no-browser needs the port of the redirect URI registered for your Launchpad app (--redirect-port 0 picks a random one)';
  return args.output !== undefined ? outputProblem(args.output) : undefined;
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
    return `--output ${file}: cannot write in ${dir} (${code === 'ENOENT' ? 'no such directory' : (code ?? (err as Error).message)})`;
  }
  return undefined;
}
