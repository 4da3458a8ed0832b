/**
 * Singer metrics as Meltano SDK taps print them (singer_sdk/metrics.py), so dashboards built for
 * those taps read ours:
 * - `record_count` counters tagged {"stream": name}, each worth the records written since the
 *   stream's previous one (the SDK resets its counter on every line, so a sum over lines is the
 *   total): while the sync runs, at every progress tick (at most 30 s apart, within the SDK's
 *   60 s) for the streams that wrote since; at the end, one for every selected stream;
 * - `sync_duration` timers in seconds, tagged {"stream", "status"} per selected stream (from its
 *   first read starting to its last one ending), and one tagged {"status"} alone for the whole
 *   run. Status is the SDK's "succeeded" or "failed" (a run stopped by a signal did not succeed).
 */
import { Logger } from './log';
import { StreamActivity } from './progress';

export type SyncStatus = 'succeeded' | 'failed';

/**
 * The record_count values due now: per stream (in the order given), what it wrote since it was
 * last reported. A tick reports only streams that wrote; the final report every stream.
 */
export function recordCountDeltas(
  counts: ReadonlyMap<string, number>,
  reported: ReadonlyMap<string, number>,
  streams: readonly string[],
  final: boolean,
): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const stream of streams) {
    const delta = (counts.get(stream) ?? 0) - (reported.get(stream) ?? 0);
    if (delta > 0 || final) out.push([stream, delta]);
  }
  return out;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(3));

export class SyncMetrics {
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    /** Records written per stream so far (SingerWriter.counts). */
    private readonly counts: ReadonlyMap<string, number>,
    /** The selected streams, in catalog order. */
    private readonly streams: readonly string[],
  ) {}

  /** record_count lines for what was written since the last ones. */
  counters(final: boolean): void {
    for (const [stream, value] of recordCountDeltas(this.counts, this.reported, this.streams, final)) {
      this.log.metric('info', 'counter', 'record_count', value, { stream });
      this.reported.set(stream, this.counts.get(stream) ?? 0);
    }
  }

  /** The closing sync_duration lines: one per selected stream, then the run's. */
  timers(status: SyncStatus, activity: StreamActivity, runMs: number): void {
    for (const stream of this.streams) {
      this.log.metric('info', 'timer', 'sync_duration', seconds(activity.durationMs(stream) ?? 0), { stream, status });
    }
    this.log.metric('info', 'timer', 'sync_duration', seconds(runMs), { status });
  }
}
