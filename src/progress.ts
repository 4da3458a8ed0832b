/**
 * What the person watching a sync sees on stderr: a progress line now and then, and a summary at
 * the end (also when the run fails or is stopped). Pure formatting and estimating; the engine
 * samples its counters and the CLI prints.
 */

/** A sample of the run's counters. */
export interface ProgressSample {
  /** Milliseconds since the run started. */
  elapsedMs: number;
  records: number;
  requests: number;
  /** Partitions (one collection at one path) finished, and known so far (finished + queued + reading). */
  partitionsDone: number;
  partitionsKnown: number;
  /** Pages the lists being read still hold, by their X-Total-Count (a lower bound of what is left). */
  pagesLeft: number;
  /** Requests per second observed lately (see observedRate); 0 when not known yet. */
  ratePerSecond: number;
  /** Streams being read now, in catalog order. */
  reading?: readonly string[];
}

/** How often a progress line is printed: at least every 30 s, never more often than every 5 s. */
export const PROGRESS_DEFAULT_SECONDS = 30;
export const PROGRESS_MIN_SECONDS = 5;

export function progressInterval(seconds: number | undefined): number {
  const s = seconds ?? PROGRESS_DEFAULT_SECONDS;
  return Math.min(PROGRESS_DEFAULT_SECONDS, Math.max(PROGRESS_MIN_SECONDS, s)) * 1000;
}

/** "1 h 05 min", "4 min 10 s", "35 s". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** A point of the request counter, for the observed rate. */
export interface RatePoint {
  elapsedMs: number;
  requests: number;
}

/** The rate is measured over about this long: long enough to smooth the limiter's bursts and 429 pauses. */
export const RATE_WINDOW_MS = 5 * 60_000;

/**
 * Requests per second over the last RATE_WINDOW_MS of `points` (oldest first; the last is now),
 * or since the first point when the run is younger. What the ETA divides by: under Basecamp's
 * real limit the tap gets less than the rate it keeps to (429 pauses, slow answers), and an
 * estimate at the configured rate was off by half.
 */
export function observedRate(points: readonly RatePoint[], windowMs = RATE_WINDOW_MS): number {
  const now = points[points.length - 1];
  if (!now) return 0;
  const from = points.find((p) => now.elapsedMs - p.elapsedMs <= windowMs) ?? now;
  const ms = now.elapsedMs - from.elapsedMs;
  return ms > 0 ? ((now.requests - from.requests) * 1000) / ms : 0;
}

/** Points older than the window are not needed again (the one just before it is kept as its start). */
export function trimRatePoints(points: RatePoint[], windowMs = RATE_WINDOW_MS): RatePoint[] {
  const now = points[points.length - 1];
  if (!now) return points;
  const first = points.findIndex((p) => now.elapsedMs - p.elapsedMs <= windowMs);
  return first > 0 ? points.slice(first) : points;
}

/** At most this many stream names in a progress line; the rest are counted. */
export const READING_NAMES_SHOWN = 4;

export function readingPart(reading: readonly string[]): string | undefined {
  if (reading.length === 0) return undefined;
  const shown = reading.slice(0, READING_NAMES_SHOWN).join(', ');
  const more = reading.length - READING_NAMES_SHOWN;
  return `reading ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * One plain line: records, requests and their rate, how far the walk is, which streams are being
 * read, and the time left where it can be told. What is left is at least the partitions queued
 * (a request each) plus the pages the lists being read still hold, at the rate observed lately:
 * new partitions appear as records are read, so the estimate says "at least".
 */
export function progressLine(p: ProgressSample): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.requests / seconds : 0;
  const left = p.partitionsKnown - p.partitionsDone;
  const parts = [
    `progress: ${n(p.records)} records, ${n(p.requests)} requests (${rate.toFixed(1)}/s) in ${duration(p.elapsedMs)}`,
    `${n(p.partitionsDone)} of ${n(p.partitionsKnown)} collections read`,
  ];
  const reading = readingPart(p.reading ?? []);
  if (reading) parts.push(reading);
  const requestsLeft = left + p.pagesLeft;
  if (requestsLeft > 0 && p.ratePerSecond > 0) {
    parts.push(
      `at least ${duration((requestsLeft / p.ratePerSecond) * 1000)} left at ${p.ratePerSecond.toFixed(1)} requests/s (${n(requestsLeft)} requests known to be needed)`,
    );
  }
  return parts.join('; ');
}

/**
 * Which streams have partitions being read, and when each stream's reading began and last ended
 * (its sync_duration). The engine calls start/end around every partition; a clock is passed in
 * so that tests can drive it.
 */
export class StreamActivity {
  private readonly inFlight = new Map<string, number>();
  private readonly spans = new Map<string, { first: number; last: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  start(stream: string): void {
    this.inFlight.set(stream, (this.inFlight.get(stream) ?? 0) + 1);
    const t = this.now();
    const span = this.spans.get(stream);
    if (span) span.last = t;
    else this.spans.set(stream, { first: t, last: t });
  }

  end(stream: string): void {
    const left = (this.inFlight.get(stream) ?? 1) - 1;
    if (left > 0) this.inFlight.set(stream, left);
    else this.inFlight.delete(stream);
    const span = this.spans.get(stream);
    if (span) span.last = this.now();
  }

  /** Streams with a partition being read now, in the order given. */
  readingNow(order: readonly string[]): string[] {
    return order.filter((s) => this.inFlight.has(s));
  }

  /** Milliseconds from the stream's first partition starting to its last one ending (or to now, if still reading). */
  durationMs(stream: string): number | undefined {
    const span = this.spans.get(stream);
    if (!span) return undefined;
    return (this.inFlight.has(stream) ? this.now() : span.last) - span.first;
  }
}

export interface RunSummary {
  /** Records per stream, in catalog order (streams written none included). */
  records: Array<[string, number]>;
  requests: number;
  retries: number;
  rateLimited: number;
  notModified: number;
  rereads: number;
  /** Pages of Basecamp 2 lists read again last first (records that slid back; see Paging.recheckBackwards). */
  rechecked?: number;
  elapsedMs: number;
  version: string;
  /** How the run ended. */
  outcome: 'complete' | 'failed' | 'interrupted';
}

/**
 * The closing summary: a line per stream with its records, then the run's totals in one line
 * that scripts can parse (plain numbers, seconds with one decimal).
 */
export function summaryLines(s: RunSummary): string[] {
  const width = Math.max(...s.records.map(([name]) => name.length), 6);
  const total = s.records.reduce((sum, [, count]) => sum + count, 0);
  return [
    ...s.records.map(([name, count]) => `  ${name.padEnd(width)} ${n(count).padStart(9)}`),
    `sync ${s.outcome}: ${total} records, ${s.requests} requests (${s.retries} retries, ${s.rateLimited} answered 429, ${s.notModified} not modified, ${s.rereads} pages read again after a list shrank${s.rechecked ? `, ${s.rechecked} read again last first` : ''}) in ${(s.elapsedMs / 1000).toFixed(1)} s; tap-basecamp ${s.version}`,
  ];
}
