/**
 * The config `tap-basecamp auth` ends with: what it holds, and where it goes (stdout, or the
 * --output file, written so that no one else can read it even for a moment).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { apiOf, apiRootOfAccount } from '../api';
import { DEFAULT_TOKEN_URL } from '../config';
import { TapError } from '../errors';
import { Logger } from '../log';
import { ListedAccount } from '../products';
import { describe } from './accounts';
import { AuthArgs } from './args';

/** The user_agent the config is written with, for the user to replace with their own contact. */
export const PLACEHOLDER_USER_AGENT = 'tap-basecamp (you@example.com)';

/** The config JSON for `account`; api_url and token_url only where they are not the defaults. */
export function configText(account: ListedAccount, args: AuthArgs, refreshToken: string): string {
  const config: Record<string, unknown> = {
    account_id: account.id,
    // Said once here, so no run has to ask Launchpad again.
    basecamp_product: account.product,
    client_id: args['client-id'],
    client_secret: args['client-secret'],
    refresh_token: refreshToken,
    user_agent: PLACEHOLDER_USER_AGENT,
  };
  const api = apiOf(account.product);
  const apiUrl = apiRootOfAccount(account.href, account.id, api);
  if (apiUrl !== api.defaultApiUrl) config.api_url = apiUrl;
  if (args['token-url'] !== DEFAULT_TOKEN_URL) config.token_url = args['token-url'];
  return JSON.stringify(config, null, 2) + '\n';
}

/** Writes the config to --output, or prints it on stdout; says where on stderr. */
export function deliverConfig(text: string, account: ListedAccount, output: string | undefined, log: Logger): void {
  const keep = 'keep it private (it holds the client secret and the refresh token)';
  if (output !== undefined) {
    writeConfigFile(output, text);
    log.info(`config for account ${describe(account)} written to ${output} (mode 0600); ${keep}`);
  } else {
    process.stdout.write(text);
    log.info(`config for account ${describe(account)} printed on stdout; ${keep}`);
  }
  log.info(
    `edit its user_agent, "${PLACEHOLDER_USER_AGENT}": put your own contact in place of you@example.com (Basecamp asks for a User-Agent naming the app and how to reach you)`,
  );
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
