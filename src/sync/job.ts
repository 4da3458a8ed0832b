/**
 * A job is one collection read at one path (or records embedded in a parent): a value the plan
 * and the product strategies compute, and the engine runs. `jobPlan` decides, once per job, how
 * it is read incrementally: from which cursor, whether it stops there, which ETag it sends, how
 * far a walk cut short has written, and where its cursor is committed.
 */
import type { Context, ReadPlan, Selection } from '../plan';
import { ResumePoint } from '../state';
import { FoundIn, Json, Stream } from '../streams/stream';

export interface Job {
  stream: Stream;
  /** Account-relative path; absent for records embedded in the parent. */
  path?: string;
  embedded?: Json[];
  ctx: Context;
  depth: number;
  /** Read from an account-level path (a 404 there means the account, not one item, is missing). */
  root: boolean;
  /** Cursor partition key for newest-first walks with their own cursor (status, parent id). */
  cursorKey?: string;
  /** Read as a newest-first walk that stops at the cursor. */
  newestFirst: boolean;
  /** Its records may belong to other streams too (see Reading.ownerOf); held reads wait for its end. */
  walk?: boolean;
  /** Queue priority when not the depth (higher runs sooner). */
  priority?: number;
  /** The record's own endpoint, read because its listing lacked a field or holds less (never read again). */
  shown?: boolean;
  /** What only the list item a show job was spawned from carried (Stream.listOnly): merged under the show. */
  listed?: Json;
  /** Written whatever the cursor says (a project new to the replica, a record a change names). */
  force?: boolean;
  /** The record embedded records were found in (a comment's commentable). */
  foundIn?: FoundIn;
  /**
   * Read because a change feed names it: read no further than what it embeds and what the
   * feed leads to from it (see namedChildJobs).
   */
  fromFeed?: boolean;
  /** Read at most once a run at this path (several changes name one record). */
  once?: boolean;
  /** A per-parent read the walk of its stream may make unnecessary: held until that walk decides. */
  heldFor?: string;
  /** A record whose `type` decides its stream (a parent named by its child: a to-do list or a group). */
  routed?: boolean;
  /** A parent read because a child moved its counts, whose own parent is read in turn (see src/sync/parents.ts). */
  chainUp?: boolean;
  /** Read only if this project is read this run (Stream.followsProject): held until the project lists are read. */
  follows?: number;
  /** Read below a record whose updated_at moved only if no changed child accounts for it (Stream.readUnlessChildMoved; see MoveGate). */
  parentMoved?: { stream: string; id: number; atMs: number };
  /** A parent read for its counts: when the walk record that led to it changed (ms). */
  changedAt?: number;
}

/** What a job's context says about its stream, and what the plan says about its records. */
export interface JobFacts {
  /** Selected, and written in this context (an archived project's walk may only pass through). */
  writes: boolean;
  /** Selected incremental, with a replication key. */
  incremental: boolean;
  /** Inside an archived project's walk: all-or-nothing, no cursor of its own is kept (but see cursorPerParent). */
  archived: boolean;
  /**
   * Its stream keeps one cursor per parent (lines per campfire): the parent's, however the
   * parent was reached (an archived project's dock, or an account-level list naming it too).
   */
  cursorPerParent: boolean;
  /** In a project walked whole (new to the replica): every record is written. */
  wholeProject: boolean;
  /** Its records lead to other reads here. */
  hasChildren: boolean;
  /**
   * Read because a signal says its project changed (not in the project's turn, not walked whole):
   * a list whose records carry their children's counts (a forward's replies_count) that answers
   * 304 has no child whose count moved, so nothing below it is read again (see src/sync/refresh.ts).
   */
  signalled: boolean;
  /** In an active project (where a later run may read it because a signal names the project). */
  inActiveProject: boolean;
  /** Its records lead to other reads here whether or not they are written (see Stream.readWhenParentWritten). */
  childrenPastWrites: boolean;
  /** Read only below a written parent (Stream.readWhenParentWritten): each path is read when its parent changed. */
  followsParentWrites: boolean;
  /** A newest-first walk that must go past its cursor (its older records still lead somewhere). */
  passesCursor: boolean;
  hasReplicationKey: boolean;
  /**
   * The streams whose cursors the job reads and commits: its own where it writes incrementally,
   * and for a walk the incremental streams it lists too (ReadPlan.incrementalRiders).
   */
  cursorStreams: string[];
}

/** The bookmarks a job's plan reads (never writes). */
export interface CursorSource {
  startDate?: string;
  cursor(partition?: string): string | undefined;
  resume(partition?: string): ResumePoint | undefined;
}

/** Where a job's cursor goes once it and everything it spawned is written. */
export type CursorCommit = 'walk' | 'end-of-run' | 'none';

export interface JobPlan {
  /** Records older than this are not written (a newest-first walk stops at it, unless it passes). */
  cursor?: string;
  /** The window (reached, newest] an earlier run of this walk wrote already. */
  resume?: ResumePoint;
  /** Past the cursor the walk stops: its older records lead nowhere. */
  stopAtCursor: boolean;
  /** Revalidate with the last run's ETag (a leaf list of a full-table stream, or one a signal led to). */
  etag: boolean;
  /** Keep the answer's ETag for a later run (every list that may be revalidated then). */
  keepEtag: boolean;
  /** Pick up a walk cut short at the page it was reading. */
  resumeFromPage: boolean;
  /** Record how far the walk is, so a stop resumes there. */
  trackWalk: boolean;
  /** Times the walk reads its top again for records that moved there meanwhile (a list edited after the walk passed it). */
  topUpPasses: number;
  commit: CursorCommit;
}

/** Where an incremental job starts: its cursor and, for a walk cut short, the window written already. */
function cursorOf(job: Pick<Job, 'newestFirst' | 'cursorKey'>, f: JobFacts, bookmarks: CursorSource): { cursor?: string; resume?: ResumePoint } {
  if (!f.incremental) return {};
  // An archived project's walk, or a project walked whole, is all-or-nothing.
  if (f.archived || f.wholeProject) return { cursor: bookmarks.startDate };
  if (!job.newestFirst) return { cursor: bookmarks.cursor() };
  return { cursor: bookmarks.cursor(job.cursorKey), resume: bookmarks.resume(job.cursorKey) };
}

/** Times a walk whose records lead to other reads reads its top again. */
const TOP_UP_PASSES = 3;

/** The per-job decisions: one value, decided before the first request. */
export function jobPlan(job: Pick<Job, 'newestFirst' | 'cursorKey' | 'root' | 'path' | 'walk'>, f: JobFacts, bookmarks: CursorSource): JobPlan {
  const { cursor, resume } = cursorOf(job, f, bookmarks);
  const leaf = !f.hasChildren;
  return {
    cursor,
    resume,
    stopAtCursor: job.newestFirst && !f.passesCursor,
    ...etagsOf(job, f),
    // Pages it would skip are not fanned out: a walk with children starts again from the top.
    resumeFromPage: Boolean(resume?.page) && f.hasReplicationKey && leaf,
    // Only where it writes: a walk read for another stream's records keeps no resume point of its own.
    trackWalk: f.incremental && f.writes && job.newestFirst && !f.archived,
    // A record moved past the walk is written next run, and what follows its writes is read then.
    topUpPasses: job.walk === true && job.path !== undefined && f.childrenPastWrites ? TOP_UP_PASSES : 0,
    commit: commitOf(job, f),
  };
}

/**
 * Whether a full-table list is revalidated with its ETag, and whether its answer's ETag is kept.
 * An empty list's 304 costs what its 200 does: the ETag is kept only where it pays (see the
 * engine). A list with children sends it only where a signal led to it: its 304 then leaves them
 * unread; it keeps it in an active project, where a later run's signal may lead to it.
 */
function etagsOf(job: Pick<Job, 'root' | 'path'>, f: JobFacts): Pick<JobPlan, 'etag' | 'keepEtag'> {
  // Not where the parent changed each time the path is read (an upload's history): its ETag would
  // rarely pay and grow the STATE a path each.
  const revalidates = job.path !== undefined && f.writes && !f.hasReplicationKey && !job.root && !f.followsParentWrites;
  const leaf = !f.hasChildren;
  return { etag: revalidates && (leaf || f.signalled), keepEtag: revalidates && (leaf || f.inActiveProject) };
}

/**
 * A walk's cursor is committed when its subtree is done; a whole list's, when the run completes.
 * An archived project's walk keeps none of its own, but a per-parent cursor is its parent's:
 * once the walk has written every record of that parent, the cursor says so to whichever
 * source lists the parent next (an account-level list naming an archived project's campfire).
 */
function commitOf(job: Pick<Job, 'newestFirst' | 'cursorKey'>, f: JobFacts): CursorCommit {
  if (!f.incremental) return 'none';
  if (f.archived) return f.cursorPerParent && job.newestFirst && job.cursorKey !== undefined ? 'walk' : 'none';
  return job.newestFirst ? 'walk' : 'end-of-run';
}

/** Whether `stream` is selected and written in this context (an archived project's walk may only pass through). */
export function writesIn(selection: Selection, stream: Stream, ctx: Context): boolean {
  if (ctx.turn && stream.readInTurnBelow !== undefined) return false; // its walk writes it; a turn only passes through
  return selection.has(stream.name) && (!ctx.archived || ctx.archived.emit.has(stream.name));
}

/** The facts jobPlan decides from: the selection, the job's context and the plan. */
export function jobFacts(job: Job, plan: ReadPlan, selection: Selection): JobFacts {
  const { stream, ctx } = job;
  const writes = writesIn(selection, stream, ctx);
  const own = writes && selection.get(stream.name)!.incremental && stream.replicationKey !== undefined;
  // A walk read (also) for the incremental streams it lists reads from their cursors, unless
  // it writes its own records whole (a full-table selection).
  const riders = job.walk === true ? plan.incrementalRiders(stream).map((s) => s.name) : [];
  const incremental = own || (riders.length > 0 && !writes);
  return {
    writes,
    incremental,
    cursorStreams: incremental ? [...(own ? [stream.name] : []), ...riders] : [],
    archived: ctx.archived !== undefined,
    cursorPerParent: stream.cursorPerParent,
    wholeProject: ctx.fullWalk === true,
    hasChildren: plan.hasChildrenToRead(stream, ctx),
    signalled: plan.gated && ctx.projectId !== undefined && !ctx.turn && !ctx.archived && !ctx.fullWalk,
    inActiveProject: ctx.projectId !== undefined && !ctx.archived,
    childrenPastWrites: plan.leadsPastWrites(stream, ctx),
    followsParentWrites: stream.readWhenParentWritten,
    passesCursor: job.newestFirst && plan.passesCursor(stream, ctx),
    hasReplicationKey: stream.replicationKey !== undefined,
  };
}
