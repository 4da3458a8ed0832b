/**
 * What only Basecamp 3 reads: the account-wide recordings walks and the walks of archived
 * projects.
 *
 * In active projects (and at account level) one walk of /projects/recordings.json per type and
 * status serves every recording stream, so below a project only the other streams are read. A
 * walk may also list records of another stream (Bc3Stream.alsoInWalk): that stream's per-parent
 * reads are held until the walk shows whether it does. An archived project is not served by
 * those walks: its tools are walked instead, and its ArchivedPlan says which streams that walk
 * writes and which it only passes through.
 */
import type { ArchivedPlan, Context, ReadPlan } from '../plan';
import { AnyStreamName, Json, PathsFrom, Stream } from '../streams/stream';
import type { Job } from '../sync/job';
import type { ProjectRead } from '../sync/refresh';
import { ChangeHints, RunFacts, Strategy } from '../sync/strategy';
import type { BasecampClient } from '../client';
import type { Logger } from '../log';
import { parseFeedBookmark, readEventFeed } from './bc3-events';

/** The statuses each recordings walk is read in. */
const STATUSES = ['active', 'archived', 'trashed'] as const;
/** Above any depth: walks whose end decides held reads run before everything else. */
const HOLDING_WALK_PRIORITY = 1000;

class Bc3Strategy extends Strategy {
  leadsUp(child: Stream, parent: AnyStreamName, _readsChanges: boolean, gated: boolean): boolean {
    // The recordings walks read recording streams at account level, not below their parents
    // (but where reads follow signals, in a project's turn below the parent that leads to their children).
    return !walkedInActive(child) || (gated && child.readInTurnBelow === parent);
  }

  traverses(child: Stream, ctx: Context, parent: AnyStreamName): boolean {
    const { alsoInWalk } = child as Bc3Stream;
    return !walkedInActive(child) || alsoInWalk?.from === parent || (ctx.turn === true && child.readInTurnBelow === parent);
  }

  followsSignals(): boolean {
    return true;
  }

  /** Basecamp 5's event feed, where the account serves it (see bc3-events.ts). */
  async changeHints(client: BasecampClient, stored: unknown, log: Logger, onEvent?: (event: Json) => Promise<void>): Promise<ChangeHints | undefined> {
    const outcome = await readEventFeed(client, parseFeedBookmark(stored), log, { onEvent });
    if (outcome.kind === 'unavailable') return undefined;
    const { otherBuckets, chatBuckets, chatAt, moved } = outcome.hints;
    if (outcome.kind === 'restart') log.info(`event feed: ${outcome.why}; every project's collections are read again this run`);
    return {
      names: (id) => otherBuckets.has(id),
      chats: (id) => chatBuckets.has(id),
      chatAt: (id) => chatAt.get(id),
      moved: (id) => moved.has(id),
      refreshAll: outcome.kind === 'restart',
      bookmark: outcome.bookmark,
    };
  }

  /** Below a parent read again for its counts (src/sync/parents.ts): what moves with them. */
  namedEdge(child: Stream, parent: AnyStreamName): PathsFrom | undefined {
    return child.readWithCountedParent ? child.parents[parent] : undefined;
  }

  listedIn(stream: Stream): AnyStreamName | undefined {
    return (stream as Bc3Stream).alsoInWalk?.walk;
  }

  isListed(stream: Stream, record: Json): boolean {
    return (stream as Bc3Stream).alsoInWalk?.is(record) === true;
  }

  holds(child: Stream, parent: AnyStreamName, ctx: Context): boolean {
    return !ctx.archived && (child as Bc3Stream).alsoInWalk?.from === parent;
  }

  /** The stream's root paths, then one walk per status, newest first, for all active projects at once. */
  rootJobs(stream: Stream, plan: ReadPlan, run: RunFacts): Job[] {
    const jobs = super.rootJobs(stream, plan, run);
    const type = (stream as Bc3Stream).recordingType;
    if (type === undefined) return jobs;
    // A walk that decides held reads goes first: until it ends, the subtrees holding them stay open.
    const priority = plan.listedBy(stream.name).length > 0 ? HOLDING_WALK_PRIORITY : undefined;
    for (const status of STATUSES) {
      const path = `/projects/recordings.json?type=${encodeURIComponent(type)}&status=${status}&sort=updated_at&direction=desc`;
      jobs.push({ stream, path, ctx: {}, depth: 0, root: true, cursorKey: status, newestFirst: true, walk: true, priority });
    }
    return jobs;
  }

  /**
   * `walkedAt(stream)` is the project's updated_at when the stream was last walked there: a
   * stream whose changes touch the project is written again only when that moved. A FULL_TABLE
   * override re-reads everything, and so does the project's turn (`read`, see src/sync/refresh.ts).
   */
  archivedPlan(plan: ReadPlan, project: Json, walkedAt: (stream: string) => string | undefined, read: ProjectRead): ArchivedPlan {
    const emit = new Set<string>();
    for (const stream of plan.selectedUnderProjects()) {
      const fullTable = stream.replicationKey !== undefined && !plan.isIncremental(stream);
      // A stream whose changes do not touch the project (memberships) is read every run, or, in a
      // quiet project, when what it changes with changed (see FollowGate).
      const changed = !this.remembersArchivedWalk(stream) || walkedAt(stream.name) !== project.updated_at;
      if (read === 'turn' || fullTable || changed) emit.add(stream.name);
    }
    const traverse = new Set<string>();
    const decided = new Map<string, boolean>();
    const visit = (name: string): boolean => {
      const known = decided.get(name);
      if (known !== undefined) return known;
      decided.set(name, emit.has(name)); // provisional answer for self-nesting streams (vaults in vaults)
      const viaChildren = plan
        .childrenOf(name)
        .map((c) => visit(c.name))
        .some(Boolean);
      const needed = emit.has(name) || viaChildren;
      decided.set(name, needed);
      if (needed) traverse.add(name);
      return needed;
    };
    for (const c of plan.childrenOf(plan.projects.name)) visit(c.name);
    return { projectId: project.id, updatedAt: project.updated_at, emit, traverse, ...(read === 'quiet' ? { quiet: true } : {}) };
  }

  remembersArchivedWalk(stream: Stream): boolean {
    return (stream as Bc3Stream).changesTouchProject;
  }
}

export const BC3_STRATEGY = new Bc3Strategy();

/**
 * Its records in active projects come from an account-wide walk: its own type's, or another
 * stream's walk that lists them and leaves nothing to read below their parents (to-do steps in
 * the Kanban::Step walk).
 */
function walkedInActive(stream: Stream): boolean {
  const { recordingType, alsoInWalk } = stream as Bc3Stream;
  return recordingType !== undefined || (alsoInWalk !== undefined && alsoInWalk.from === undefined);
}

/** A Basecamp 3 stream: the shared declaration, and what the recordings and archived walks need. */
export abstract class Bc3Stream extends Stream {
  get strategy(): Strategy {
    return BC3_STRATEGY;
  }
  /**
   * The type name on /projects/recordings.json. Such streams are read for all active projects at
   * once through that endpoint (per status); `parents` then describes the walk through an
   * archived project's tools, which that endpoint does not serve.
   */
  readonly recordingType?: string;
  /**
   * Records that the account-wide recordings walk of another stream (`walk`) may list as well,
   * where the docs leave it open: to-do list groups are `Todolist` recordings, a project's root
   * vault is a `Vault`. A walk record for which `is` holds belongs to this stream. In active
   * projects the per-parent read from `from` is then needed only if the walk lists none: the
   * engine holds those reads back until the walk shows one such record (and drops them) or ends
   * without (and makes them). Without `from`, the walk is the only source in active projects
   * (the stream's `parents` and `embeddedIn` then describe archived projects only), and an
   * incremental stream's cursor rides the walk's (see ReadPlan.incrementalRiders).
   */
  readonly alsoInWalk?: { walk: AnyStreamName; is: (record: Json) => boolean; from?: AnyStreamName };
  /**
   * A change to this stream's records touches the project's updated_at, so an archived project
   * whose updated_at is unchanged need not be read again. Not so for memberships (people).
   */
  readonly changesTouchProject: boolean = true;
  /** The `type` of its records where it is not a recordings type (a message board is a `Message::Board`). */
  readonly recordTypes: readonly string[] = [];

  /** The recordings walks list every status. */
  listsStatus(status: string): boolean {
    return this.recordingType !== undefined || super.listsStatus(status);
  }

  get typeNames(): readonly string[] {
    return this.recordingType === undefined ? this.recordTypes : [this.recordingType];
  }
}
