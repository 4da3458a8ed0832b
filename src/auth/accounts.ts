/**
 * Which of the Launchpad identity's accounts the config is for: the only Basecamp one,
 * --account-id, or the answer to a question on the terminal.
 */
import * as readline from 'node:readline';
import { TapError } from '../errors';
import { Logger } from '../log';
import { ListedAccount } from '../products';

/** An account in messages: "42 (Acme)". */
export function describe(account: ListedAccount): string {
  return `${account.id} (${account.name || 'unnamed'})`;
}

/** Asks on stderr which account to use; reads the answer from stdin (a terminal). */
async function askAccount(accounts: ListedAccount[]): Promise<ListedAccount> {
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
export async function chooseAccount(all: ListedAccount[], wanted: number | undefined, log: Logger, beforeAsking: () => Promise<void>): Promise<ListedAccount> {
  const readable = (a: ListedAccount) => a.product === 'bc3' || a.product === 'bcx';
  const supported = all.filter(readable);
  for (const a of all.filter((x) => !readable(x))) {
    log.warn(
      `account ${describe(a)} is a "${a.product}" account: not supported (tap-basecamp reads Basecamp 3/4/5 accounts, product bc3, and Basecamp 2 accounts, product bcx)`,
    );
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
