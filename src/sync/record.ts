/**
 * What the engine does with one listed record, decided from facts about it: write it, skip it,
 * stop the walk, or read its own endpoint instead. Pure: the engine gathers the facts (into one
 * object per job, overwritten per record) and carries the answer out.
 */
import type { Context } from '../plan';
import type { FoundIn, Json, Stream } from '../streams/stream';
import type { Job } from './job';

/** Facts about one listed record, as the read of its job sees it. */
export interface RecordFacts {
  /** Older than the job's cursor. */
  below: boolean;
  /** The job reads a record's own endpoint (never read again from there). */
  shown: boolean;
  /** The job writes whatever the cursor says (a project new to the replica, a record a change names). */
  force: boolean;
  /** The listing lacks a field whose embedded records are read here (an older payload). */
  missingField: boolean;
  /** The run this one resumes wrote it and its whole subtree, at this updated_at. */
  doneBefore: boolean;
  /** Another source listed it this run (a stream written once a run). */
  duplicate: boolean;
  /** Its stream is written from its own endpoint, the listing holding less. */
  hasShow: boolean;
  /** A project no earlier run walked: new to the replica, however old. */
  newToReplica: boolean;
  /** Records embedded in it are read here (its show is needed for them). */
  readsEmbedded: boolean;
  /** A walk listed a record of another stream (a group in the Todolist walk). */
  ownedByOther: boolean;
  /** That other stream is incremental (if not, every record of it is written). */
  ownerIncremental: boolean;
  /** Its stream is selected and written in this context. */
  ownerWrites: boolean;
  /** It lies in the window an earlier run of this walk wrote. */
  resumed: boolean;
  /**
   * A parent read again for its counts, in a status no listing of its stream serves (a trashed
   * check-in question, shown through an answer under it): a full sync could not write it.
   */
  unlisted: boolean;
}

export type RecordAction =
  /** Read its own endpoint for the field the listing lacks; write that. */
  | 'read-incomplete'
  /** Skip it and its subtree: written by the run this one resumes. */
  | 'done-before'
  /** Skip it: written, and walked, where another source listed it. */
  | 'duplicate'
  /** Read its own endpoint and write that. */
  | 'read-show'
  /** Unchanged since the cursor: its show is not needed, what is below it still is. */
  | 'fan-out'
  /** Write it, and read what it leads to. */
  | 'write'
  /** Do not write it (unchanged, or not selected here); read what it leads to. */
  | 'pass';

/** Whether a newest-first walk ends at this record: below the cursor, and its older records lead nowhere. */
export function endsWalk(stopAtCursor: boolean, below: boolean): boolean {
  return stopAtCursor && below;
}

/** The per-record decision (see RecordFacts for each fact). */
export function decideRecord(f: RecordFacts): RecordAction {
  if (f.missingField && !f.shown) return 'read-incomplete';
  if (f.doneBefore) return 'done-before';
  if (f.duplicate) return 'duplicate';
  if (f.hasShow && !f.shown) return f.below && !f.newToReplica && !f.readsEmbedded ? 'fan-out' : 'read-show';
  return f.ownerWrites && wanted(f) && !f.resumed && !f.unlisted ? 'write' : 'pass';
}

/** Whether the record is new to the replica as far as the cursor goes, or written whatever it says. */
function wanted(f: RecordFacts): boolean {
  if (f.force) return true;
  // A record another stream owns is written when that stream is full-table, whatever the walk's cursor.
  return f.ownedByOther ? !f.ownerIncremental || !f.below : !f.below;
}

/**
 * Whether children read only where their parent is written (Stream.readWhenParentWritten) are
 * read below this record: it goes on (written or passed), and it is new or changed as far as its
 * cursor goes. So also where its stream is not written here (not selected, or an archived walk
 * only passing through: no cursor, every record counts), and where the run this one resumes
 * wrote it already (that run may have stopped before reading its children).
 */
export function leadsToFollowers(action: RecordAction, f: RecordFacts): boolean {
  return (action === 'write' || action === 'pass') && wanted(f);
}

/** Whether the record is kept as seen this run (for streams written once a run): everything that goes on from it. */
export function marksSeen(action: RecordAction): boolean {
  return action === 'read-show' || action === 'fan-out' || action === 'write' || action === 'pass';
}

/** A fresh facts object: one per job, its fields overwritten for every record. */
export function recordFacts(): RecordFacts {
  return {
    below: false,
    shown: false,
    force: false,
    missingField: false,
    doneBefore: false,
    duplicate: false,
    hasShow: false,
    newToReplica: false,
    readsEmbedded: false,
    ownedByOther: false,
    ownerIncremental: false,
    ownerWrites: false,
    resumed: false,
    unlisted: false,
  };
}

/** Adds project_id (and any stream-specific parent ids) to a record, in place. */
export function prepare(stream: Stream, record: Json, ctx: Context, foundIn?: FoundIn): Json {
  if (stream.projectScoped) {
    const projectId = ctx.projectId ?? record.bucket?.id;
    if (projectId !== undefined) record.project_id = projectId;
  }
  if (stream.parentIdAs !== undefined && foundIn !== undefined) record[stream.parentIdAs] = foundIn.record.id;
  stream.decorate(record, foundIn);
  return record;
}

/**
 * The job that reads a listed record's own endpoint at `path` and writes that instead, with what
 * only the list item carried; `force`: written whatever the cursor says (a project new to the replica).
 */
export function showJob(stream: Stream, listed: Json, path: string, ctx: Context, depth: number, force = false): Job {
  const job: Job = { stream, path, ctx, depth, root: false, newestFirst: false, shown: true, listed: listOnlyPart(stream, listed) };
  if (force) job.force = true;
  return job;
}

/** What of a list item its show lacks (the stream's listOnly fields it has): carried to the show's job. */
export function listOnlyPart(stream: Stream, item: Json): Json | undefined {
  const kept = stream.listOnly.filter((k) => k in item);
  return kept.length === 0 ? undefined : Object.fromEntries(kept.map((k) => [k, item[k]]));
}

/** A show merged with what only its list item carried: the show wins where both have a key. */
export function withListed(listed: Json, shown: Json): Json {
  return { ...listed, ...shown };
}
