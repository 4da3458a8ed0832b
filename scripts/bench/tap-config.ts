/** The tap's config as the bench writes it, beyond the simulated account's own keys. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Options, Product } from './args';
import { schemaMaxRate } from './build-info';

/** What unlimited mode asks of the tap's limiter (clamped to what the config schema accepts). */
const UNLIMITED_RATE = 100_000;

/**
 * The tap's config beyond the account's: its limiter opened in unlimited mode, its concurrency,
 * full_refresh_hours when asked. `max` is the built config schema's maximum rate.
 */
export function tapConfigFor(o: Options, limited: boolean, notes: string[], max: number | undefined = schemaMaxRate()): Record<string, unknown> {
  const tapConfig: Record<string, unknown> = {};
  if (!limited) {
    let rate = o.maxRate ?? UNLIMITED_RATE;
    if (max !== undefined && rate > max) {
      notes.push(
        `max_requests_per_10s ${rate} is over the config schema's maximum (${max}); using ${max} (tap limiter spacing ~${Math.ceil((10_000 / max) * 1.02)} ms)`,
      );
      rate = max;
    }
    tapConfig.max_requests_per_10s = rate;
  } else if (o.maxRate !== undefined) tapConfig.max_requests_per_10s = o.maxRate;
  if (o.concurrency !== undefined) tapConfig.max_concurrency = o.concurrency;
  // Only when asked: a tap that does not know the key may refuse the config.
  if (o.fullRefreshHours !== undefined) tapConfig.full_refresh_hours = o.fullRefreshHours;
  return tapConfig;
}

type Entry = { tap_stream_id: string; metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[] };

/**
 * The committed catalog of the product (what --discover prints) with `names` selected too, beside
 * the streams selected by default: the file written in `dir`. A name the catalog lacks is an error.
 */
export function writeCatalog(product: Product, names: string[], dir: string): string {
  const source = path.join(__dirname, '..', '..', 'catalogs', product === 'bc3' ? 'catalog.json' : 'catalog-bcx.json');
  const catalog = JSON.parse(fs.readFileSync(source, 'utf8')) as { streams: Entry[] };
  for (const name of names) {
    const entry = catalog.streams.find((e) => e.tap_stream_id === name);
    if (!entry) throw new Error(`bench: --select ${name}: no such stream in ${path.basename(source)}`);
    const top = entry.metadata.find((m) => m.breadcrumb.length === 0);
    if (top) top.metadata.selected = true;
  }
  const file = path.join(dir, 'catalog.json');
  fs.writeFileSync(file, JSON.stringify(catalog, null, 2) + '\n');
  return file;
}
