/** `tap-basecamp auth`: placeholder until the Launchpad OAuth flow lands. */
import { Logger } from './log';

export async function runAuth(_argv: string[], log: Logger): Promise<number> {
  log.error('auth is not implemented yet');
  return 1;
}
