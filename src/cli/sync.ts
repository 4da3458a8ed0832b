/** The CLI's sync: records and states on stdout; progress lines, a summary and metrics on stderr. */
import { StreamSelection, defaultSelection, selectionFromCatalog } from '../catalog';
import { BasecampClient } from '../client';
import { Config, readJsonFile } from '../config';
import { SyncEngine } from '../engine';
import { Interrupted, TapError } from '../errors';
import { Logger } from '../log';
import { SingerWriter } from '../messages';
import { SyncMetrics, SyncStatus } from '../metrics';
import { Product } from '../products';
import { RatePoint, observedRate, progressInterval, progressLine, summaryLines, trimRatePoints } from '../progress';
import { BookmarkManager, TapState, ownerMismatch, parseState } from '../state';
import { FullTableVersions, childMap, fullTableStreams, isStateless } from '../versions';
import { Args } from './args';
import { knownProduct, productFor } from './modes';
import { startTicker } from './ticker';
import { version } from './version';

/** A sync of what the catalog selects (every stream without one), from the state given if any. */
export async function syncMode(args: Args, config: Config, log: Logger): Promise<number> {
  const client = new BasecampClient(config, log, { api: knownProduct(config)?.api });
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
}

type Outcome = 'complete' | 'failed' | 'interrupted';

async function sync(
  config: Config,
  client: BasecampClient,
  product: Product,
  selection: Map<string, StreamSelection>,
  state: TapState,
  stateGiven: boolean,
  log: Logger,
): Promise<number> {
  const writer = new SingerWriter(log, undefined, config.add_account_id ? config.account_id : undefined);
  const versions = fullTableVersions(config, stateGiven ? state : undefined, product, selection, log);
  versions?.stamp(writer);
  const bookmarks = new BookmarkManager(state, config.start_date, { account_id: config.account_id, basecamp_product: product.id });
  const engine = new SyncEngine(
    selection,
    client,
    writer,
    bookmarks,
    log,
    { maxConcurrency: config.max_concurrency, startDate: config.start_date, versions, fullRefreshHours: config.full_refresh_hours },
    product,
  );
  const selected = product.streams.filter((st) => selection.has(st.name)).map((st) => st.name);
  const run: Run = { client, engine, writer, log, metrics: new SyncMetrics(log, writer.counts, selected), selected, started: Date.now() };
  const onSignal = (signal: NodeJS.Signals) => engine.interrupt(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A line now and then, so a long first sync is seen to be working; record counts go with it.
  const stopTicker = startTicker(
    progressInterval(config.progress_interval_seconds),
    progressTick(
      run,
      product.streams.map((st) => st.name),
    ),
  );
  log.info(`syncing ${selection.size} streams of ${product.api.name} account ${config.account_id}`);
  try {
    await engine.run();
  } catch (err) {
    finish(run, err instanceof Interrupted ? 'interrupted' : 'failed');
    throw err;
  } finally {
    stopTicker();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  finish(run, 'complete');
  return 0;
}

/** What the progress lines and the summary read of a running sync. */
interface Run {
  client: BasecampClient;
  engine: SyncEngine;
  writer: SingerWriter;
  log: Logger;
  metrics: SyncMetrics;
  /** The selected streams, in catalog order. */
  selected: string[];
  started: number;
}

/** The progress line's tick: counters, the rate observed lately, the streams being read; record counts go with it. */
function progressTick(run: Run, streamOrder: string[]): () => void {
  const { client, engine, writer, log } = run;
  let ratePoints: RatePoint[] = [{ elapsedMs: 0, requests: 0 }];
  return () => {
    const elapsedMs = Date.now() - run.started;
    ratePoints = trimRatePoints([...ratePoints, { elapsedMs, requests: client.stats.requests }]);
    const { partitionsDone, partitionsKnown, pagesLeft } = engine.progress();
    const reading = engine.activity.readingNow(streamOrder);
    log.info(
      progressLine({
        elapsedMs,
        records: writer.total,
        requests: client.stats.requests,
        partitionsDone,
        partitionsKnown,
        pagesLeft,
        ratePerSecond: observedRate(ratePoints),
        reading,
      }),
    );
    run.metrics.counters(false);
  };
}

/** The end of a sync, whatever its outcome: the last counters and timers, then the summary lines. */
function finish(run: Run, outcome: Outcome): void {
  const { client, writer, selected, metrics } = run;
  metrics.counters(true);
  const status: SyncStatus = outcome === 'complete' ? 'succeeded' : 'failed';
  metrics.timers(status, run.engine.activity, Date.now() - run.started);
  const lines = summaryLines({
    records: selected.map((name) => [name, writer.counts.get(name) ?? 0]),
    requests: client.stats.requests,
    retries: client.stats.retries,
    rateLimited: client.stats.rateLimited,
    notModified: client.stats.notModified,
    rereads: client.stats.rereads,
    rechecked: client.stats.rechecked,
    elapsedMs: Date.now() - run.started,
    version: version(),
    outcome,
  });
  // The first lines are the streams' (in `selected` order), then the totals.
  lines.forEach((line, i) => run.log.info(line, i < selected.length ? { stream: selected[i] } : {}));
}

/** activate_version: the full-table streams a run without state may activate (none with state). */
function fullTableVersions(
  config: Config,
  state: TapState | undefined,
  product: Product,
  selection: Map<string, StreamSelection>,
  log: Logger,
): FullTableVersions | undefined {
  if (!config.activate_version) return undefined;
  if (!isStateless(state)) {
    log.info(
      'activate_version: this run resumes from a state, so it reads no full-table stream whole and sends no ACTIVATE_VERSION (run without --state, e.g. meltano run --full-refresh)',
    );
    return undefined;
  }
  const streams = fullTableStreams(product.streams, selection, config.start_date);
  log.info(`activate_version: a run without state; ${streams.length} full-table streams get ACTIVATE_VERSION if read whole`);
  return new FullTableVersions(streams, childMap(product.streams), Date.now());
}
