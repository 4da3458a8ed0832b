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
import { SingerWriter } from './messages';
import { BookmarkManager, CHECKPOINT_EVERY, ResumePoint, advanceResume, checkpointDue, later, ms, resumeCovers } from './state';
import { ArchivedPlan, Context, ReadPlan } from './plan';
import { PRODUCTS, Product } from './products';
import { FoundIn, Json, Stream } from './streams/stream';
import { ChildRules, ScopeRules, childJobs, childScope, isSingle, namedChildJobs } from './sync/children';
import { CursorSource, Job, JobFacts, JobPlan, jobPlan } from './sync/job';
import { Node } from './sync/node';
import { RecordAction, RecordFacts, decideRecord, endsWalk, marksSeen, recordFacts } from './sync/record';
import { RunFacts, Strategy, TREE } from './sync/strategy';


/** How far a newest-first walk has written: its newest record, the last one written and its page. */
interface WalkProgress {
  stream: string;
  key?: string;
  resume?: ResumePoint;
  newest?: string;
  reached?: string;
  page?: string;
}

/** Per-parent reads of a stream a walk may list too (Strategy.holds), held until that walk decides them. */
interface HeldReads {
  /** The walk listed a record of this stream: the per-parent reads are not needed. */
  listed: boolean;
  /** Walk jobs still reading. */
  walksLeft: number;
  held: Array<{ job: Job; node: Node }>;
}

/** One job being read: its plan, and how far its records went. */
interface JobRead {
  job: Job;
  node: Node;
  plan: JobPlan;
  /** The job's stream is written in its context. */
  writes: boolean;
  cursorMs?: number;
  /** Streams whose records this walk may list too. */
  listedHere: readonly Stream[];
  /** One facts object for every record of the job (no allocation per record). */
  facts: RecordFacts;
  newest?: string;
  newestMs?: number;
  seen: number;
  items: number;
  progress?: WalkProgress;
}

/**
 * Backlog bounds: a partition that has queued this many child partitions waits until the
 * queue is down to QUEUE_LOW, so memory holds a bounded backlog, not one task per parent record.
 */
const QUEUE_HIGH = 1000;
const QUEUE_LOW = 500;

/** Times a walk with children reads its top again for records that moved there meanwhile. */
const TOP_UP_PASSES = 3;

export interface EngineOptions {
  maxConcurrency: number;
  startDate?: string;
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
  private readonly streams: readonly Stream[];
  private readonly byName: ReadonlyMap<string, Stream>;
  /** Paths read this run by feed-derived and read-once partitions (several events name one record). */
  private readonly readOnce = new Set<string>();
  /** Projects (not trashed) whose subtree this run, or the one it resumes, wrote whole. */
  private readonly walkedProjects = new Set<number>();
  /** Projects seen trashed (written, nothing below them walked). */
  private readonly trashedProjects = new Set<number>();
  /** What the product reads beyond the declared tree (its recordings walks, its change feed). */
  private readonly strategy: Strategy;
  private readonly runFacts: RunFacts;
  private readonly childRules: ChildRules = { walkLists: (name) => this.heldReads.get(name)?.listed === true };
  private readonly scopeRules: ScopeRules = {
    newToReplica: (projectId) => this.strategy.newToReplica(this.plan, this.bookmarks, projectId, false),
    archivedPlan: (project) => {
      const id = project.id as number;
      return this.plan.archivedPlan(project, (name) => this.bookmarks.archivedWalk(name, id));
    },
  };

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
    this.strategy = this.streams[0]?.strategy ?? TREE;
    this.runFacts = { streams: this.streams, selection, bookmarks, startDate: options.startDate };
    this.plan = new ReadPlan(this.streams, selection, this.strategy.readsChanges(this.runFacts));
    for (const stream of this.streams) {
      if (this.strategy.listedIn(stream)) this.heldReads.set(stream.name, { listed: this.bookmarks.walkLists(stream.name), walksLeft: 0, held: [] });
      if (stream.oncePerRun) this.writtenOnce.set(stream.name, new Set());
    }
    // p-queue inserts synchronously, so a sequential run (max_concurrency 1) is deterministic.
    this.queue = new PQueue({ concurrency: options.maxConcurrency });
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
      for (const job of this.strategy.rootJobs(stream, this.plan, this.runFacts)) {
        // Reads held for what a walk lists wait for every walk of it to end.
        if (job.walk) for (const s of this.plan.listedBy(stream.name)) this.heldReads.get(s.name)!.walksLeft++;
        this.spawn(job, root);
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
      const covered = this.strategy.feedCovers(this.runFacts);
      if (covered) this.bookmarks.completeFeed(this.walkedProjects, this.trashedProjects, covered);
      this.bookmarks.endRun();
    }
    this.flushState(true, true);
    for (const name of this.selection.keys()) {
      this.log.metric('info', 'counter', 'record_count', this.writer.counts.get(name) ?? 0, { endpoint: name });
    }
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
      this.writer.schema(name, selectedSchema(stream, sel.fields), stream.keyProperties, sel.incremental && stream.replicationKey ? [stream.replicationKey] : []);
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

  private spawn(job: Job, parent: Node, onDone?: (clean: boolean) => void): void {
    if (this.failure || this.stopping) return;
    this.enqueue(job, new Node(parent, onDone));
  }

  private enqueue(job: Job, node: Node): void {
    if (this.failure || this.stopping) return;
    this.partitionsKnown++;
    // Deeper jobs first: they finish subtrees (and release their cursors) sooner and keep the queue short.
    this.queue.add(() => this.runJob(job, node), { priority: job.priority ?? job.depth }).catch((err: unknown) => this.fail(err as Error));
  }

  private fail(err: Error): void {
    if (err instanceof Interrupted || this.stopping) return;
    if (this.failure) return;
    this.failure = err;
    this.client.stop('SIGTERM');
    this.finished?.();
  }

  private async runJob(job: Job, node: Node): Promise<void> {
    if (this.failure || this.stopping) return;
    try {
      await this.readJob(job, node);
    } finally {
      this.partitionsDone++;
      if (job.walk) this.walkEnded(job.stream);
    }
  }

  private async readJob(job: Job, node: Node): Promise<void> {
    try {
      // A read cut short by a stop leaves its node open: nothing it covers may be committed.
      if (await this.read(job, node)) node.finish(true);
    } catch (err) {
      if (err instanceof ApiError && (err.kind === 'not_found' || err.kind === 'forbidden')) {
        if (job.root && !job.stream.mayBeForbidden.includes(job.path ?? '')) throw accountError(this.client.accountId, err)!;
        this.log.warn(`skipping ${job.stream.name} at ${err.path}: HTTP ${err.status} (deleted, or not readable with this token)`);
        node.finish(false);
        return;
      }
      throw err;
    }
  }

  /** Whether `stream` is selected and written in this context (an archived project's walk may only pass through). */
  private writes(stream: Stream, ctx: Context): boolean {
    return this.selection.has(stream.name) && (!ctx.archived || ctx.archived.emit.has(stream.name));
  }

  /** The per-job decisions (see jobPlan), from the selection, the plan and the bookmarks. */
  private planJob(job: Job): { writes: boolean; plan: JobPlan } {
    const { stream, ctx } = job;
    const rk = stream.replicationKey;
    const writes = this.writes(stream, ctx);
    const facts: JobFacts = {
      writes,
      incremental: writes && this.selection.get(stream.name)!.incremental && rk !== undefined,
      archived: ctx.archived !== undefined,
      wholeProject: ctx.fullWalk === true,
      hasChildren: this.plan.hasChildrenToRead(stream, ctx),
      passesCursor: job.newestFirst && this.plan.passesCursor(stream, ctx),
      hasReplicationKey: rk !== undefined,
    };
    const cursors: CursorSource = {
      startDate: this.options.startDate,
      cursor: (key) => this.bookmarks.cursor(stream.name, rk!, key),
      resume: (key) => this.bookmarks.resumePoint(stream.name, key),
    };
    return { writes, plan: jobPlan(job, facts, cursors) };
  }

  /** Reads one job: its records, its cursor, its children. False when cut short by a stop. */
  private async read(job: Job, node: Node): Promise<boolean> {
    const { stream } = job;
    const rk = stream.replicationKey;
    const { writes, plan } = this.planJob(job);
    const { resume } = plan;
    const etagPath = plan.etag ? job.path : undefined;
    // A walk cut short picks up at the page it was reading.
    const resumeAt: ResumeAt<Json> | undefined = plan.resumeFromPage
      ? { url: resume!.page!, accept: (first) => typeof first?.[rk!] === 'string' && ms(first[rk!]) >= ms(resume!.reached) }
      : undefined;
    const collection =
      job.path && !isSingle(stream, job.path, job.shown) ? this.client.collection<Json>(job.path, etagPath ? this.bookmarks.etag(etagPath) : undefined, resumeAt, this.strategy.onlyGrows(stream)) : undefined;
    const source: AsyncIterable<Json> | Iterable<Json> = job.embedded ?? collection ?? [await this.client.getJson<Json>(job.path!)];
    const r: JobRead = { job, node, plan, writes, cursorMs: plan.cursor ? ms(plan.cursor) : undefined, listedHere: this.plan.listedBy(stream.name), facts: recordFacts(), seen: 0, items: 0 };
    // Where a newest-first walk is, so a stop can record it (see interrupt()).
    if (plan.trackWalk) this.walking.add((r.progress = { stream: stream.name, key: job.cursorKey, resume }));
    if (collection) this.reading.add(collection);
    try {
      if (!(await this.readAll(r, source, collection))) return false;
    } finally {
      if (r.progress) this.walking.delete(r.progress);
      if (collection) this.reading.delete(collection);
    }
    // An empty list answers 304 for the same request and nearly the same bytes as 200 with [], so
    // its ETag would only grow every STATE message: keep ETags of lists that hold records.
    if (etagPath && collection) this.bookmarks.setEtag(etagPath, collection.notModified || r.items > 0 ? collection.etag : undefined);
    this.commitWhenDone(r);
    return true;
  }

  /** Takes every record of the source, then tops a walk up. False when cut short by a stop. */
  private async readAll(r: JobRead, source: AsyncIterable<Json> | Iterable<Json>, from: Collection<Json> | undefined): Promise<boolean> {
    for await (const raw of source) {
      const next = await this.take(r, raw, from);
      if (next === 'stop') return false;
      if (next === 'end') break;
    }
    // A walk whose records lead to other reads reads its top again: a record that moved there
    // while the walk went on (a list edited after the walk passed it) is fanned out too.
    const rk = r.job.stream.replicationKey;
    for (let pass = 0; r.plan.topUp && pass < TOP_UP_PASSES; pass++) {
      const before = r.newestMs;
      for await (const raw of this.client.collection<Json>(r.job.path!)) {
        const at = rk && typeof raw?.[rk] === 'string' ? ms(raw[rk]) : undefined;
        if (at === undefined || before === undefined || at <= before) break;
        if ((await this.take(r, raw, undefined)) === 'stop') return false;
      }
      if (r.newestMs === before) break;
    }
    return true;
  }

  /** The cursor moves once this job and everything it spawned is written. */
  private commitWhenDone(r: JobRead): void {
    const { job, plan } = r;
    const { stream } = job;
    const high = later(r.newest, plan.resume?.newest);
    if (plan.commit === 'walk') {
      r.node.then(() => {
        this.bookmarks.commit(stream.name, stream.replicationKey!, high ?? plan.cursor, job.cursorKey);
        this.flushState(job.root);
      });
    } else if (plan.commit === 'end-of-run' && high) {
      this.endOfRunCursors.set(stream.name, later(this.endOfRunCursors.get(stream.name), high)!);
    }
  }

  /**
   * One listed record: `from` is the walk it came from (its position is a resume point),
   * undefined for a top-up read. 'stop': the run is stopping; 'end': past the cursor.
   */
  private async take(r: JobRead, raw: Json, from: Collection<Json> | undefined): Promise<'stop' | 'end' | 'next'> {
    if (this.stopping || this.failure) return 'stop';
    if (raw === null || typeof raw !== 'object') return 'next';
    r.items++;
    const { job } = r;
    const { stream } = job;
    const rk = stream.replicationKey;
    const value = rk ? stream.changedAt(raw, rk) : undefined;
    const at = value ? ms(value) : undefined;
    const below = r.cursorMs !== undefined && at !== undefined && at < r.cursorMs;
    if (endsWalk(r.plan.stopAtCursor, below)) return 'end';
    if (at !== undefined && (r.newestMs === undefined || at > r.newestMs)) {
      r.newest = value!;
      r.newestMs = at;
    }
    // A walk record may belong to another stream (a group listed as a Todolist).
    const owner = job.walk && r.listedHere.length > 0 ? this.ownerOf(stream, raw) : stream;
    const facts = this.recordFacts(r, owner, raw, below, at);
    const record = this.prepare(owner, raw, job.ctx, job.foundIn);
    const once = job.shown ? undefined : this.writtenOnce.get(owner.name);
    const key = once ? owner.keyProperties.map((k) => String(record[k])).join('/') : undefined;
    facts.duplicate = key !== undefined && once!.has(key);
    const action = decideRecord(facts);
    if (key !== undefined && marksSeen(action)) once!.add(key);
    if (action !== 'write' && action !== 'pass') {
      this.sideStep(action, r, owner, record);
      return 'next';
    }
    if (action === 'write') {
      if (!this.schemasWritten) this.writeSchemas();
      this.writer.record(owner.name, record, this.selection.get(owner.name)!.fields, owner.omit);
      if (this.writer.blocked) await this.writer.drain(); // a slow target slows our reads, not our memory
    }
    if (r.progress && value && from?.settled) {
      r.progress.newest = r.newest;
      r.progress.reached = value;
      r.progress.page = from.currentUrl;
    }
    this.fanOut(owner, record, job.ctx, job.depth, r.node, job.fromFeed);
    if (this.queue.size > QUEUE_HIGH) await this.throttle();
    if (r.progress && ++r.seen % CHECKPOINT_EVERY === 0) this.checkpointWalk(r.progress);
    return 'next';
  }

  /** The facts decideRecord needs (the job's one facts object, overwritten); `duplicate` is the caller's. */
  private recordFacts(r: JobRead, owner: Stream, raw: Json, below: boolean, at: number | undefined): RecordFacts {
    const { job } = r;
    const { ctx } = job;
    const f = r.facts;
    const incomplete = owner.incompleteWithout;
    f.below = below;
    f.shown = job.shown === true;
    f.force = job.force === true;
    f.missingField = incomplete !== undefined && !f.shown && !(incomplete.field in raw) && this.plan.readsEmbedded(owner, incomplete.field, ctx);
    f.doneBefore = owner.rememberSubtrees && !ctx.archived && this.bookmarks.doneBefore(owner.name, raw.id) === raw.updated_at;
    f.hasShow = owner.show !== undefined;
    f.newToReplica = f.hasShow && owner.opensProject && this.strategy.newToReplica(this.plan, this.bookmarks, raw.id, owner.projectStatus(raw) === 'trashed');
    f.readsEmbedded = f.hasShow && below && this.plan.readsAnyEmbedded(owner, ctx);
    f.ownedByOther = owner !== job.stream;
    f.ownerIncremental = f.ownedByOther && this.plan.isIncremental(owner);
    f.ownerWrites = f.ownedByOther ? this.writes(owner, ctx) : r.writes;
    f.resumed = resumeCovers(r.plan.resume, at);
    return f;
  }

  /** Carries out a decision that writes nothing here: a read of the record's own endpoint, a skip, a fan-out. */
  private sideStep(action: RecordAction, r: JobRead, owner: Stream, record: Json): void {
    const { ctx, depth } = r.job;
    if (action === 'read-incomplete') {
      // An older payload without the field: the record's own endpoint has it; write that instead.
      this.spawn({ stream: owner, path: owner.incompleteWithout!.show(record), ctx, depth, root: false, newestFirst: false, shown: true }, r.node);
    } else if (action === 'done-before') {
      // Written, subtree and all, by the run this one resumes.
      if (owner.opensProject) (owner.projectStatus(record) === 'trashed' ? this.trashedProjects : this.walkedProjects).add(record.id);
    } else if (action === 'read-show') {
      this.spawn({ stream: owner, path: owner.show!(record, ctx.projectId), ctx, depth, root: false, newestFirst: false, shown: true, force: r.facts.newToReplica }, r.node);
    } else if (action === 'fan-out') {
      this.fanOut(owner, record, ctx, depth, r.node);
    }
  }

  /** The stream a walk record belongs to: a stream the walk may also list, or the walk's own. */
  private ownerOf(walk: Stream, record: Json): Stream {
    for (const s of this.plan.listedBy(walk.name)) {
      if (!this.strategy.isListed(s, record)) continue;
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
    if (held.held.length > 0) this.log.info(`the recordings walk lists ${stream.name} records: ${held.held.length} per-parent reads not needed`);
    for (const { node } of held.held.splice(0)) node.finish(true);
  }

  /** A walk job finished: once all have, make the held reads the walks did not make unnecessary. */
  private walkEnded(walk: Stream): void {
    for (const s of this.plan.listedBy(walk.name)) {
      const held = this.heldReads.get(s.name)!;
      if (--held.walksLeft > 0 || held.listed) continue;
      for (const { job, node } of held.held.splice(0)) this.enqueue(job, node);
    }
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

  /** Spawns the jobs one record leads to (see childJobs); `named`: a record a change feed named. */
  private fanOut(stream: Stream, record: Json, ctx: Context, depth: number, node: Node, named = false): void {
    if (this.plan.childrenOf(stream.name).length === 0) return;
    if (named) return this.spawnAll(namedChildJobs(this.plan, stream, record, ctx, depth), node);
    const subtree = stream.rememberSubtrees && !ctx.archived ? this.subtreeNode(stream, record, node) : undefined;
    const scope = childScope(stream, record, ctx, this.scopeRules);
    if (!scope.ctx) return subtree?.finish();
    const below = subtree ?? node;
    const project = scope.archived ? this.archivedNode(scope.archived, below) : undefined;
    this.spawnAll(childJobs(this.plan, stream, record, scope.ctx, depth, this.childRules), project ?? below);
    project?.finish();
    subtree?.finish();
  }

  /** Once the record and everything below it is written, a resumed run need not read it again. */
  private subtreeNode(stream: Stream, record: Json, node: Node): Node {
    // Keep only the id and updated_at alive until the subtree is done, not the whole record.
    const { id, updated_at: updatedAt } = record as { id: number; updated_at: string };
    const seen = !stream.opensProject ? undefined : stream.projectStatus(record) === 'trashed' ? this.trashedProjects : this.walkedProjects;
    return new Node(node, (clean) => {
      if (!clean || this.stopping) return;
      seen?.add(id);
      this.bookmarks.markDoneThisRun(stream.name, id, updatedAt);
      this.flushState(false);
    });
  }

  /** Remembers an archived project's walk once the whole project is written, so an unchanged one is skipped next time. */
  private archivedNode(plan: ArchivedPlan, node: Node): Node {
    return new Node(node, (clean) => {
      if (!clean) return;
      for (const name of plan.emit) {
        if (this.strategy.remembersArchivedWalk(this.byName.get(name)!)) this.bookmarks.markArchivedWalk(name, plan.projectId, plan.updatedAt);
      }
      this.flushState(true);
    });
  }

  /** Runs child jobs: each read-once path once a run, held reads held until their walk decides. */
  private spawnAll(jobs: readonly Job[], node: Node): void {
    for (const job of jobs) {
      if (job.once && !this.firstRead(job.stream, job.path!)) continue;
      const held = job.heldFor !== undefined ? this.heldReads.get(job.heldFor) : undefined;
      if (held && held.walksLeft > 0) {
        // Held until the walk shows whether it lists these records itself.
        if (!this.failure && !this.stopping) held.held.push({ job, node: new Node(node) });
      } else this.spawn(job, node);
    }
  }

  /** False when `path` was read for `child` already this run: several events name one record, several attachments one upload. */
  private firstRead(child: Stream, path: string): boolean {
    const key = `${child.name} ${path}`;
    if (this.readOnce.has(key)) return false;
    this.readOnce.add(key);
    return true;
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
