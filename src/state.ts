/**
 * The bookmark manager: the only code that reads or changes STATE.
 *
 * Shape (all keys optional):
 *   {
 *     "account_id": 1234567, "basecamp_product": "bc3",  // whose state this is: a run of another refuses it
 *     "bookmarks": {
 *       "<stream>": {
 *         "updated_at": "...",                         // a stream-wide cursor (named after the replication key)
 *         "partitions": { "<partition>": { "updated_at": "...",      // cursors per parent or per status
 *                                          "resume": { "newest", "reached", "page" } } },  // a walk cut short
 *         "archived_projects": { "<project id>": "<project updated_at when last walked>" },
 *         "listed_by_walk": true                        // the recordings walk lists these records too
 *       }
 *     },
 *     "etags": { "<path>": "<ETag>" },              // validators of unchanged full-table collections
 *     "run": { "done": { "<stream>": { "<id>": "<updated_at>" } } },  // an unfinished run's written subtrees
 *     "feed": { "since": "...", "projects": [<id>, ...], "trashed": [<id>, ...], "streams": [...] }
 *                                                    // Basecamp 2: the feed's start, projects walked or seen trashed, streams covered
 *     "refresh": { "since": "..." }                  // Basecamp 3: the last completed run's start (src/sync/refresh.ts)
 *     "events": { "position": "...", "last_id": 1 }  // Basecamp 5: where the event feed was read to
 *   }
 *
 * A cursor is committed only by the engine, and only once every record at or after it has
 * been written, so any STATE printed is a point from which a re-run loses nothing.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describeAjvErrors } from './config';
import { TapError } from './errors';
import { JsonObject } from './messages';
import type { ProductId } from './products';

const CURSOR = { type: 'string', format: 'date-time' };
/** What a stream, and each of its partitions, may hold: a cursor and a resume point. */
const CURSORS = {
  updated_at: CURSOR,
  created_at: CURSOR,
  resume: { type: 'object', required: ['newest', 'reached'], properties: { newest: CURSOR, reached: CURSOR, page: { type: 'string' } } },
};
const STATE_SCHEMA = {
  type: 'object',
  properties: {
    account_id: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1 },
    basecamp_product: { type: 'string', minLength: 1 },
    bookmarks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          ...CURSORS,
          partitions: { type: 'object', additionalProperties: { type: 'object', properties: CURSORS } },
          archived_projects: { type: 'object', additionalProperties: CURSOR },
          listed_by_walk: { type: 'boolean' },
        },
      },
    },
    etags: { type: 'object', additionalProperties: { type: 'string' } },
    run: {
      type: 'object',
      properties: { done: { type: 'object', additionalProperties: { type: 'object', additionalProperties: CURSOR } } },
    },
    feed: {
      type: 'object',
      required: ['since'],
      properties: {
        since: CURSOR,
        projects: { type: 'array', items: { type: 'integer' } },
        trashed: { type: 'array', items: { type: 'integer' } },
        streams: { type: 'array', items: { type: 'string' } },
      },
    },
    refresh: { type: 'object', required: ['since'], properties: { since: CURSOR } },
    events: { type: 'object', required: ['position'], properties: { position: { type: 'string' }, last_id: { type: 'integer' } } },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateState = ajv.compile(STATE_SCHEMA);

/** How many ETags the state keeps at most; the oldest are dropped first. */
export const MAX_ETAGS = 5000;

/**
 * A newest-first walk that was cut short: everything in (reached, newest] was written, and
 * `page` (when known) is the page that held `reached`, where the walk can pick up again.
 */
export interface ResumePoint {
  newest: string;
  reached: string;
  page?: string;
}
/** What each partition of a stream holds: its cursor and, mid-walk, a resume point. */
export interface PartitionBookmark {
  updated_at?: string;
  created_at?: string;
  resume?: ResumePoint;
}
/** A stream holds the same at its own level, plus its partitions and archived-project walks. */
export interface StreamBookmark extends PartitionBookmark {
  partitions?: Record<string, PartitionBookmark>;
  archived_projects?: Record<string, string>;
  /** An account-wide recordings walk was seen to list this stream's records (see Bc3Stream.alsoInWalk). */
  listed_by_walk?: boolean;
}
/** The account a state was written for, and which Basecamp it is (the product's API and streams). */
export interface StateOwner {
  account_id: number;
  basecamp_product: ProductId;
}
/** The keys of a state that say whose it is (not how far its runs got). */
export const OWNER_KEYS: ReadonlyArray<keyof StateOwner> = ['account_id', 'basecamp_product'];
export interface TapState {
  /** Written since states were owned; a state of older runs has neither and is taken as it is. */
  account_id?: number | string;
  basecamp_product?: string;
  bookmarks: Record<string, StreamBookmark>;
  etags?: Record<string, string>;
  /**
   * The unfinished run this state was cut from: per stream, records whose whole subtree it wrote
   * (id -> updated_at then), so a resumed run skips them. Dropped when a run completes.
   */
  run?: { done: Record<string, Record<string, string>> };
  /**
   * Basecamp 2's change feed: the start of the last completed run (the next one reads
   * /events.json from there, less an overlap) and the projects walked whole so far.
   */
  feed?: { since: string; projects?: number[]; trashed?: number[]; streams?: string[] };
  /** The start of the last completed run: what changed since is read, and whose turn came since (src/sync/refresh.ts). */
  refresh?: { since: string };
  /** Basecamp 5's event feed: where the last completed run read it to (src/products/bc3-events.ts). */
  events?: { position: string; last_id?: number };
}

/** Parses and checks a state document; Meltano's whole STATE message is accepted too. */
export function parseState(raw: unknown, source: string): TapState {
  const value = stateValue(raw);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TapError(`state ${source} must hold a JSON object such as {"bookmarks": {...}}`);
  }
  if (!validateState(value)) throw new TapError(describeAjvErrors(`state ${source} is malformed`, validateState.errors));
  return copyState(value as Partial<TapState>);
}

/** A state document, or the value of Meltano's whole STATE message. */
function stateValue(raw: unknown): unknown {
  const isMessage = raw && typeof raw === 'object' && (raw as JsonObject).type === 'STATE' && 'value' in (raw as JsonObject);
  return isMessage ? (raw as JsonObject).value : raw;
}

/** A copy of a validated state holding only the parts it has. */
function copyState(state: Partial<TapState>): TapState {
  return {
    ...(state.account_id !== undefined ? { account_id: state.account_id } : {}),
    ...(state.basecamp_product !== undefined ? { basecamp_product: state.basecamp_product } : {}),
    bookmarks: { ...(state.bookmarks ?? {}) },
    ...(state.etags ? { etags: { ...state.etags } } : {}),
    ...(state.run ? { run: { done: { ...(state.run.done ?? {}) } } } : {}),
    ...(state.feed ? { feed: copyFeed(state.feed) } : {}),
    ...(state.refresh ? { refresh: { since: state.refresh.since } } : {}),
    ...(state.events ? { events: { ...state.events } } : {}),
  };
}

/**
 * Why a state must not be applied to this run: it was written for another account, or for the
 * account read as another product (their bookmarks name other records, or other streams, and
 * applying them would skip data). A state that names no owner (older runs) is accepted.
 */
export function ownerMismatch(state: Pick<TapState, 'account_id' | 'basecamp_product'>, owner: StateOwner, source: string): string | undefined {
  const otherAccount = state.account_id !== undefined && String(state.account_id) !== String(owner.account_id);
  const otherProduct = state.basecamp_product !== undefined && state.basecamp_product !== owner.basecamp_product;
  if (!otherAccount && !otherProduct) return undefined;
  const stateOf = `account ${state.account_id ?? owner.account_id}, product ${state.basecamp_product ?? owner.basecamp_product}`;
  const drop = 'drop the state (run without --state for a full sync; under Meltano, check state_id or `meltano state clear` it)';
  const todo = otherAccount ? `pass the state that this account's runs wrote, or ${drop}` : `check basecamp_product, or ${drop}`;
  return `state ${source} is of ${stateOf}; the config is of account ${owner.account_id}, product ${owner.basecamp_product}: ${todo}`;
}

function copyFeed(feed: NonNullable<TapState['feed']>): NonNullable<TapState['feed']> {
  return { since: feed.since, projects: [...(feed.projects ?? [])], trashed: [...(feed.trashed ?? [])], streams: [...(feed.streams ?? [])] };
}

export function ms(timestamp: string): number {
  return Date.parse(timestamp);
}

/** The later of two timestamps (either may be missing). */
export function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return ms(b) > ms(a) ? b : a;
}

/** The key of a per-parent cursor: the parent's id, and the status variant read (`12:archived`). */
export function partitionKey(parentId: number | string, variant: string): string {
  return variant ? `${parentId}:${variant.replace(/^status=/, '')}` : String(parentId);
}

/** Whether a record at `at` (ms) lies in a resume point's window (reached, newest]: written already. */
export function resumeCovers(resume: ResumePoint | undefined, at: number | undefined): boolean {
  return resume !== undefined && at !== undefined && at > ms(resume.reached) && at <= ms(resume.newest);
}

/**
 * Where a newest-first walk stands now, as a resume point. A walk resumed from `resume` extends
 * that window once it has walked into it (its reached point goes lower, with its page); until
 * then the earlier window stands, and undefined says there is nothing new to record.
 */
export function advanceResume(resume: ResumePoint | undefined, now: ResumePoint): ResumePoint | undefined {
  if (!resume) return now;
  if (ms(now.reached) > ms(resume.newest)) return undefined;
  const lower = ms(now.reached) < ms(resume.reached);
  const at = lower
    ? { reached: now.reached, ...(now.page ? { page: now.page } : {}) }
    : { reached: resume.reached, ...(resume.page ? { page: resume.page } : {}) };
  return { newest: later(now.newest, resume.newest)!, ...at };
}

/** When a STATE is worth writing (see SyncEngine.flushState). */
export interface CheckpointFacts {
  /** A root partition or an archived project is done: write now if anything changed. */
  force: boolean;
  /** The run ends (completes, fails or stops): always write. */
  final: boolean;
  /** The bookmarks changed since the last STATE. */
  changed: boolean;
  /** Records written since the last STATE. */
  recordsSince: number;
  /** Size of the last STATE written, in characters. */
  lastBytes: number;
}
/** Records between two unforced checkpoints. */
export const CHECKPOINT_EVERY = 500;

/**
 * Driven by counts, not clocks, so a sequential run prints the same messages every time. A
 * large STATE (many subtrees done this run) is written less often: at most ~1% of the output.
 */
export function checkpointDue(f: CheckpointFacts): boolean {
  if (f.final) return true;
  if (!f.changed) return false;
  return f.force || f.recordsSince >= Math.max(CHECKPOINT_EVERY, f.lastBytes / 100);
}

export class BookmarkManager {
  private state: TapState;
  /** Bumped on every change so the engine knows when a new STATE is worth writing. */
  version = 0;
  /**
   * The run's start on Basecamp's clock. No cursor moves past it: a stream read in pieces at
   * different times (three project lists, many pages) may have seen a record changed at 10:05
   * and not one changed at 10:01 after its page was read; a cursor at 10:05 would skip the
   * latter forever. Capped at the start, the next run reads both again (meltano/sdk's
   * replication_key_signpost).
   */
  private signpost?: string;

  private readonly etags: Map<string, string>;

  /** What the resumed run had done, as loaded (marks made since go to state.run only). */
  private readonly resumedRun?: Record<string, Record<string, string>>;

  /** `owner`: the account and product this run reads, recorded in every STATE it writes. */
  constructor(
    initial: TapState,
    private readonly startDate?: string,
    owner?: StateOwner,
  ) {
    this.state = owner ? { ...initial, account_id: owner.account_id, basecamp_product: owner.basecamp_product } : initial;
    this.resumedRun = initial.run ? JSON.parse(JSON.stringify(initial.run.done)) : undefined;
    this.etags = new Map(Object.entries(initial.etags ?? {}));
  }

  private stream(name: string): StreamBookmark {
    return (this.state.bookmarks[name] ??= {});
  }

  /** The bookmark stored for a stream (and partition), ignoring start_date. */
  stored(stream: string, key: 'updated_at' | 'created_at', partition?: string): string | undefined {
    const s = this.state.bookmarks[stream];
    if (!s) return undefined;
    return partition === undefined ? s[key] : s.partitions?.[partition]?.[key];
  }

  /** The lower bound a sync should read from: the stored bookmark, or start_date, whichever is later. */
  cursor(stream: string, key: 'updated_at' | 'created_at', partition?: string): string | undefined {
    return later(this.startDate, this.stored(stream, key, partition));
  }

  /** Sets the run's start (the first of: this machine's clock at start, Basecamp's first Date header). */
  setSignpost(at: string): void {
    if (this.signpost === undefined || ms(at) < ms(this.signpost)) this.signpost = at;
  }

  /** A cursor value no later than the run's start. */
  capped(value: string | undefined): string | undefined {
    if (value === undefined || this.signpost === undefined) return value;
    return ms(value) > ms(this.signpost) ? this.signpost : value;
  }

  /**
   * Moves a cursor forward (never back, never past the run's start) and drops the partition's
   * resume point: its walk is complete.
   */
  commit(stream: string, key: 'updated_at' | 'created_at', value: string | undefined, partition?: string): void {
    const target = this.target(stream, partition);
    const next = later(target[key], this.capped(value));
    if (next !== target[key] || target.resume) {
      if (next !== undefined) target[key] = next;
      delete target.resume;
      this.version++;
    }
  }

  resumePoint(stream: string, partition?: string): ResumePoint | undefined {
    const s = this.state.bookmarks[stream];
    return partition === undefined ? s?.resume : s?.partitions?.[partition]?.resume;
  }

  /** Records how far an unfinished newest-first walk got, without moving its cursor. */
  setResumePoint(stream: string, resume: ResumePoint, partition?: string): void {
    this.target(stream, partition).resume = resume;
    this.version++;
  }

  private target(stream: string, partition?: string): PartitionBookmark {
    const s = this.stream(stream);
    return partition === undefined ? s : ((s.partitions ??= {})[partition] ??= {});
  }

  archivedWalk(stream: string, projectId: number): string | undefined {
    return this.state.bookmarks[stream]?.archived_projects?.[String(projectId)];
  }

  markArchivedWalk(stream: string, projectId: number, projectUpdatedAt: string): void {
    const walks = (this.stream(stream).archived_projects ??= {});
    if (walks[String(projectId)] !== projectUpdatedAt) {
      walks[String(projectId)] = projectUpdatedAt;
      this.version++;
    }
  }

  /** Whether an earlier run saw the recordings walk list this stream's records. */
  walkLists(stream: string): boolean {
    return this.state.bookmarks[stream]?.listed_by_walk === true;
  }

  setWalkLists(stream: string): void {
    if (this.walkLists(stream)) return;
    this.stream(stream).listed_by_walk = true;
    this.version++;
  }

  /**
   * The updated_at a record had when the unfinished run this one resumes wrote it and its whole
   * subtree. Only that run's marks count: one made in this run may be met again in another
   * context (a project archived since), whose subtree is another one.
   */
  doneBefore(stream: string, id: number | string): string | undefined {
    return this.resumedRun?.[stream]?.[String(id)];
  }

  markDoneThisRun(stream: string, id: number | string, updatedAt: string): void {
    const run = (this.state.run ??= { done: {} });
    (run.done[stream] ??= {})[String(id)] = updatedAt;
    this.version++;
  }

  /** Where the change feed is to be read from, less the overlap: the last completed run's start. */
  feedSince(): string | undefined {
    return this.state.feed?.since;
  }

  /** Whether the runs the feed's bookmark comes from read this stream incrementally (walked it whole first). */
  feedCovers(stream: string): boolean {
    return this.state.feed?.streams?.includes(stream) === true;
  }

  /**
   * Whether an earlier run walked this project whole (a feed run reads only its changes), or,
   * for a project that is trashed now, saw it trashed already (nothing below it is read).
   */
  feedKnows(projectId: number, trashed: boolean): boolean {
    this.knownProjects ??= new Set(this.state.feed?.projects ?? []);
    this.knownTrashed ??= new Set(this.state.feed?.trashed ?? []);
    return this.knownProjects.has(projectId) || (trashed && this.knownTrashed.has(projectId));
  }
  private knownProjects?: Set<number>;
  private knownTrashed?: Set<number>;

  /**
   * The run completed: the next one reads the feed from this one's start, and knows the projects
   * whose subtrees this run (or the one it resumed) wrote, trashed ones aside.
   */
  completeFeed(walked: Iterable<number>, trashed: Iterable<number>, streams: readonly string[]): void {
    if (this.signpost === undefined) return;
    // A stream stays covered while every run selects it incremental: one dropped in between
    // missed the feed's events meanwhile.
    const covered = [...streams].sort();
    const known = new Set([...(this.state.feed?.projects ?? []), ...walked]);
    const seenTrashed = new Set([...(this.state.feed?.trashed ?? []), ...trashed].filter((id) => !known.has(id)));
    const sorted = (ids: Set<number>) => [...ids].sort((a, b) => a - b);
    this.state.feed = { since: this.signpost, projects: sorted(known), trashed: sorted(seenTrashed), streams: covered };
    this.knownProjects = undefined;
    this.knownTrashed = undefined;
    this.version++;
  }

  /** The run completed: the next one reads what changed, and whose turn came, since its start. */
  completeRefresh(): void {
    if (this.signpost === undefined || this.state.refresh?.since === this.signpost) return;
    this.state.refresh = { since: this.signpost };
    this.version++;
  }

  /** The run completed: nothing of it needs skipping any more. */
  endRun(): void {
    if (this.state.run === undefined) return;
    delete this.state.run;
    this.version++;
  }

  /** Where the event feed was read to by the last completed run. */
  eventsRead(): unknown {
    return this.state.events;
  }

  /** The run has written everything the feed named up to `bookmark`: the next one reads on from there. */
  setEventsRead(bookmark: unknown): void {
    if (bookmark === undefined || JSON.stringify(bookmark) === JSON.stringify(this.state.events)) return;
    this.state.events = bookmark as NonNullable<TapState['events']>;
    this.version++;
  }

  /** The start of the last completed run (see src/sync/refresh.ts); undefined before any. */
  refreshSince(): string | undefined {
    return this.state.refresh?.since;
  }

  /** This run's start, as far as it is known yet (see setSignpost). */
  runStart(): string | undefined {
    return this.signpost;
  }

  etag(path: string): string | undefined {
    return this.etags.get(path);
  }

  /** Keeps (or forgets) a collection's ETag; a Map in insertion order, so the oldest is dropped first. */
  setEtag(path: string, etag: string | undefined): void {
    if (etag === undefined) {
      if (this.etags.delete(path)) this.version++;
      return;
    }
    if (this.etags.get(path) === etag) return;
    this.etags.delete(path); // re-insert so insertion order is recency order
    this.etags.set(path, etag);
    while (this.etags.size > MAX_ETAGS) this.etags.delete(this.etags.keys().next().value as string);
    this.version++;
  }

  /**
   * A snapshot of the state, safe to print. `withEtags: false` leaves the ETags out: they are a
   * cache, not bookmarks, and at up to MAX_ETAGS entries (~430 KB) they would dwarf every checkpoint.
   */
  value(withEtags = true): JsonObject {
    const out: JsonObject = {};
    if (this.state.account_id !== undefined) out.account_id = this.state.account_id;
    if (this.state.basecamp_product !== undefined) out.basecamp_product = this.state.basecamp_product;
    out.bookmarks = JSON.parse(JSON.stringify(this.state.bookmarks)) as JsonObject;
    if (withEtags && this.etags.size > 0) out.etags = Object.fromEntries(this.etags);
    if (this.state.run) out.run = JSON.parse(JSON.stringify(this.state.run)) as JsonObject;
    if (this.state.feed) out.feed = copyFeed(this.state.feed);
    if (this.state.refresh) out.refresh = { since: this.state.refresh.since };
    if (this.state.events) out.events = { ...this.state.events };
    return out;
  }
}
