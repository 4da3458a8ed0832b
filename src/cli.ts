/**
 * The command line: `tap-basecamp --config CONFIG [--discover | --catalog CATALOG | --properties CATALOG]
 * [--state STATE]`, plus `--about` and `--test`. Every failure ends as one line on stderr and a
 * non-zero exit; stdout carries Singer messages (or the catalog / about JSON) only.
 */
import { runAuth } from './auth/command';
import { AccountError, Interrupted, TapError, redact } from './errors';
import { Logger, formatLine, levelFromEnv, parseFormat } from './log';
import { ProductId, productSettingHint } from './products';
import { Args, parseArgs } from './cli/args';
import { aboutMode, configFor, discoverMode, testMode } from './cli/modes';
import { syncMode } from './cli/sync';

/** Resolves to an exit code, or to the signal that stopped the sync (the process should die of it). */
export async function main(argv: string[]): Promise<number | NodeJS.Signals> {
  const envLevel = levelFromEnv(process.env);
  // Lines printed before the config is read take the format from the environment (as Meltano hands it over).
  const log = new Logger(envLevel.level, undefined, parseFormat(process.env.TAP_BASECAMP_LOG_FORMAT) ?? 'text');
  if (envLevel.problem) log.warn(envLevel.problem);
  if (argv[0] === 'auth') return runAuth(argv.slice(1), log);
  const args = await parseArgs(argv, log);
  if (typeof args === 'number') return args;
  return runMode(args, log);
}

/** The mode the flags ask for: --about, --discover, --test or a sync. */
async function runMode(args: Args, log: Logger): Promise<number | NodeJS.Signals> {
  /** basecamp_product as the config set it: an account that answers 404 may be the other product. */
  let productSetting: ProductId | undefined;
  try {
    if (args.about) return aboutMode(args);
    const config = configFor(args, log);
    productSetting = config.basecamp_product;
    if (args.discover) return await discoverMode(config, log);
    if (args.test) return await testMode(config, log);
    return await syncMode(args, config, log);
  } catch (err) {
    return failed(err, productSetting, log);
  }
}

/** How a run that threw ends: one line on stderr, exit code 1, or the signal that interrupted it. */
function failed(err: unknown, productSetting: ProductId | undefined, log: Logger): number | NodeJS.Signals {
  if (err instanceof Interrupted) {
    log.warn(
      `interrupted by ${err.signal}: stopped after writing a resumable STATE; to resume, run the same command again with --state FILE, FILE holding the value of the last STATE message on stdout (Meltano passes back the state it stored by itself)`,
    );
    return err.signal;
  }
  const hint = err instanceof AccountError && err.kind === 'not_found' ? productSettingHint(productSetting) : '';
  if (err instanceof TapError) log.error(err.message + hint);
  else log.error(`unexpected error: ${redact((err as Error)?.message ?? String(err))}`);
  if (log.enabled('debug') && !(err instanceof TapError)) log.debug(redact(String((err as Error)?.stack ?? '')));
  return 1;
}

/** Entry point of bin/tap-basecamp: run, flush stdout, exit (or die of the signal that stopped us). */
export function run(): void {
  // A reader that goes away (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (result) => {
      const finish = () => {
        if (typeof result === 'string') {
          // Die of the same signal so a supervisor (meltano config test) sees how we ended.
          process.removeAllListeners(result);
          process.kill(process.pid, result);
          return;
        }
        process.exit(result);
      };
      if (process.stdout.writableLength > 0) process.stdout.once('drain', finish);
      else finish();
    },
    (err: unknown) => {
      const ctx = { format: parseFormat(process.env.TAP_BASECAMP_LOG_FORMAT) ?? 'text', accountId: null, time: new Date() } as const;
      process.stderr.write(formatLine('error', `unexpected error: ${redact(String((err as Error)?.message ?? err))}`, {}, ctx) + '\n');
      process.exit(1);
    },
  );
}
