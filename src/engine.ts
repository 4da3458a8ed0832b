/**
 * The sync engine: walks the stream tree (projects -> dock tools -> their contents), reads
 * every partition (one collection at one path) through the client, writes RECORDs, fans out to
 * child streams, and commits bookmarks only when everything a cursor covers has been written.
 *
 * Work is a set of partitions run by a queue of `max_concurrency` slots. A partition never
 * waits for its children (so slots cannot deadlock); completion is tracked by a tree of Nodes
 * instead, and a cursor is committed when its partition's Node, children included, is done.
 */
import PQueue from 'p-queue';
import { BasecampClient, Collection, ResumeAt } from './client';
import { StreamSelection, selectedSchema } from './catalog';
import { ApiError, Interrupted, accountError } from './errors';
import { Logger } from './log';
import { StreamActivity } from './progress';
import { SingerWriter } from './messages';
import { BookmarkManager, CHECKPOINT_EVERY, ResumePoint, advanceResume, checkpointDue, later, ms, partitionKey, resumeCovers } from './state';
import { Context, ReadPlan } from './plan';
import { PRODUCTS, Product } from './products';
import { EPOCH, FoundIn, Json, Stream } from './streams/stream';
import { FullTableVersions } from './versions';


interface Partition {
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
  /** One of the account-wide recordings walks (per status). */
  walk?: boolean;
  /** Queue priority when not the depth (higher runs sooner). */
  priority?: number;
  /** The record's own endpoint, read because its listing lacked a field or holds less (never read again). */
  shown?: boolean;
  /** What only the list item a show partition was spawned from carried (Stream.listOnly): merged under the show. */
  listed?: Json;
  /** Written whatever the cursor says (a project new to a feed run, a record an event names). */
  force?: boolean;
  /** The record embedded records were found in (a comment's commentable). */
  foundIn?: FoundIn;
  /**
   * Read because the change feed names it: read no further than what it embeds and what the
   * feed leads to from it (see fanOutFromFeed).
   */
  fromFeed?: boolean;
}

/** How far a newest-first walk has written: its newest record, the last one written and its page. */
interface WalkProgress {
  stream: string;
  key?: string;
  resume?: ResumePoint;
  newest?: string;
  reached?: string;
  page?: string;
}

/** Per-parent reads of an alsoInWalk stream in active projects, held until its walk decides them. */
interface HeldReads {
  /** The walk listed a record of this stream: the per-parent reads are not needed. */
  listed: boolean;
  /** Walk partitions still reading. */
  walksLeft: number;
  held: Array<{ p: Partition; node: Node }>;
}

/** Completion tracking: a Node is done when its own work and all its children are done. */
class Node {
  private pending = 1;
  private clean = true;
  private readonly callbacks: Array<(clean: boolean) => void> = [];
  constructor(
    private readonly parent?: Node,
    onDone?: (clean: boolean) => void,
  ) {
    if (parent) parent.pending++;
    if (onDone) this.callbacks.push(onDone);
  }
  /** Runs `callback` when the node is done, before its parent hears of it. */
  then(callback: (clean: boolean) => void): void {
    this.callbacks.push(callback);
  }
  finish(clean = true): void {
    if (!clean) this.clean = false;
    if (--this.pending > 0) return;
    for (const callback of this.callbacks) callback(this.clean);
    this.parent?.finish(this.clean);
  }
}

const STATUSES = ['active', 'archived', 'trashed'] as const;
/**
 * Backlog bounds: a partition that has queued this many child partitions waits until the
 * queue is down to QUEUE_LOW, so memory holds a bounded backlog, not one task per parent record.
 */
const QUEUE_HIGH = 1000;
const QUEUE_LOW = 500;

/** Times a walk with children reads its top again for records that moved there meanwhile. */
const TOP_UP_PASSES = 3;
/**
 * How far before the last run's start a feed run reads the change feed: Basecamp 2 may still
 * correct an event for 15 minutes after it is created.
 */
export const FEED_OVERLAP_MS = 15 * 60_000;
/** Above any depth: walks whose end decides held reads run before everything else. */
const HOLDING_WALK_PRIORITY = 1000;

/** What of a list item its show lacks (the stream's listOnly fields it has): carried to the show's partition. */
export function listOnlyPart(stream: Stream, item: Json): Json | undefined {
  const kept = stream.listOnly.filter((k) => k in item);
  return kept.length === 0 ? undefined : Object.fromEntries(kept.map((k) => [k, item[k]]));
}

/** A show merged with what only its list item carried: the show wins where both have a key. */
export function withListed(listed: Json, shown: Json): Json {
  return { ...listed, ...shown };
}

export interface EngineOptions {
  maxConcurrency: number;
  startDate?: string;
  /** activate_version on a stateless run: told of skipped partitions, activates at a completed end. */
  versions?: FullTableVersions;
}

export class SyncEngine {
  private readonly plan: ReadPlan;
  private readonly queue: PQueue;
  private failure?: Error;
  private schemasWritten = false;
  /** Partitions paused in throttle(), holding their slots. */
  private producersWaiting = 0;
  private stopping?: NodeJS.Signals;
  private finished!: () => void;
  private recordsAtLastState = 0;
  private lastStateVersion = -1;
  /** Stream-wide cursors of client-filtered streams, committed when the run completes. */
  private readonly endOfRunCursors = new Map<string, string>();
  private readonly heldReads = new Map<string, HeldReads>();
  /** Keys written this run, for streams two sources can both list. */
  private readonly writtenOnce = new Map<string, Set<string>>();
  /** Newest-first walks under way. */
  private readonly walking = new Set<WalkProgress>();
  /** Partitions queued so far, and finished: how far the walk is (see progress()). */
  private partitionsKnown = 0;
  private partitionsDone = 0;
  /** Collections being read, for what their lists still hold (progress). */
  private readonly reading = new Set<Collection<Json>>();
  /** Which streams are being read now, and since when (progress lines, sync_duration metrics). */
  readonly activity = new StreamActivity();
  private readonly streams: readonly Stream[];
  private readonly byName: ReadonlyMap<string, Stream>;
  /** Paths read this run by feed-derived and read-once partitions (several events name one record). */
  private readonly readOnce = new Set<string>();
  /** Projects (not trashed) whose subtree this run, or the one it resumes, wrote whole. */
  private readonly walkedProjects = new Set<number>();
  /** Projects seen trashed (written, nothing below them walked). */
  private readonly trashedProjects = new Set<number>();
  /** The product has a change feed (a stream read from a time on). */
  private readonly hasFeed: boolean;

  constructor(
    private readonly selection: Map<string, StreamSelection>,
    private readonly client: BasecampClient,
    private readonly writer: SingerWriter,
    private readonly bookmarks: BookmarkManager,
    private readonly log: Logger,
    private readonly options: EngineOptions,
    product: Product = PRODUCTS.bc3,
  ) {
    this.streams = product.streams;
    this.byName = product.byName;
    this.hasFeed = this.streams.some((s) => s.sincePath !== undefined);
    this.plan = new ReadPlan(this.streams, selection, this.hasFeed && this.isFeedRun());
    for (const stream of this.streams) {
      if (stream.alsoInWalk) this.heldReads.set(stream.name, { listed: this.bookmarks.walkLists(stream.name), walksLeft: 0, held: [] });
      if (stream.oncePerRun) this.writtenOnce.set(stream.name, new Set());
    }
    // p-queue inserts synchronously, so a sequential run (max_concurrency 1) is deterministic.
    this.queue = new PQueue({ concurrency: options.maxConcurrency });
  }

  /**
   * A feed run: an earlier run completed the feed's bookmark, and the runs since read every
   * stream selected now incrementally (a stream selected since is walked, and with it the run).
   */
  private isFeedRun(): boolean {
    if (this.bookmarks.feedSince() === undefined) return false;
    return this.feedStreams().every((name) => this.bookmarks.feedCovers(name));
  }

  /** The selected streams read from the feed in a feed run. */
  private feedStreams(): string[] {
    return this.streams.filter((s) => this.selection.get(s.name)?.incremental && s.replicationKey && Object.keys(s.feedParents).length > 0).map((s) => s.name);
  }

  /** Where a stream read from a time on starts: the last run's start in a feed run, else its own cursor; less the overlap. */
  private sinceFor(stream: Stream): string {
    // In a feed run the stream's own cursor (its newest record, before the last run's start) is
    // covered: nothing can have been created between the two that the last run did not see.
    let since = this.plan.feedRun ? this.bookmarks.feedSince() : undefined;
    if (!this.plan.feedRun && this.selection.has(stream.name) && this.plan.isIncremental(stream)) since = this.bookmarks.cursor(stream.name, stream.replicationKey!);
    since ??= this.options.startDate;
    return since === undefined ? EPOCH : new Date(Math.max(0, ms(since) - FEED_OVERLAP_MS)).toISOString();
  }

  /** Syncs every selected stream; resolves when done, rejects on the first fatal error. */
  async run(): Promise<void> {
    // No cursor passes the run's start, on this machine's clock or Basecamp's, whichever is earlier.
    this.bookmarks.setSignpost(new Date().toISOString());
    this.client.onServerStart = (at) => this.bookmarks.setSignpost(at);
    if (this.client.serverStart) this.bookmarks.setSignpost(this.client.serverStart);
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    const root = new Node(undefined, () => this.finished());
    for (const stream of this.streams) {
      if (!this.plan.readsActive(stream)) continue;
      for (const path of stream.sincePath ? [stream.sincePath(this.sinceFor(stream))] : stream.rootPaths) {
        this.spawn({ stream, path, ctx: {}, depth: 0, root: true, newestFirst: stream.newestFirst }, root);
      }
      if (stream.recordingType) {
        // One account-wide walk per status, newest first, for all active projects at once.
        const holding = this.plan.listedBy(stream.name);
        for (const s of holding) this.heldReads.get(s.name)!.walksLeft += STATUSES.length;
        // A walk that decides held reads goes first: until it ends, the subtrees holding them stay open.
        const priority = holding.length > 0 ? HOLDING_WALK_PRIORITY : undefined;
        for (const status of STATUSES) {
          const path = `/projects/recordings.json?type=${encodeURIComponent(stream.recordingType)}&status=${status}&sort=updated_at&direction=desc`;
          this.spawn({ stream, path, ctx: {}, depth: 0, root: true, cursorKey: status, newestFirst: true, walk: true, priority }, root);
        }
      }
    }
    root.finish();
    await done;
    if (this.failure) {
      // Everything committed so far is safe to resume from; say so before failing.
      if (this.schemasWritten) this.flushState(true, true);
      throw this.failure;
    }
    this.writeSchemas();
    if (!this.stopping) {
      for (const [name, value] of this.endOfRunCursors) this.bookmarks.commit(name, this.byName.get(name)!.replicationKey!, value);
      // The next run reads the feed from this one's start; the projects it walked need no walk again.
      if (this.hasFeed) this.bookmarks.completeFeed(this.walkedProjects, this.trashedProjects, this.feedStreams());
      this.bookmarks.endRun();
      this.options.versions?.activate(this.writer);
    }
    this.flushState(true, true);
    if (this.stopping) throw new Interrupted(this.stopping);
  }

  /**
   * SCHEMA for every selected stream, written just before the first RECORD (or at the end of a
   * run with none): a run that fails on its first request (bad account, revoked token) prints nothing.
   */
  private writeSchemas(): void {
    if (this.schemasWritten) return;
    this.schemasWritten = true;
    for (const [name, sel] of this.selection) {
      const stream = this.byName.get(name)!;
      this.writer.schema(name, selectedSchema(stream, sel.fields, sel.drop), stream.keyProperties, sel.incremental && stream.replicationKey ? [stream.replicationKey] : []);
    }
  }

  /** How far the run is: partitions done of those known (held reads count once released). */
  progress(): { partitionsDone: number; partitionsKnown: number; pagesLeft: number } {
    let pagesLeft = 0;
    // Basecamp's pages hold up to 100 records past the first few (15, 30, 50).
    for (const c of this.reading) if (c.total !== undefined) pagesLeft += Math.ceil(Math.max(0, c.total - c.itemsRead) / 100);
    return { partitionsDone: this.partitionsDone, partitionsKnown: this.partitionsKnown, pagesLeft };
  }

  /** SIGINT/SIGTERM: start nothing new, let partitions stop at their next record, finish with a STATE. */
  interrupt(signal: NodeJS.Signals): void {
    if (this.stopping) return;
    // Every walk under way records how far it got, so the resumed run picks up there.
    for (const w of this.walking) this.checkpointWalk(w);
    this.stopping = signal;
    this.client.stop(signal);
    this.queue.clear();
    this.finished?.();
  }

  private spawn(p: Partition, parent: Node, onDone?: (clean: boolean) => void): void {
    if (this.failure || this.stopping) return;
    this.enqueue(p, new Node(parent, onDone));
  }

  private enqueue(p: Partition, node: Node): void {
    if (this.failure || this.stopping) return;
    this.partitionsKnown++;
    // Deeper partitions first: they finish subtrees (and release their cursors) sooner and keep the queue short.
    this.queue.add(() => this.runPartition(p, node), { priority: p.priority ?? p.depth }).catch((err: unknown) => this.fail(err as Error));
  }

  private fail(err: Error): void {
    if (err instanceof Interrupted || this.stopping) return;
    if (this.failure) return;
    this.failure = err;
    this.client.stop('SIGTERM');
    this.finished?.();
  }

  private async runPartition(p: Partition, node: Node): Promise<void> {
    if (this.failure || this.stopping) return;
    this.activity.start(p.stream.name);
    try {
      await this.readPartition(p, node);
    } finally {
      this.activity.end(p.stream.name);
      this.partitionsDone++;
      if (p.walk) this.walkEnded(p.stream);
    }
  }

  private async readPartition(p: Partition, node: Node): Promise<void> {
    try {
      // A read cut short by a stop leaves its node open: nothing it covers may be committed.
      if (await this.read(p, node)) node.finish(true);
    } catch (err) {
      if (err instanceof ApiError && (err.kind === 'not_found' || err.kind === 'forbidden')) {
        if (p.root && !p.stream.mayBeForbidden.includes(p.path ?? '')) throw accountError(this.client.accountId, err)!;
        this.log.warn(`skipping ${p.stream.name} at ${err.path}: HTTP ${err.status} (deleted, or not readable with this token)`, { stream: p.stream.name });
        this.options.versions?.skipped(p.stream.name);
        node.finish(false);
        return;
      }
      throw err;
    }
  }

  /** Reads one partition: its records, its cursor, its children. False when cut short by a stop. */
  private async read(p: Partition, node: Node): Promise<boolean> {
    const { stream, ctx } = p;
    const sel = this.selection.get(stream.name);
    const rk = stream.replicationKey;
    const emit = sel !== undefined && (!ctx.archived || ctx.archived.emit.has(stream.name));
    const incremental = emit && sel.incremental && rk !== undefined;

    // Cursor: newest-first walks stop at it; whole-collection reads filter on it.
    let cursor: string | undefined;
    let resume: ResumePoint | undefined;
    if (incremental) {
      if (ctx.archived || ctx.fullWalk) cursor = this.options.startDate; // an archived project's walk is all-or-nothing
      else if (p.newestFirst) {
        cursor = this.bookmarks.cursor(stream.name, rk, p.cursorKey);
        resume = this.bookmarks.resumePoint(stream.name, p.cursorKey);
      } else cursor = this.bookmarks.cursor(stream.name, rk);
    }
    const cursorMs = cursor ? ms(cursor) : undefined;
    // A walk whose records lead to full-table reads (groups of every list) goes past its cursor:
    // older records are not written again, but every one of them is fanned out.
    const listedHere = this.plan.listedBy(stream.name);
    const passCursor = p.newestFirst && this.plan.passesCursor(stream, ctx);

    // Collections without children to read can be revalidated with the ETag of the last run.
    const leaf = !this.plan.hasChildrenToRead(stream, ctx);
    const etagPath = p.path && leaf && emit && !rk && !p.root ? p.path : undefined;
    // A walk cut short picks up at the page it was reading, unless its records lead to other
    // reads (pages it skips would not be fanned out).
    const resumeAt: ResumeAt<Json> | undefined =
      resume?.page && rk && leaf ? { url: resume.page, accept: (first) => typeof first?.[rk] === 'string' && ms(first[rk]) >= ms(resume.reached) } : undefined;
    const collection =
      p.path && !this.isSingle(stream, p.path, p.shown) ? this.client.collection<Json>(p.path, etagPath ? this.bookmarks.etag(etagPath) : undefined, resumeAt, stream.onlyGrows) : undefined;
    const source: AsyncIterable<Json> | Iterable<Json> =
      p.embedded ?? collection ?? [await this.client.getJson<Json>(p.path!)];

    let newest: string | undefined;
    let newestMs: number | undefined;
    let seen = 0;
    let items = 0;
    // Where a newest-first walk is, so a stop can record it (see interrupt()).
    const progress: WalkProgress | undefined =
      incremental && p.newestFirst && !ctx.archived ? { stream: stream.name, key: p.cursorKey, resume } : undefined;
    if (progress) this.walking.add(progress);
    if (collection) this.reading.add(collection);
    /**
     * One listed record: written (unless filtered) and fanned out; `from` is the walk it came
     * from (its position is a resume point), undefined for a top-up read. 'stop': the run is
     * stopping; 'end': past the cursor.
     */
    const take = async (raw: Json, from: Collection<Json> | undefined): Promise<'stop' | 'end' | 'next'> => {
      if (this.stopping || this.failure) return 'stop';
      if (raw === null || typeof raw !== 'object') return 'next';
      if (p.listed) raw = withListed(p.listed, raw);
      items++;
      const value = rk ? stream.changedAt(raw, rk) : undefined;
      const at = value ? ms(value) : undefined;
      const below = cursorMs !== undefined && at !== undefined && at < cursorMs;
      if (p.newestFirst && below && !passCursor) return 'end';
      if (at !== undefined && (newestMs === undefined || at > newestMs)) {
        newest = value!;
        newestMs = at;
      }
      // A walk record may belong to another stream (a group listed as a Todolist).
      const owner = p.walk && listedHere.length > 0 ? this.ownerOf(stream, raw) : stream;
      const incomplete = owner.incompleteWithout;
      if (incomplete && !p.shown && !(incomplete.field in raw) && this.plan.readsEmbedded(owner, incomplete.field, ctx)) {
        // An older payload without the field: the record's own endpoint has it; write that instead.
        this.spawn({ stream: owner, path: incomplete.show(raw), ctx, depth: p.depth, root: false, newestFirst: false, shown: true, listed: listOnlyPart(owner, raw) }, node);
        return 'next';
      }
      // Written, subtree and all, by the run this one resumes (in an active project: an archived
      // project's walk is remembered whole, in archived_projects).
      if (owner.rememberSubtrees && !ctx.archived && this.bookmarks.doneBefore(owner.name, raw.id) === raw.updated_at) {
        if (owner.opensProject) (owner.projectStatus(raw) === 'trashed' ? this.trashedProjects : this.walkedProjects).add(raw.id);
        return 'next';
      }
      const record = this.prepare(owner, raw, ctx, p.foundIn);
      const once = p.shown ? undefined : this.writtenOnce.get(owner.name);
      if (owner.show && !p.shown) {
        if (once) {
          const key = owner.keyProperties.map((k) => String(record[k])).join('/');
          if (once.has(key)) return 'next';
          once.add(key);
        }
        // A project no earlier feed run walked is new to the replica, however old it is.
        const unknown = owner.opensProject && this.plan.feedRun && !this.bookmarks.feedKnows(record.id, owner.projectStatus(record) === 'trashed');
        if (below && !unknown && !this.plan.readsAnyEmbedded(owner, ctx)) {
          // Unchanged since the cursor: its show is not needed, but full-table children still are.
          this.fanOut(owner, record, ctx, p.depth, node);
          return 'next';
        }
        this.spawn({ stream: owner, path: owner.show(record, ctx.projectId), ctx, depth: p.depth, root: false, newestFirst: false, shown: true, force: unknown, listed: listOnlyPart(owner, record) }, node);
        return 'next';
      }
      if (once) {
        const key = owner.keyProperties.map((k) => String(record[k])).join('/');
        if (once.has(key)) return 'next'; // listed by another source this run: written and walked there
        once.add(key);
      }
      const ownerSel = owner === stream ? sel : this.selection.get(owner.name);
      const ownerEmits = owner === stream ? emit : ownerSel !== undefined && (!ctx.archived || ctx.archived.emit.has(owner.name));
      const wanted = p.force || (owner !== stream ? !this.plan.isIncremental(owner) || !below : !below);
      const alreadyWritten = resumeCovers(resume, at);
      if (ownerEmits && wanted && !alreadyWritten) {
        if (!this.schemasWritten) this.writeSchemas();
        this.writer.record(owner.name, record, ownerSel!.fields, owner.omit, ownerSel!.drop);
        if (this.writer.blocked) await this.writer.drain(); // a slow target slows our reads, not our memory
      }
      if (progress && value && from?.settled) {
        progress.newest = newest;
        progress.reached = value;
        progress.page = from.currentUrl;
      }
      this.fanOut(owner, record, ctx, p.depth, node, p.fromFeed);
      if (this.queue.size > QUEUE_HIGH) await this.throttle();
      if (progress && ++seen % CHECKPOINT_EVERY === 0) this.checkpointWalk(progress);
      return 'next';
    };

    try {
      for await (const raw of source) {
        const next = await take(raw, collection);
        if (next === 'stop') return false;
        if (next === 'end') break;
      }
      // A walk whose records lead to other reads reads its top again: a record that moved there
      // while the walk went on (a list edited after the walk passed it) is fanned out too.
      for (let pass = 0; p.walk && p.path && !leaf && pass < TOP_UP_PASSES; pass++) {
        const before = newestMs;
        const top = this.client.collection<Json>(p.path);
        for await (const raw of top) {
          const at = rk && typeof raw?.[rk] === 'string' ? ms(raw[rk]) : undefined;
          if (at === undefined || before === undefined || at <= before) break;
          if ((await take(raw, undefined)) === 'stop') return false;
        }
        if (newestMs === before) break;
      }
    } finally {
      if (progress) this.walking.delete(progress);
      if (collection) this.reading.delete(collection);
    }
    // An empty list answers 304 for the same request and nearly the same bytes as 200 with [], so
    // its ETag would only grow every STATE message: keep ETags of lists that hold records.
    if (etagPath && collection) this.bookmarks.setEtag(etagPath, collection.notModified || items > 0 ? collection.etag : undefined);

    // The cursor moves once this partition and everything it spawned is written.
    if (incremental && !ctx.archived) {
      const high = later(newest, resume?.newest);
      if (p.newestFirst) {
        node.then(() => {
          this.bookmarks.commit(stream.name, rk, high ?? cursor, p.cursorKey);
          this.flushState(p.root);
        });
      } else if (high) {
        this.endOfRunCursors.set(stream.name, later(this.endOfRunCursors.get(stream.name), high)!);
      }
    }
    return true;
  }

  /** The stream a walk record belongs to: a stream the walk may also list, or the walk's own. */
  private ownerOf(walk: Stream, record: Json): Stream {
    for (const s of this.plan.listedBy(walk.name)) {
      if (!s.alsoInWalk!.is(record)) continue;
      this.walkListed(s);
      return s;
    }
    return walk;
  }

  /** The walk listed a record of `stream`: its held per-parent reads are not needed, now or in later runs. */
  private walkListed(stream: Stream): void {
    const held = this.heldReads.get(stream.name)!;
    if (held.listed) return;
    held.listed = true;
    this.bookmarks.setWalkLists(stream.name);
    if (held.held.length > 0) this.log.info(`the recordings walk lists ${stream.name} records: ${held.held.length} per-parent reads not needed`, { stream: stream.name });
    for (const { node } of held.held.splice(0)) node.finish(true);
  }

  /** A walk partition finished: once all have, make the held reads the walks did not make unnecessary. */
  private walkEnded(walk: Stream): void {
    for (const s of this.plan.listedBy(walk.name)) {
      const held = this.heldReads.get(s.name)!;
      if (--held.walksLeft > 0 || held.listed) continue;
      for (const { p, node } of held.held.splice(0)) this.enqueue(p, node);
    }
  }

  private isSingle(stream: Stream, path: string, shown?: boolean): boolean {
    return stream.singleObject || shown === true || /\/\d+\.json$/.test(path);
  }

  /** Adds project_id (and any stream-specific parent ids) to a record. */
  private prepare(stream: Stream, record: Json, ctx: Context, foundIn?: FoundIn): Json {
    if (stream.projectScoped) {
      const projectId = ctx.projectId ?? record.bucket?.id;
      if (projectId !== undefined) record.project_id = projectId;
    }
    stream.decorate(record, foundIn);
    return record;
  }

  /** Spawns the child partitions one record leads to. */
  private fanOut(stream: Stream, record: Json, ctx: Context, depth: number, node: Node, embeddedOnly = false): void {
    const kids = this.plan.childrenOf(stream.name);
    if (kids.length === 0) return;
    if (embeddedOnly) return this.fanOutFromFeed(stream, record, ctx, depth, node, kids);
    let childCtx: Context = ctx;
    let parentNode = node;
    let projectNode: Node | undefined;
    let subtree: Node | undefined;
    if (stream.rememberSubtrees && !ctx.archived) {
      // Once the record and everything below it is written, a resumed run need not read it again.
      // Keep only the id and updated_at alive until the subtree is done, not the whole record.
      const { id, updated_at: updatedAt } = record as { id: number; updated_at: string };
      const seen = !stream.opensProject ? undefined : stream.projectStatus(record) === 'trashed' ? this.trashedProjects : this.walkedProjects;
      subtree = parentNode = new Node(node, (clean) => {
        if (!clean || this.stopping) return;
        seen?.add(id);
        this.bookmarks.markDoneThisRun(stream.name, id, updatedAt);
        this.flushState(false);
      });
    }
    if (stream.opensProject) {
      const status = stream.projectStatus(record);
      if (status === 'trashed') return subtree?.finish();
      childCtx = { projectId: record.id };
      if (this.plan.feedRun && !this.bookmarks.feedKnows(record.id, false)) childCtx.fullWalk = true;
      if (status === 'archived') {
        // No closure here may name `record`: V8 would keep it alive for every open subtree.
        const projectId = record.id as number;
        const plan = this.plan.archivedPlan(record, (name) => this.bookmarks.archivedWalk(name, projectId));
        if (plan.traverse.size === 0) return subtree?.finish();
        childCtx.archived = plan;
        // Remember the walk once the whole project is written, so an unchanged archived project is skipped next time.
        projectNode = parentNode = new Node(parentNode, (clean) => {
          if (!clean) return;
          for (const name of plan.emit) {
            if (this.byName.get(name)!.changesTouchProject) this.bookmarks.markArchivedWalk(name, plan.projectId, plan.updatedAt);
          }
          this.flushState(true);
        });
      }
    } else if (ctx.projectId === undefined) {
      const projectId = stream.childProjectId(record);
      if (projectId !== undefined) childCtx = { ...ctx, projectId };
    }
    for (const child of kids) {
      if (!this.plan.traverses(child, childCtx, stream.name)) continue;
      // Per-parent reads the recordings walk may make unnecessary (active projects only).
      const held = !childCtx.archived && child.alsoInWalk?.from === stream.name ? this.heldReads.get(child.name) : undefined;
      if (held?.listed) continue; // the walk lists them
      const base = { stream: child, ctx: childCtx, depth: depth + 1, root: false };
      this.spawnEmbedded(child, stream, record, childCtx, depth, parentNode);
      const fromFeed = stream.name in child.feedParents;
      const from = fromFeed ? child.feedParents : stream.name in child.fullWalkParents ? child.fullWalkParents : child.parents;
      const paths = from[stream.name]?.(record) ?? [];
      for (const path of paths) {
        for (const variant of child.variants) {
          const full = variant ? `${path}${path.includes('?') ? '&' : '?'}${variant}` : path;
          if ((fromFeed || child.oncePerRun) && !this.firstRead(child, full)) continue;
          const cursorKey = child.cursorPerParent ? partitionKey(record.id, variant) : undefined;
          const shown = child.show !== undefined && this.isSingle(child, full);
          // A record an event names changed, though perhaps only in what moves without its
          // updated_at (a commenter joins the subscribers): written whatever the cursor says.
          const named = fromFeed && this.isSingle(child, full);
          const partition: Partition = { ...base, path: full, newestFirst: child.newestFirst, cursorKey, ...(shown ? { shown } : {}), ...(fromFeed ? { fromFeed } : {}), ...(named ? { force: true } : {}) };
          if (held && held.walksLeft > 0) {
            // Held until the walk shows whether it lists these records itself.
            if (!this.failure && !this.stopping) held.held.push({ p: partition, node: new Node(parentNode) });
          } else this.spawn(partition, parentNode);
        }
      }
    }
    projectNode?.finish();
    subtree?.finish();
  }

  /**
   * A record the feed named leads only to what it embeds and to what the feed says changed with
   * it (a to-do's list and assignee), never to what it contains (a project's tools).
   */
  private fanOutFromFeed(stream: Stream, record: Json, ctx: Context, depth: number, node: Node, kids: Stream[]): void {
    const projectId = ctx.projectId ?? stream.childProjectId(record);
    const childCtx = projectId === ctx.projectId ? ctx : { ...ctx, projectId };
    for (const child of kids) {
      if (!this.plan.traverses(child, childCtx, stream.name)) continue;
      this.spawnEmbedded(child, stream, record, childCtx, depth, node);
      for (const path of child.feedParents[stream.name]?.(record) ?? []) {
        if (!this.firstRead(child, path)) continue;
        const shown = child.show !== undefined && this.isSingle(child, path);
        this.spawn({ stream: child, ctx: childCtx, depth: depth + 1, root: false, path, newestFirst: child.newestFirst, fromFeed: true, ...(shown ? { shown } : {}) }, node);
      }
    }
  }

  /** False when `path` was read for `child` already this run: several events name one record, several attachments one upload. */
  private firstRead(child: Stream, path: string): boolean {
    const key = `${child.name} ${path}`;
    if (this.readOnce.has(key)) return false;
    this.readOnce.add(key);
    return true;
  }

  /** Partitions of the records of `child` embedded in `record` (a show's comments, a list's to-dos). */
  private spawnEmbedded(child: Stream, stream: Stream, record: Json, ctx: Context, depth: number, node: Node): void {
    for (const { stream: from, field } of child.embeddedIn) {
      if (from !== stream.name) continue;
      const embedded = field.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Json)[key] : undefined), record);
      // Only the id of the record they were found in: the closure must not keep the record alive.
      if (Array.isArray(embedded) && embedded.length > 0) {
        this.spawn({ stream: child, ctx, depth: depth + 1, root: false, embedded, newestFirst: false, foundIn: { stream: stream.name, record: { id: record.id } } }, node);
      }
    }
  }

  /**
   * Waits for the queue to drain below QUEUE_LOW. At least one slot always keeps working (a
   * producer does not wait when all the others already do), so waiting can never deadlock.
   */
  private async throttle(): Promise<void> {
    if (this.producersWaiting >= this.options.maxConcurrency - 1) return;
    this.producersWaiting++;
    try {
      while (this.queue.size > QUEUE_LOW && !this.stopping && !this.failure) {
        await new Promise<void>((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      this.producersWaiting--;
    }
  }

  /**
   * Records that a newest-first walk has written everything in (reached, newest], so a killed
   * run resumes without writing those again. A walk resumed from an earlier point extends that
   * window once it has walked into it; until then the earlier window stands.
   */
  private checkpointWalk(w: WalkProgress): void {
    if (w.newest === undefined || w.reached === undefined) return;
    const next = advanceResume(w.resume, { newest: w.newest, reached: w.reached, ...(w.page ? { page: w.page } : {}) });
    if (!next) return;
    this.bookmarks.setResumePoint(w.stream, next, w.key);
    this.flushState(false);
  }

  /**
   * Writes STATE if bookmarks changed: when forced (a root partition or an archived project is
   * done), else once every CHECKPOINT_EVERY records. Driven by counts, not clocks, so a sequential
   * run prints the same messages every time. Checkpoints carry the bookmarks; the `final` STATE
   * (the run ends, fails or stops) adds the ETags, so a killed run costs the next one some bodies,
   * never a record.
   */
  private flushState(force: boolean, final = false): void {
    if (!this.schemasWritten) this.writeSchemas();
    const written = this.writer.total;
    const facts = { force, final, changed: this.bookmarks.version !== this.lastStateVersion, recordsSince: written - this.recordsAtLastState, lastBytes: this.writer.lastStateLength };
    if (!checkpointDue(facts)) return;
    this.recordsAtLastState = written;
    this.lastStateVersion = this.bookmarks.version;
    this.writer.state(this.bookmarks.value(final));
  }
}
