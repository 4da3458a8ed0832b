/**
 * The declarative description of a stream, as both products declare it. Each stream in
 * streams/index.ts (Basecamp 3) and streams/bcx.ts (Basecamp 2) is a small subclass that only
 * sets fields; what only one product reads hangs on its base class (Bc3Stream, BcxStream in
 * src/products/) with its strategy. The engine (src/engine.ts) does the paging, fan-out,
 * bookmarks and message writing for all of them.
 */
import { AnyStreamName } from './names';
import { Strategy, TREE } from '../sync/strategy';

export type { StreamName, AnyStreamName } from './names';
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type ReplicationKey = 'updated_at' | 'created_at';
/** The start of time: the `since` of a read from the beginning. */
export const EPOCH = '1970-01-01T00:00:00Z';

/** The collection paths (account-relative) that one parent record leads to; [] when none. */
export type PathsFrom = (parent: Json) => string[];
/** Parent stream -> the collections one of its records leads to (a misspelt parent does not compile). */
export type Parents = Partial<Record<AnyStreamName, PathsFrom>>;
/** Where a project stands, as the engine treats it: a trashed project yields only itself. */
export type ProjectStatus = 'active' | 'archived' | 'trashed';
/** The record a child was found in (an embedded comment's commentable). */
export interface FoundIn {
  stream: AnyStreamName;
  record: Json;
}

export abstract class Stream {
  abstract readonly name: AnyStreamName;
  readonly keyProperties: string[] = ['id'];
  /** The field incremental syncs advance on; undefined for full-table streams. */
  readonly replicationKey?: ReplicationKey;
  /**
   * The API lists the collection newest first by the replication key, so an incremental walk
   * stops at the first record older than its cursor. Otherwise an incremental stream reads the
   * whole collection and filters on the client.
   */
  readonly newestFirst: boolean = false;
  /**
   * Its records are projects: the root of the tree below them. Their children are read in the
   * project's context; an archived project's tools are walked; a trashed one yields only itself.
   */
  readonly opensProject: boolean = false;
  /** Records live inside a project: the engine adds project_id. */
  readonly projectScoped: boolean = true;
  /** Account-level collections this stream reads (one partition each). */
  readonly rootPaths: string[] = [];
  /**
   * Root paths a token may not be allowed to read (Basecamp 2 lists deleted people to admins
   * only): a 403 or 404 there skips the collection with a warning instead of failing the run.
   */
  readonly mayBeForbidden: readonly string[] = [];
  /**
   * A 404 at a per-parent path says the API does not serve the collection there (the Door walk
   * scoped to an archived project, under one reading of the docs): nothing to read, the parent
   * counts as read, and the run says so once instead of warning per parent.
   */
  readonly notFoundIsEmpty: boolean = false;
  /** Parent stream name -> the collections one of its records leads to. */
  readonly parents: Parents = {};
  /**
   * Records embedded in a parent record's field instead of fetched (no request). A dotted field
   * names an array inside an object (`todos.remaining`).
   */
  readonly embeddedIn: ReadonlyArray<{ stream: AnyStreamName; field: string }> = [];
  /**
   * Derived from the records other streams write, with no read of its own (attachments): each
   * record of a stream in `from` that a run writes gives `records(record)`, written right after
   * it, so they follow it (written when it is, in full and incremental runs alike).
   */
  readonly derived?: { from: readonly AnyStreamName[]; records: (record: Json) => Json[] };
  /**
   * Fields left out of the written record: embedded collections that are streams of their own
   * (Basecamp 2's comments inside every commentable, a to-do list's to-dos).
   */
  readonly omit: readonly string[] = [];
  /**
   * The record's own endpoint, where a listing holds less than it (Basecamp 2 lists documents
   * without content): each listed record is read there and that payload is written instead,
   * with the list item's `listOnly` fields.
   * An incremental run skips the read for a listed record older than the cursor.
   */
  readonly show?: (listed: Json, projectId: number | undefined) => string;
  /**
   * Fields a listing carries and the show leaves out (Basecamp 2 lists people with url and
   * app_url, groups with updated_at; their shows have neither): where the show is read for a
   * listed record, these are carried from the list item and written with it, the show winning
   * where it has them too. Only fields every read of the record can give: a record the change
   * feed names is read from its show alone, and a replica must not lose a field on that run.
   */
  readonly listOnly: readonly string[] = [];
  /** The endpoint answers one object rather than a list. */
  readonly singleObject: boolean = false;
  /** Query variants each parent path is read with (e.g. the documented statuses of a to-do list). */
  readonly variants: string[] = [''];
  /** Per-parent incremental streams keep one cursor per parent (e.g. lines per campfire). */
  readonly cursorPerParent: boolean = false;
  /**
   * A record's subtree (everything read below it) is remembered once written, so a run resumed
   * from a STATE of an unfinished one skips the record and its subtree (projects).
   */
  readonly rememberSubtrees: boolean = false;
  /**
   * Two sources can list the same record (a campfire in /chats.json and in its archived
   * project's dock): write each key once per run.
   */
  readonly oncePerRun: boolean = false;
  /**
   * Older list payloads leave out a field a child stream is embedded in (card lists had no
   * `steps` before the Basecamp 5 docs): where that child is read and a listed record lacks the
   * field, the record's own endpoint `show(record)` is read and written instead.
   */
  readonly incompleteWithout?: { field: string; show: (record: Json) => string };

  /**
   * Read below a parent record only where that record is written (new or changed as far as its
   * cursor goes), never where a walk passes it: an upload's versions change only with the upload
   * (a new file moves its updated_at). Such a child does not make a walk go past its cursor.
   */
  readonly readWhenParentWritten: boolean = false;
  /**
   * Read below its parent also where the parent is read again because a changed child moved its
   * counts (src/sync/parents.ts): what it shows moves with those children (a to-do set's hill chart,
   * whose dots are its lists' completion).
   */
  readonly readWithCountedParent: boolean = false;
  /**
   * Where reads follow signals, read below a parent whose updated_at moved only if no changed
   * record below that parent (one the walks show, or a parent read for its counts) accounts for
   * the move (see src/sync/moves.ts): a to-do list's groups, when a to-do in it changed.
   */
  readonly readUnlessChildMoved: boolean = false;
  /**
   * Left out unless asked for: discovery marks it unselected and a run without a catalog skips it
   * (it costs one request per recording on a first sync).
   */
  readonly optIn: boolean = false;
  /**
   * The field the parent record's id is written in, where the payload does not name its parent
   * (a hill chart names no to-do set): set from the record the collection was read below.
   */
  readonly parentIdAs?: string;

  /**
   * In a project's turn (src/sync/refresh.ts), read below this parent stream too, only to reach
   * its children; never written there (its own walk writes it). To-do lists are walked newest
   * first and the walk stops at its bookmark, so an unchanged list's groups are reached from
   * its to-do set.
   */
  readonly readInTurnBelow?: AnyStreamName;
  /**
   * Read below an account-level record (a campfire from /chats.json) only when its project is
   * read this run, or the change feed names it (see heldRead).
   */
  readonly followsProject: boolean = false;
  /** Its records are the product's change feed itself, written as the feed is read at the run's start (Basecamp 5's events). */
  readonly fromFeed: boolean = false;
  /**
   * Records of other streams, read every run, that say this stream's collections changed even in
   * a project nothing else says moved: per stream, a function of one changed record giving the
   * project it names, or `true` for every project (a membership is a person: a person's edit
   * changes their memberships everywhere; a timeline event of kind project_access_changed names
   * the project whose memberships changed).
   */
  readonly signalledBy: Partial<Record<AnyStreamName, (record: Json) => number | true | undefined>> = {};

  /** Whether its listings serve records in `status` (active ones always; archived or trashed where a variant asks for them). */
  listsStatus(status: string): boolean {
    return status === 'active' || this.variants.some((v) => v.split('&').includes(`status=${status}`));
  }

  /**
   * The `type` values its records carry, by which a child's `parent` names one (see
   * src/sync/parents.ts): its parent is read again when a changed child moves its counts.
   */
  get typeNames(): readonly string[] {
    return [];
  }
  /**
   * Only its parent counts its records (a comment moves its recording's `comments_count`, not the
   * list above): a changed record's parents are read up the chain otherwise (a to-do moves its
   * group's, its list's and its to-do set's counts).
   */
  readonly countedByParentOnly: boolean = false;

  /** What its product reads beyond the declared tree (src/products/bc3.ts, bcx.ts). */
  get strategy(): Strategy {
    return TREE;
  }

  /** The schema's file under schemas/ (Basecamp 2's under schemas/bcx/). */
  get schemaFile(): string {
    return `${this.name}.json`;
  }

  /** How the engine treats a project record (opensProject streams): Basecamp 3 says it in `status`. */
  projectStatus(record: Json): ProjectStatus {
    return record.status === 'trashed' ? 'trashed' : record.status === 'archived' ? 'archived' : 'active';
  }

  /**
   * When a record last changed, as far as its cursor goes: its replication key, or later where
   * the payload carries counters that move without it (Basecamp 2's tool summaries).
   */
  changedAt(record: Json, key: ReplicationKey): string | undefined {
    const value = record[key];
    return typeof value === 'string' ? value : undefined;
  }

  /** The project the children of an account-level record live in (a record's bucket, by default). */
  childProjectId(record: Json): number | undefined {
    return this.projectScoped ? (record.bucket?.id as number | undefined) : undefined;
  }

  /** Fields the tap adds beyond project_id (e.g. person_id); mutate in place. */
  decorate(_record: Json, _foundIn?: FoundIn): void {}
}

/**
 * Statuses a list is read with where Basecamp documents its `status` parameter (to-do lists,
 * groups, to-dos, schedule entries). Every other per-parent list is documented to answer active
 * records only and takes no `status`: asking anyway would read the active list again.
 */
export const ALL_STATUSES = ['', 'status=archived', 'status=trashed'];

/**
 * Skips a collection its parent counts as empty (replies_count, cards_count...). Basecamp's
 * counts are of active children, so use it only for lists read without status variants.
 */
export function unlessEmpty(countField: string, paths: PathsFrom): PathsFrom {
  return (parent) => (parent[countField] === 0 ? [] : paths(parent));
}

/** Enabled dock entries of a given tool name in a project record. */
export function dock(project: Json, name: string): Json[] {
  const entries: Json[] = Array.isArray(project.dock) ? project.dock : [];
  return entries.filter((tool) => tool && tool.name === name && tool.enabled === true);
}

/** Paths of the enabled dock tools of one kind, e.g. /todosets/1.json. */
export function dockPaths(kind: string, route: string): PathsFrom {
  return (project) => dock(project, kind).map((tool) => `/${route}/${tool.id}.json`);
}
