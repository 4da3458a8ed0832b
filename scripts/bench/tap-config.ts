/** The tap's config as the bench writes it, beyond the simulated account's own keys. */
import { Options } from './args';
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
