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
  /** The request rate the tap keeps to, per second. */
  ratePerSecond: number;
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

/**
 * One plain line: records, requests and their rate, how far the walk is, and the time left where
 * it can be told. What is left is at least the partitions queued (a request each) plus the pages
 * the lists being read still hold, at the configured rate: new partitions appear as records are
 * read, so the estimate says "at least".
 */
export function progressLine(p: ProgressSample): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.requests / seconds : 0;
  const left = p.partitionsKnown - p.partitionsDone;
  const parts = [
    `progress: ${n(p.records)} records, ${n(p.requests)} requests (${rate.toFixed(1)}/s) in ${duration(p.elapsedMs)}`,
    `${n(p.partitionsDone)} of ${n(p.partitionsKnown)} collections read`,
  ];
  const requestsLeft = left + p.pagesLeft;
  if (requestsLeft > 0 && p.ratePerSecond > 0) parts.push(`at least ${duration((requestsLeft / p.ratePerSecond) * 1000)} left (${n(requestsLeft)} requests known to be needed)`);
  return parts.join('; ');
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
