/**
 * What tells an incremental run that something below a project changed (src/sync/refresh.ts
 * decides from it): the projects' updated_at against the last completed run's start, the change
 * feed's hints, changed records naming other streams' collections (Stream.signalledBy), and
 * changed walk records naming their parents. Bookkeeping over the run's facts; the engine spawns.
 */
import type { ReadPlan } from '../plan';
import { BookmarkManager, ms } from '../state';
import type { Json, Stream } from '../streams/stream';
import { FollowGate } from './follows';
import { MoveGate } from './moves';
import type { Job } from './job';
import type { Node } from './node';
import { parentShow, streamsByType } from './parents';
import { ProjectRead, RefreshWindow, due, projectKey, projectRead } from './refresh';
import type { ChangeHints, Strategy } from './strategy';
import type { BasecampClient } from '../client';
import type { Logger } from '../log';

export class RunSignals {
  /** What the change feed read before the first job says; undefined: none. */
  hints?: ChangeHints;
  /** Reads that follow their project, held until the lists that decide them are read. */
  readonly follows: FollowGate;
  /** Reads below a record whose updated_at moved, held until the walks show whether a changed child accounts for it. */
  readonly moves: MoveGate;
  /** Streams by the `type` their records carry, for parents named by changed records. */
  private readonly byType: ReadonlyMap<string, Stream>;
  /** The last completed run's start in ms (it does not move during a run); undefined before any. */
  private readonly sinceMs?: number;

  /** `hours`: full_refresh_hours; `run` queues a released read. */
  constructor(
    private readonly plan: ReadPlan,
    private readonly streams: readonly Stream[],
    private readonly bookmarks: BookmarkManager,
    private readonly hours: number,
    run: (job: Job, node: Node) => void,
  ) {
    this.byType = streamsByType(streams);
    const since = bookmarks.refreshSince();
    this.sinceMs = since === undefined ? undefined : ms(since);
    this.follows = new FollowGate(run, () => this.hints, streams);
    this.moves = new MoveGate(run, this.sinceMs);
  }

  /**
   * The change feed, read first where reads follow its hints or a stream takes its events
   * (Stream.fromFeed: written as they are read). A run that re-reads everything on no window
   * (full_refresh_hours 0) and takes no events does not read it.
   */
  async readFeed(
    strategy: Strategy,
    client: BasecampClient,
    log: Logger,
    selected: (name: string) => boolean,
    write: (stream: Stream, record: Json) => Promise<void>,
  ): Promise<void> {
    const takes = this.streams.find((s) => s.fromFeed && selected(s.name));
    if (this.hours <= 0 && !takes) return;
    const onEvent = takes ? (event: Json) => write(takes, event) : undefined;
    this.hints = await strategy.changeHints(client, this.bookmarks.eventsRead(), log, onEvent);
  }

  /** A record that changed after the last completed run started (one sitting on its cursor is written again, unchanged). */
  changedSinceLastRun(stream: Stream, record: Json): boolean {
    return this.afterLastRun(this.changedAt(stream, record));
  }

  /** A change at `at` (ms; undefined: not known) came after the last completed run started. */
  private afterLastRun(at: number | undefined): boolean {
    return this.sinceMs === undefined || at === undefined || at > this.sinceMs;
  }

  /**
   * When a record changed (ms): its replication key, or its `updated_at` where its stream has none
   * (a full-table stream, such as to-do list groups, is written every run it is listed, changed or not).
   */
  private changedAt(stream: Stream, record: Json): number | undefined {
    const at = record[stream.replicationKey ?? 'updated_at'];
    return typeof at === 'string' ? ms(at) : undefined;
  }

  /** A changed record (or a parent read for its counts, `placed`) is below its parent: noted for reads below moved records (MoveGate). */
  private noteBelow(record: Json, at: number | undefined, placed: boolean): void {
    const parent = record.parent?.id;
    if (typeof parent !== 'number') return;
    if (placed && typeof record.id === 'number') this.moves.placed(record.id, parent);
    if (at !== undefined) this.moves.seen(parent, at);
  }

  /** A record is written: what it names, if it changed, is noted for the held reads. */
  wrote(stream: Stream, record: Json): void {
    // Only held reads use what records name, and reads are held only where they follow signals.
    if (this.plan.gated && this.follows.names(stream.name) && this.changedSinceLastRun(stream, record)) this.follows.wrote(stream.name, record);
  }

  /**
   * A walk record is written: if it changed since the last run, its project's move may be its
   * (see moveExplained).
   */
  walked(stream: Stream, record: Json): void {
    const project = record.bucket?.id;
    const at = this.changedAt(stream, record);
    if (!this.plan.gated || typeof project !== 'number' || at === undefined || !this.afterLastRun(at)) return;
    this.follows.seen(project, at);
  }

  /**
   * Whether held reads wait for this root job's list: the projects, what names other streams'
   * collections, and (where reads follow signals) the recordings walks, whose changes say what
   * moved a project.
   */
  decides(job: Job): boolean {
    return job.stream.opensProject || this.follows.names(job.stream.name) || (this.plan.gated && job.walk === true);
  }

  /** How much below a project this run reads (see refresh.ts), kept for the reads that follow it. */
  projectRead(project: Json): ProjectRead {
    const since = this.bookmarks.refreshSince();
    const now = this.bookmarks.runStart() ?? new Date().toISOString();
    const window: RefreshWindow = { hours: this.hours, since, now, all: this.hints?.refreshAll };
    const read = projectRead(this.plan.gated, {
      due: due(projectKey(project.id), window),
      moved: since !== undefined && typeof project.updated_at === 'string' && ms(project.updated_at) > ms(since),
      named: this.hints?.names(project.id) === true,
    });
    this.follows.noteProject(project.id, read, typeof project.updated_at === 'string' ? project.updated_at : undefined);
    return read;
  }

  /**
   * The read of the parent a written record moved the counts of (see parents.ts): a walk record
   * changed since the last run, or a parent so read whose own parent counts it too.
   */
  parentRead(stream: Stream, record: Json, from: Job, accountBase: string, selected: (name: string) => boolean): Job | undefined {
    if (!this.plan.gated) return undefined;
    const changed = from.walk ? this.changedAt(stream, record) : from.changedAt;
    if (!from.chainUp && !(from.walk && this.afterLastRun(changed))) return undefined;
    // A to-do the feed says moved changed what it left too: it accounts for no move of its parent's.
    const at = this.hints?.moved(record.id) ? undefined : changed;
    this.noteBelow(record, at, from.chainUp === true);
    const job = parentShow(this.byType, record, accountBase, from.depth, from.chainUp ?? !stream.countedByParentOnly, at);
    return job && [job.stream, ...this.plan.listedBy(job.stream.name)].some((s) => selected(s.name)) ? job : undefined;
  }
}
