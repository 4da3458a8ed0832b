/**
 * What one product reads that the other does not, as the hooks the plan and the engine call.
 * This default reads the declared tree (root paths, `parents`, embedded records) and nothing
 * else; Basecamp 3's recordings walks and archived-project walks (src/products/bc3.ts) and
 * Basecamp 2's change feed (src/products/bcx.ts) override what they add. A product's streams
 * name their strategy (Stream.strategy), so the core names no product.
 *
 * Hooks decide; none of them awaits, spawns, writes a record or commits a bookmark.
 */
import type { ArchivedPlan, Context, ReadPlan, Selection } from '../plan';
import type { AnyStreamName, Json, PathsFrom, Stream } from '../streams/stream';
import type { BasecampClient } from '../client';
import type { Logger } from '../log';
import type { Job } from './job';
import type { ProjectRead } from './refresh';

/** The bookmarks a strategy reads to decide how a run starts (never writes). */
export interface RunBookmarks {
  cursor(stream: string, key: 'updated_at' | 'created_at'): string | undefined;
  feedSince(): string | undefined;
  feedCovers(stream: string): boolean;
  feedKnows(projectId: number, trashed: boolean): boolean;
}

/** What a change feed read before the run's first job says (Basecamp 5's event feed). */
export interface ChangeHints {
  /** The feed names something below this project that no walk shows: its collections are read. */
  names(projectId: number): boolean;
  /** The feed says a campfire line was posted in this project. */
  chats(projectId: number): boolean;
  /** When the newest such line was posted (ms), if the feed says. */
  chatAt(projectId: number): number | undefined;
  /** The feed says this to-do moved to another list or group (what it left changed too). */
  moved(recordingId: number): boolean;
  /** The feed lost history (re-entered at its epoch or the present): every project's turn comes this run. */
  refreshAll: boolean;
  /** Where the feed was read to: stored once the run has written everything it names. */
  bookmark: unknown;
}

/** What a run's start is decided from. */
export interface RunFacts {
  readonly streams: readonly Stream[];
  readonly selection: Selection;
  readonly bookmarks: RunBookmarks;
  readonly startDate?: string;
}

export class Strategy {
  // ---- the tree (ReadPlan) --------------------------------------------------------------

  /** Every stream whose records `stream` is read below. */
  parentsOf(stream: Stream): AnyStreamName[] {
    return [...(Object.keys(stream.parents) as AnyStreamName[]), ...stream.embeddedIn.map((e) => e.stream)];
  }

  /** Whether reading `child` below `parent` makes the parent needed in active projects. */
  leadsUp(_child: Stream, _parent: AnyStreamName, _readsChanges: boolean, _gated: boolean): boolean {
    return true;
  }

  /** The product's say on whether `child` is read below a `parent` record outside archived walks. */
  traverses(_child: Stream, _ctx: Context, _parent: AnyStreamName, _plan: ReadPlan): boolean {
    return true;
  }

  /** The walk that may list this stream's records too (see Bc3Stream.alsoInWalk). */
  listedIn(_stream: Stream): AnyStreamName | undefined {
    return undefined;
  }

  /** Whether a record of a walk that lists `stream` too is one of its records. */
  isListed(_stream: Stream, _record: Json): boolean {
    return false;
  }

  /** What an archived project's walk writes and passes through (see ReadPlan.archivedPlan). */
  archivedPlan(plan: ReadPlan, project: Json, _walkedAt: (stream: string) => string | undefined, _read: ProjectRead): ArchivedPlan {
    return { projectId: project.id, updatedAt: project.updated_at, emit: new Set(), traverse: new Set() };
  }

  /** Whether an archived project's walk of this stream is remembered (its changes touch the project). */
  remembersArchivedWalk(_stream: Stream): boolean {
    return false;
  }

  // ---- child jobs -------------------------------------------------------------------------

  /** The paths a record of `parent` leads `child` to. */
  pathsFrom(child: Stream, parent: AnyStreamName): PathsFrom | undefined {
    return child.parents[parent];
  }

  /** Whether those paths are records a change names (see Job.fromFeed). */
  names(_child: Stream, _parent: AnyStreamName): boolean {
    return false;
  }

  /** The paths a record a change named leads `child` to: what changed with it. */
  namedEdge(_child: Stream, _parent: AnyStreamName): PathsFrom | undefined {
    return undefined;
  }

  /** A per-parent read that the walk listing `child` too may make unnecessary: held until it ends. */
  holds(_child: Stream, _parent: AnyStreamName, _ctx: Context): boolean {
    return false;
  }

  // ---- the run ----------------------------------------------------------------------------

  /** A run that reads what changed from a change feed instead of walking (see ReadPlan.feedRun). */
  readsChanges(_run: RunFacts): boolean {
    return false;
  }

  /** The jobs a stream read in active projects starts the run with (its root paths). */
  rootJobs(stream: Stream, _plan: ReadPlan, _run: RunFacts): Job[] {
    return stream.rootPaths.map((path) => ({ stream, path, ctx: {}, depth: 0, root: true, newestFirst: stream.newestFirst }));
  }

  /** A project no earlier run walked, in a run that reads changes: walked whole, written whatever its cursor. */
  newToReplica(_plan: ReadPlan, _bookmarks: RunBookmarks, _projectId: number, _trashed: boolean): boolean {
    return false;
  }

  /** The streams whose changes a completed run's feed bookmark covers; undefined: the product has no feed. */
  feedCovers(_run: RunFacts): string[] | undefined {
    return undefined;
  }

  /**
   * Change hints read before the run's first job, from where `stored` says the last completed
   * run read them to; undefined: the product has no such feed, or the account does not serve it.
   * `onEvent` takes each event read (a stream whose records are the feed's, Stream.fromFeed).
   */
  async changeHints(_client: BasecampClient, _stored: unknown, _log: Logger, _onEvent?: (event: Json) => Promise<void>): Promise<ChangeHints | undefined> {
    return undefined;
  }

  /** Whether reads below projects may follow change signals and turns (see src/sync/refresh.ts). */
  followsSignals(): boolean {
    return false;
  }

  /** Its lists only grow (a log): a page-numbered walk needs no backward recheck. */
  onlyGrows(_stream: Stream): boolean {
    return false;
  }
}

/** The declared tree, nothing more. */
export const TREE = new Strategy();
