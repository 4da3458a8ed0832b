/**
 * The command line: `tap-basecamp --config CONFIG [--discover | --catalog CATALOG | --properties CATALOG]
 * [--state STATE]`, plus `--about` and `--test`. Every failure ends as one line on stderr and a
 * non-zero exit; stdout carries Singer messages (or the catalog / about JSON) only.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import yargs from 'yargs';
import { about, aboutMarkdown } from './about';
import { runAuth } from './auth/command';
import { StreamSelection, discover, defaultSelection, selectionFromCatalog } from './catalog';
import { BasecampClient } from './client';
import { CONFIG_FROM_ENV, Config, loadConfig, readJsonFile } from './config';
import { SyncEngine } from './engine';
import { AccountError, Interrupted, TapError, accountError, redact } from './errors';
import { Level, Logger, formatLine, levelFromEnv, parseFormat, parseLevel } from './log';
import { SyncMetrics, SyncStatus } from './metrics';
import { SingerWriter } from './messages';
import { BookmarkManager, TapState, ownerMismatch, parseState } from './state';
import { RatePoint, observedRate, progressInterval, progressLine, summaryLines, trimRatePoints } from './progress';
import { PRODUCTS, Product, ProductId, productOf, productSettingHint } from './products';
import { FullTableVersions, childMap, fullTableStreams, isStateless } from './versions';

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
/** `--test` answers within this long, whatever the network does. */
const TEST_DEADLINE_MS = 30_000;

const EPILOG = `Commands:
  tap-basecamp auth --client-id ID --client-secret SECRET [--output config.json]
      get a refresh token through Launchpad and write a ready config (tap-basecamp auth --help)

Every config key can come from the environment as TAP_BASECAMP_<KEY> (TAP_BASECAMP_ACCOUNT_ID,
TAP_BASECAMP_CLIENT_ID, TAP_BASECAMP_CLIENT_SECRET, TAP_BASECAMP_REFRESH_TOKEN, ...); a config
file wins. --config ENV: settings from the environment only. The log level (debug, info, warn,
error) is --log-level, else TAP_BASECAMP_LOGLEVEL, else LOG_LEVEL, else LOGLEVEL, else info.

Exit codes: 0 done; 1 failed (one line on stderr says why); 2 bad command line; on SIGINT or
SIGTERM the tap writes a final resumable STATE and dies of that signal.`;

export async function main(argv: string[]): Promise<number | NodeJS.Signals> {
  const envLevel = levelFromEnv(process.env);
  // Lines printed before the config is read take the format from the environment (as Meltano hands it over).
  const log = new Logger(envLevel.level, undefined, parseFormat(process.env.TAP_BASECAMP_LOG_FORMAT) ?? 'text');
  if (envLevel.problem) log.warn(envLevel.problem);
  if (argv[0] === 'auth') return runAuth(argv.slice(1), log);
  if (argv[0] === 'help' && argv.length === 1) argv = ['--help'];
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('tap-basecamp')
    .parserConfiguration({ 'camel-case-expansion': false })
    .usage('$0 --config CONFIG [--discover | --catalog CATALOG] [--state STATE]')
    .option('config', { type: 'string', array: true, describe: 'Config JSON file (repeatable; later files override earlier ones), or ENV: settings from the environment only' })
    .option('discover', { type: 'boolean', describe: 'Print the catalog of every stream' })
    .option('catalog', { type: 'string', describe: 'Sync the streams selected in this catalog' })
    .option('properties', { type: 'string', describe: 'Synonym of --catalog (older Singer taps)' })
    .option('state', { type: 'string', describe: 'Resume from this state (the value of a STATE message)' })
    .option('about', { type: 'boolean', describe: 'Print name, version, capabilities, settings and streams' })
    .option('format', { type: 'string', choices: ['json', 'markdown'], default: 'json', describe: 'Format of --about' })
    .option('test', { type: 'boolean', describe: 'Check the connection: refresh the token and read one page of projects' })
    .option('log-level', { type: 'string', describe: 'debug, info, warn or error (default: $TAP_BASECAMP_LOGLEVEL, $LOG_LEVEL, $LOGLEVEL or info)' })
    // Meltano passes the catalog it cached along with --discover: discovery wins, as in SDK taps.
    .conflicts('discover', 'test')
    .conflicts('catalog', 'properties')
    .epilogue(EPILOG)
    .strict()
    .help()
    .alias('help', 'h')
    .version(version())
    .exitProcess(false)
    .fail((message, err) => {
      usageError = message || err?.message || 'invalid arguments';
    });
  // Two of one flag, or an empty path, would reach the code as an array or as ''.
  for (const flag of ['catalog', 'properties', 'state', 'format', 'log-level']) {
    const given = argv.filter((a) => a === `--${flag}` || a.startsWith(`--${flag}=`)).length;
    if (given > 1) {
      log.error(`--${flag} given ${given} times; give it once (see tap-basecamp --help)`);
      return 2;
    }
  }
  const args = (await parser.parse()) as Args;
  if (usageError) {
    // yargs puts the reason after a first line such as "Invalid values:"; keep both.
    const reason = usageError.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    log.error(`${reason} (see tap-basecamp --help)`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--version')) return 0;
  for (const flag of ['catalog', 'properties', 'state'] as const) {
    if (args[flag] !== undefined && String(args[flag]).trim() === '') {
      log.error(`--${flag} needs a file path, not an empty string (see tap-basecamp --help)`);
      return 2;
    }
  }
  if ((args.config ?? []).some((c) => String(c).trim() === '')) {
    log.error('--config needs a file path, not an empty string (see tap-basecamp --help)');
    return 2;
  }
  const level = args['log-level'] !== undefined ? parseLevel(args['log-level']) : undefined;
  if (args['log-level'] !== undefined && !level) {
    log.error(`--log-level must be one of debug, info, warn, error (got "${args['log-level']}")`);
    return 2;
  }
  if (level) log.setLevel(level as Level);
  const ignored = discoveryIgnores(args);
  if (ignored) log.warn(ignored);

  /** basecamp_product as the config set it: an account that answers 404 may be the other product. */
  let productSetting: ProductId | undefined;
  try {
    if (args.about) {
      process.stdout.write(args.format === 'markdown' ? aboutMarkdown(version()) : JSON.stringify(about(version()), null, 2) + '\n');
      return 0;
    }
    const configPaths = args.config ?? [];
    const fromEnv = Object.keys(process.env).some((k) => k.startsWith('TAP_BASECAMP_'));
    if (configPaths.length === 0 && !fromEnv) throw new TapError('--config CONFIG is required (or TAP_BASECAMP_* environment variables)');
    if (configPaths.every((p) => p === CONFIG_FROM_ENV) && configPaths.length > 0 && !fromEnv) {
      throw new TapError(`--config ${CONFIG_FROM_ENV} reads the settings from TAP_BASECAMP_* environment variables, and none is set`);
    }
    const config = loadConfig(configPaths, process.env, (m) => log.warn(m));
    productSetting = config.basecamp_product;
    log.setFormat(config.log_format);
    log.setAccount(config.account_id);
    const known = config.basecamp_product ? PRODUCTS[config.basecamp_product] : undefined;
    if (args.discover && known) {
      process.stdout.write(JSON.stringify(discover(known, config.add_account_id), null, 2) + '\n');
      return 0;
    }
    const client = new BasecampClient(config, log, { api: known?.api });
    if (args.discover) {
      const product = await productFor(config, client, log);
      process.stdout.write(JSON.stringify(discover(product, config.add_account_id), null, 2) + '\n');
      return 0;
    }
    if (args.test) {
      // An answer within TEST_DEADLINE_MS whatever the network does: one retry, short timeouts.
      const testClient = new BasecampClient({ ...config, max_retries: Math.min(config.max_retries, 1), request_timeout_seconds: Math.min(config.request_timeout_seconds, 10) }, log, { api: known?.api });
      let product: Product | undefined;
      const check = async () => {
        await testClient.refreshToken();
        product = await productFor(config, testClient);
        for await (const _ of testClient.collection(product.api.probePath)) break;
      };
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TapError(`no answer from ${new URL(testClient.accountBase).host} within ${TEST_DEADLINE_MS / 1000} s`)), TEST_DEADLINE_MS);
      });
      try {
        await Promise.race([check(), deadline]);
      } catch (err) {
        throw accountError(config.account_id, err) ?? err;
      } finally {
        clearTimeout(timer);
      }
      const how = config.basecamp_product ? '' : ' (Launchpad says)';
      log.info(`OK: token refreshed and projects of ${product!.title} account ${config.account_id}${how} readable`);
      return 0;
    }
    const catalogPath = args.catalog ?? args.properties;
    const catalog = catalogPath ? readJsonFile(catalogPath, 'catalog') : undefined;
    const product = await productFor(config, client, log);
    const selection = catalogPath ? selectionFromCatalog(catalog, catalogPath, (m) => log.warn(m), product, config.add_account_id) : defaultSelection(product);
    if (selection.size === 0) log.warn(`catalog ${catalogPath} selects no stream: nothing will be synced (set "selected": true in a stream's metadata)`);
    const state: TapState = args.state ? parseState(readJsonFile(args.state, 'state'), args.state) : { bookmarks: {} };
    // Checked once the product is known (it may come from Launchpad), before anything is written.
    const mismatch = args.state ? ownerMismatch(state, { account_id: config.account_id, basecamp_product: product.id }, args.state) : undefined;
    if (mismatch) throw new TapError(mismatch);
    return await sync(config, client, product, selection, state, args.state !== undefined, log);
  } catch (err) {
    if (err instanceof Interrupted) {
      log.warn(`interrupted by ${err.signal}: stopped after writing a resumable STATE; to resume, run the same command again with --state FILE, FILE holding the value of the last STATE message on stdout (Meltano passes back the state it stored by itself)`);
      return err.signal;
    }
    const hint = err instanceof AccountError && err.kind === 'not_found' ? productSettingHint(productSetting) : '';
    if (err instanceof TapError) log.error(err.message + hint);
    else log.error(`unexpected error: ${redact((err as Error)?.message ?? String(err))}`);
    if (log.enabled('debug') && !(err instanceof TapError)) log.debug(redact(String((err as Error)?.stack ?? '')));
    return 1;
  }
}

/** The warning for a catalog given with --discover, which prints the catalog of every stream and reads none. */
function discoveryIgnores(args: Pick<Args, 'discover' | 'catalog' | 'properties'>): string | undefined {
  if (!args.discover) return undefined;
  const given = (['catalog', 'properties'] as const).filter((f) => args[f] !== undefined).map((f) => `--${f} ${args[f]}`);
  return given.length > 0 ? `--discover prints the catalog of every stream: ignoring ${given.join(' and ')}` : undefined;
}

/** A sync: records and states on stdout; progress lines, a summary and metrics on stderr. */
async function sync(config: Config, client: BasecampClient, product: Product, selection: Map<string, StreamSelection>, state: TapState, stateGiven: boolean, log: Logger): Promise<number> {
  const writer = new SingerWriter(log, undefined, config.add_account_id ? config.account_id : undefined);
  const versions = fullTableVersions(config, stateGiven ? state : undefined, product, selection, log);
  versions?.stamp(writer);
  const bookmarks = new BookmarkManager(state, config.start_date, { account_id: config.account_id, basecamp_product: product.id });
  const engine = new SyncEngine(selection, client, writer, bookmarks, log, { maxConcurrency: config.max_concurrency, startDate: config.start_date, versions }, product);
  const selected = product.streams.filter((st) => selection.has(st.name)).map((st) => st.name);
  const metrics = new SyncMetrics(log, writer.counts, selected);
  const onSignal = (signal: NodeJS.Signals) => engine.interrupt(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  const streamOrder = product.streams.map((st) => st.name);
  let ratePoints: RatePoint[] = [{ elapsedMs: 0, requests: 0 }];
  // A line now and then, so a long first sync is seen to be working; record counts go with it.
  const ticker = setInterval(() => {
    const elapsedMs = Date.now() - started;
    ratePoints = trimRatePoints([...ratePoints, { elapsedMs, requests: client.stats.requests }]);
    const { partitionsDone, partitionsKnown, pagesLeft } = engine.progress();
    const reading = engine.activity.readingNow(streamOrder);
    log.info(progressLine({ elapsedMs, records: writer.total, requests: client.stats.requests, partitionsDone, partitionsKnown, pagesLeft, ratePerSecond: observedRate(ratePoints), reading }));
    metrics.counters(false);
  }, progressInterval(config.progress_interval_seconds));
  ticker.unref();
  const finish = (outcome: 'complete' | 'failed' | 'interrupted') => {
    metrics.counters(true);
    const status: SyncStatus = outcome === 'complete' ? 'succeeded' : 'failed';
    metrics.timers(status, engine.activity, Date.now() - started);
    const lines = summaryLines({
      records: selected.map((name) => [name, writer.counts.get(name) ?? 0]),
      requests: client.stats.requests,
      retries: client.stats.retries,
      rateLimited: client.stats.rateLimited,
      notModified: client.stats.notModified,
      rereads: client.stats.rereads,
      rechecked: client.stats.rechecked,
      elapsedMs: Date.now() - started,
      version: version(),
      outcome,
    });
    // The first lines are the streams' (in `selected` order), then the totals.
    lines.forEach((line, i) => log.info(line, i < selected.length ? { stream: selected[i] } : {}));
  };
  log.info(`syncing ${selection.size} streams of ${product.api.name} account ${config.account_id}`);
  try {
    await engine.run();
  } catch (err) {
    finish(err instanceof Interrupted ? 'interrupted' : 'failed');
    throw err;
  } finally {
    clearInterval(ticker);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  finish('complete');
  return 0;
}

/** activate_version: the full-table streams a run without state may activate (none with state). */
function fullTableVersions(config: Config, state: TapState | undefined, product: Product, selection: Map<string, StreamSelection>, log: Logger): FullTableVersions | undefined {
  if (!config.activate_version) return undefined;
  if (!isStateless(state)) {
    log.info('activate_version: this run resumes from a state, so it reads no full-table stream whole and sends no ACTIVATE_VERSION (run without --state, e.g. meltano run --full-refresh)');
    return undefined;
  }
  const streams = fullTableStreams(product.streams, selection);
  log.info(`activate_version: a run without state; ${streams.length} full-table streams get ACTIVATE_VERSION if read whole`);
  return new FullTableVersions(streams, childMap(product.streams), Date.now());
}

/**
 * The product the account is: the config's basecamp_product, or else what Launchpad lists for
 * it. The client reads that product's API from then on (its root, paging and rate).
 */
async function productFor(config: Config, client: BasecampClient, log?: Logger): Promise<Product> {
  let product = config.basecamp_product ? PRODUCTS[config.basecamp_product] : undefined;
  if (!product) {
    product = productOf(config.account_id, await client.launchpadAccounts());
    log?.info(`account ${config.account_id} is a ${product.title} account (Launchpad); set basecamp_product to ${product.id} to skip asking`);
  }
  client.useApi(product.api, config);
  return product;
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
