/**
 * The command line: `tap-basecamp --config CONFIG [--discover | --catalog CATALOG | --properties CATALOG]
 * [--state STATE]`, plus `--about` and `--test`. Every failure ends as one line on stderr and a
 * non-zero exit; stdout carries Singer messages (or the catalog / about JSON) only.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import yargs from 'yargs';
import { about, aboutMarkdown } from './about';
import { runAuth } from './auth';
import { discover, defaultSelection, selectionFromCatalog } from './catalog';
import { BasecampClient } from './client';
import { loadConfig, readJsonFile } from './config';
import { SyncEngine } from './engine';
import { Interrupted, TapError, redact } from './errors';
import { Level, Logger, parseLevel } from './log';
import { SingerWriter } from './messages';
import { BookmarkManager, TapState, parseState } from './state';

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

interface Args {
  config?: string[];
  discover?: boolean;
  catalog?: string;
  properties?: string;
  state?: string;
  about?: boolean;
  format?: string;
  test?: boolean;
  'log-level'?: string;
}

/** Resolves to an exit code, or to the signal that stopped the sync (the process should die of it). */
export async function main(argv: string[]): Promise<number | NodeJS.Signals> {
  const log = new Logger(parseLevel(process.env.LOG_LEVEL) ?? 'info');
  if (argv[0] === 'auth') return runAuth(argv.slice(1), log);
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('tap-basecamp')
    .parserConfiguration({ 'camel-case-expansion': false })
    .usage('$0 --config CONFIG [--discover | --catalog CATALOG] [--state STATE]')
    .option('config', { type: 'string', array: true, describe: 'Config JSON file (repeatable; later files override earlier ones)' })
    .option('discover', { type: 'boolean', describe: 'Print the catalog of every stream' })
    .option('catalog', { type: 'string', describe: 'Sync the streams selected in this catalog' })
    .option('properties', { type: 'string', describe: 'Synonym of --catalog (older Singer taps)' })
    .option('state', { type: 'string', describe: 'Resume from this state (the value of a STATE message)' })
    .option('about', { type: 'boolean', describe: 'Print name, version, capabilities, settings and streams' })
    .option('format', { type: 'string', choices: ['json', 'markdown'], default: 'json', describe: 'Format of --about' })
    .option('test', { type: 'boolean', describe: 'Check the connection: refresh the token and read one page of projects' })
    .option('log-level', { type: 'string', describe: 'debug, info, warn or error (default: $LOG_LEVEL or info)' })
    .conflicts('discover', ['catalog', 'properties', 'test'])
    .conflicts('catalog', 'properties')
    .strict()
    .help()
    .version(version())
    .exitProcess(false)
    .fail((message, err) => {
      usageError = message || err?.message || 'invalid arguments';
    });
  const args = (await parser.parse()) as Args;
  if (usageError) {
    log.error(`${usageError.split('\n')[0]} (see tap-basecamp --help)`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('--version')) return 0;
  const level = args['log-level'] !== undefined ? parseLevel(args['log-level']) : undefined;
  if (args['log-level'] !== undefined && !level) {
    log.error(`--log-level must be one of debug, info, warn, error (got "${args['log-level']}")`);
    return 2;
  }
  if (level) log.setLevel(level as Level);

  try {
    if (args.about) {
      process.stdout.write(args.format === 'markdown' ? aboutMarkdown(version()) : JSON.stringify(about(version()), null, 2) + '\n');
      return 0;
    }
    const configPaths = args.config ?? [];
    if (configPaths.length === 0 && !Object.keys(process.env).some((k) => k.startsWith('TAP_BASECAMP_'))) {
      throw new TapError('--config CONFIG is required (or TAP_BASECAMP_* environment variables)');
    }
    const config = loadConfig(configPaths, process.env, (m) => log.warn(m));
    if (args.discover) {
      process.stdout.write(JSON.stringify(discover(), null, 2) + '\n');
      return 0;
    }
    const client = new BasecampClient(config, log);
    if (args.test) {
      await client.refreshToken();
      for await (const _ of client.collection('/projects.json')) break;
      log.info(`OK: token refreshed and projects of account ${config.account_id} readable`);
      return 0;
    }
    const catalogPath = args.catalog ?? args.properties;
    const selection = catalogPath ? selectionFromCatalog(readJsonFile(catalogPath, 'catalog'), catalogPath, (m) => log.warn(m)) : defaultSelection();
    const state: TapState = args.state ? parseState(readJsonFile(args.state, 'state'), args.state) : { bookmarks: {} };
    const writer = new SingerWriter(log);
    const bookmarks = new BookmarkManager(state, config.start_date);
    const engine = new SyncEngine(selection, client, writer, bookmarks, log, { maxConcurrency: config.max_concurrency, startDate: config.start_date });

    const onSignal = (signal: NodeJS.Signals) => engine.interrupt(signal);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const started = Date.now();
    log.info(`syncing ${selection.size} streams of account ${config.account_id}`);
    try {
      await engine.run();
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    const records = [...writer.counts.values()].reduce((a, b) => a + b, 0);
    log.info(
      `sync complete: ${records} records, ${client.stats.requests} requests (${client.stats.retries} retries, ${client.stats.rateLimited} rate-limited, ${client.stats.notModified} not modified, ${client.stats.rereads} pages read again after a list shrank) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  } catch (err) {
    if (err instanceof Interrupted) {
      log.warn(`interrupted by ${err.signal}: stopped after writing a resumable STATE`);
      return err.signal;
    }
    if (err instanceof TapError) log.error(err.message);
    else log.error(`unexpected error: ${redact((err as Error)?.message ?? String(err))}`);
    if (log.enabled('debug') && !(err instanceof TapError)) log.debug(redact(String((err as Error)?.stack ?? '')));
    return 1;
  }
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
      process.stderr.write(`unexpected error: ${redact(String((err as Error)?.message ?? err))}\n`);
      process.exit(1);
    },
  );
}
