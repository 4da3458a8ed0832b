/**
 * activate_version: a run without state reads every full-table stream whole, so it can tell the
 * loader that rows it did not write this time are gone (Basecamp deleted them). Each such stream's
 * RECORDs carry the run's `version`; once the run has completed, a stream read whole is followed by
 * ACTIVATE_VERSION, and the loader removes its rows of older versions.
 *
 * Only at the end: meltano/sdk also sends one before a first full-table sync, which makes a
 * loader such as target-postgres remove every row already there at once; a run that then fails
 * would leave the replica empty until the next one completes. Sending it only after a stream was
 * read whole never loses a row that Basecamp still has.
 */
import { SingerWriter } from './messages';
import { OWNER_KEYS, TapState } from './state';
import { Stream } from './streams/stream';
import { StreamSelection } from './catalog';
import { streamTree } from './plan';
import { derivedBySource } from './sync/derived';

/** A run without state: no --state, or one that holds nothing (no bookmark, ETag, resume point or feed). */
export function isStateless(state: TapState | undefined): boolean {
  if (!state) return true;
  // Whose state it is (account_id, basecamp_product) is no progress of a run.
  const progress = Object.entries(state).filter(([k]) => !(OWNER_KEYS as readonly string[]).includes(k));
  return progress.every(([, v]) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v as object).length === 0));
}

/**
 * The selected streams read FULL_TABLE: no replication key, or switched to FULL_TABLE by the
 * catalog. A derived stream (attachments) is whole only where its sources are written whole:
 * with a start_date, an incremental source leaves its older records, and theirs, unwritten. Not
 * those read only below written records (an upload's history) either: a start_date leaves older
 * parents unwritten, so such a stream is not read whole, and its rows must not be removed.
 */
export function fullTableStreams(streams: readonly Stream[], selection: ReadonlyMap<string, StreamSelection>, startDate?: string): string[] {
  const incremental = (name: string) => selection.get(name)?.incremental === true && streams.some((s) => s.name === name && s.replicationKey);
  return streams
    .filter((s) => selection.has(s.name) && !incremental(s.name) && !s.readWhenParentWritten)
    .filter((s) => !(startDate && s.derived?.from.some(incremental)))
    .map((s) => s.name);
}

/**
 * Stream name -> the streams read below its records (per-parent paths, feed, embedded, walks that
 * list them) and derived from them (attachments): a skipped partition leaves all of them short.
 */
export function childMap(streams: readonly Stream[]): Map<string, string[]> {
  const { children, inWalk } = streamTree(streams);
  const derived = derivedBySource(streams, () => true);
  const names = new Map<string, string[]>();
  for (const tree of [children, inWalk, derived]) {
    for (const [parent, below] of tree) names.set(parent, [...new Set([...(names.get(parent) ?? []), ...below.map((s) => s.name)])]);
  }
  return names;
}

/** Which full-table streams a run has read whole, and their version. */
export class FullTableVersions {
  private readonly shortened = new Set<string>();

  constructor(
    private readonly streams: readonly string[],
    private readonly children: ReadonlyMap<string, readonly string[]>,
    readonly version: number,
  ) {}

  /** Stamps the streams' RECORDs with the version. */
  stamp(writer: SingerWriter): void {
    for (const s of this.streams) writer.stampVersion(s, this.version);
  }

  /** A partition of `stream` was skipped (404, 403): it and every stream read below it are not whole. */
  skipped(stream: string): void {
    const todo = [stream];
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (this.shortened.has(name)) continue;
      this.shortened.add(name);
      todo.push(...(this.children.get(name) ?? []));
    }
  }

  /** The streams read whole (call once the run has completed, neither failed nor stopped). */
  whole(): string[] {
    return this.streams.filter((s) => !this.shortened.has(s));
  }

  /** ACTIVATE_VERSION for every stream read whole. */
  activate(writer: SingerWriter): void {
    for (const s of this.whole()) writer.activateVersion(s, this.version);
  }
}
