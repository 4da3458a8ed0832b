/**
 * Retry warnings that do not flood. When api_url cannot be reached, every request in flight
 * retries up to max_retries times: 64 warning lines over two minutes at the defaults, all
 * saying the same thing. So the first retry after one kind of fault at one host is said in
 * full; more of the same within a minute are only counted, and the first one after that minute
 * is said with the count; the final error line says how it ended. Another kind of fault, or the
 * same at another host (Launchpad's, say), is news and gets its own line.
 *
 * Pure: the caller passes the clock.
 */

/** What to say about one retry: nothing, or a line that sums up the ones left unsaid. */
export interface Say {
  /** Retries of this kind not written since the last line that was (0: this one is news). */
  quiet: number;
  /** Time since that last line, when there was one. */
  sinceMs?: number;
}

export class RepeatedFaults {
  private readonly last = new Map<string, { at: number; quiet: number }>();

  constructor(private readonly intervalMs = 60_000) {}

  /** Notes a retry after the fault `key` (kind and host) at `now`; undefined: say nothing. */
  note(key: string, now: number): Say | undefined {
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.quiet++;
      return undefined;
    }
    this.last.set(key, { at: now, quiet: 0 });
    return seen ? { quiet: seen.quiet, sinceMs: now - seen.at } : { quiet: 0 };
  }
}

/** The warning line for a retry that is said: the line itself, plus what was left unsaid. */
export function sayRetry(line: string, where: string, say: Say): string {
  if (say.quiet === 0) return `${line} (repeats of it at ${where}: one line a minute)`;
  const seconds = Math.round((say.sinceMs ?? 0) / 1000);
  return `${line}; ${say.quiet} more like it at ${where} in the last ${seconds} s`;
}
