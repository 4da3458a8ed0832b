/**
 * The sync engine: runs jobs (one collection at one path, src/sync/job.ts) through the client,
 * writes RECORDs, spawns the jobs each record leads to, and commits bookmarks only when
 * everything a cursor covers has been written. It decides nothing: how a job is read (jobPlan),
 * what is done with each record (decideRecord) and which jobs a record leads to (childJobs) are
 * values computed by src/sync/, and what only one product reads by its strategy (src/products/).
 *
 * Jobs run in a queue of `max_concurrency` slots. A job never waits for its children (so slots
 * cannot deadlock); completion is tracked by a tree of Nodes instead, and a cursor is committed
 * when its job's Node, children included, is done.
 */
import { BasecampClient, Collection } from './client';
import { StreamSelection, selectedSchema } from './catalog';
import { ApiError, Interrupted, accountError } from './errors';
import { Logger } from './log';
import { StreamActivity } from './progress';
import { SingerWriter } from './messages';
import { BookmarkManager, CHECKPOINT_EVERY, advanceResume, checkpointDue, later, ms } from './state';
import { ArchivedPlan, Context, ReadPlan } from './plan';
import { PRODUCTS, Product } from './products';
import { Json, Stream } from './streams/stream';
import { ChildRules, ScopeRules, SubtreeMark, fanOut } from './sync/children';
import { HeldReads } from './sync/held';
import { Job } from './sync/job';
import { JobRead, ReadSources, WalkProgress } from './sync/job-read';
import { Node } from './sync/node';
import { JobQueue } from './sync/queue';
import { RecordAction, leadsToFollowers, showJob, withListed } from './sync/record';
import { RunFacts, Strategy, TREE } from './sync/strategy';
import { FullTableVersions } from './versions';
import { gates } from './sync/refresh';
import { RunSignals } from './sync/signals';
import { derivedBySource, unfedDerived } from './sync/derived';

export interface EngineOptions {
  maxConcurrency: number;
  startDate?: string;
  /** activate_version on a stateless run: told of skipped jobs, activates at a completed end. */
  versions?: FullTableVersions;
  /** full_refresh_hours: the window within which what no change signal names is re-read; 0 or unset: every run. */
  fullRefreshHours?: number;
}

export class SyncEngine {
  private readonly plan: ReadPlan;
  private readonly queue: JobQueue;
  private failure?: Error;
  private schemasWritten = false;
  private stopping?: NodeJS.Signals;
  private finished!: () => void;
  private recordsAtLastState = 0;
  private lastStateVersion = -1;
  /** Stream-wide cursors of client-filtered streams, committed when the run completes. */
  private readonly endOfRunCursors = new Map<string, string>();
  /** Streams whose "not served there" 404 was said this run. */
  private readonly notServedSaid = new Set<string>();
  private readonly held: HeldReads;
  /** Keys written this run, for streams two sources can both list. */
  private readonly writtenOnce = new Map<string, Set<string>>();
  /** Newest-first walks under way. */
  private readonly walking = new Set<WalkProgress>();
  /** Jobs queued so far, and finished: how far the walk is (see progress()). */
  private partitionsKnown = 0;
  private partitionsDone = 0;
  /** Collections being read, for what their lists still hold (progress). */
  private readonly reading = new Set<Collection<Json>>();
  /** Which streams are being read now, and since when (progress lines, sync_duration metrics). */
  readonly activity = new StreamActivity();
  private readonly streams: readonly Stream[];
  private readonly byName: ReadonlyMap<string, Stream>;
  /** Paths read this run by read-once jobs (several events name one record). */
  private readonly readOnce = new Set<string>();
  /** Projects (not trashed) whose subtree this run, or the one it resumes, wrote whole. */
  private readonly walkedProjects = new Set<number>();
  /** Projects seen trashed (written, nothing below them walked). */
  private readonly trashedProjects = new Set<number>();
  /** What the product reads beyond the declared tree (its recordings walks, its change feed). */
  private readonly strategy: Strategy;
  private readonly runFacts: RunFacts;
  private readonly sources: ReadSources;
  /** What says something below a project changed, and the reads held until it is known. */
  private readonly signals: RunSignals;
  /** Source stream -> the selected streams derived from its written records (attachments). */
  private readonly derived: ReadonlyMap<string, Stream[]>;
  private readonly rules: ChildRules & ScopeRules = {
    walkLists: (name) => this.held.listed(name),
    newToReplica: (projectId) => this.strategy.newToReplica(this.plan, this.bookmarks, projectId, false),
    projectRead: (project) => this.signals.projectRead(project),
    archivedPlan: (project, read) => this.plan.archivedPlan(project, (name) => this.bookmarks.archivedWalk(name, project.id as number), read),
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
    const gated = this.strategy.followsSignals() && gates({ hours: options.fullRefreshHours ?? 0, since: bookmarks.refreshSince(), now: '' });
    this.plan = new ReadPlan(this.streams, selection, this.strategy.readsChanges(this.runFacts), gated);
    this.signals = new RunSignals(this.plan, this.streams, bookmarks, options.fullRefreshHours ?? 0, (job, node) => this.enqueue(job, node));
    this.held = new HeldReads(
      this.plan,
      this.streams,
      (name) => bookmarks.walkLists(name),
      (job, node) => this.released(job, node),
      (name, dropped) => {
        this.bookmarks.setWalkLists(name); // not needed now or in later runs
        if (dropped > 0) this.log.info(`the recordings walk lists ${name} records: ${dropped} per-parent reads not needed`, { stream: name });
      },
    );
    for (const stream of this.streams) if (stream.oncePerRun) this.writtenOnce.set(stream.name, new Set());
    this.sources = { plan: this.plan, selection, bookmarks, startDate: options.startDate, writtenOnce: this.writtenOnce };
    this.queue = new JobQueue(options.maxConcurrency, () => this.stopping !== undefined || this.failure !== undefined);
    const selected = (name: string) => selection.has(name);
    this.derived = derivedBySource(this.streams, selected);
    for (const d of unfedDerived(this.streams, selected)) {
      log.warn(`${d.name} follows the records of ${d.derived!.from.join(', ')}; none of them is selected, so it gets no record`, { stream: d.name });
    }
  }

  /** Syncs every selected stream; resolves when done, rejects on the first fatal error. */
  async run(): Promise<void> {
    // No cursor passes the run's start, on this machine's clock or Basecamp's, whichever is earlier.
    this.bookmarks.setSignpost(new Date().toISOString());
    this.client.onServerStart = (at) => this.bookmarks.setSignpost(at);
    if (this.client.serverStart) this.bookmarks.setSignpost(this.client.serverStart);
    // A run that re-reads nothing on a window (full_refresh_hours 0) needs no hints.
    await this.signals.readFeed(
      this.strategy,
      this.client,
      this.log,
      (name) => this.selection.has(name),
      (s, r) => this.write(s, r),
    );
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    const root = new Node(undefined, () => this.finished());
    for (const stream of this.streams) {
      if (!this.plan.readsActive(stream)) continue;
      for (const job of this.strategy.rootJobs(stream, this.plan, this.runFacts)) {
        if (job.walk) this.held.walkQueued(stream);
        if (this.signals.decides(job)) this.signals.follows.listQueued();
        if (job.walk) this.signals.moves.walkQueued(stream.name);
        this.spawn(job, root, job.walk ? () => this.signals.moves.walkDone(stream.name) : undefined);
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
    if (!this.stopping) this.complete();
    this.flushState(true, true);
    if (this.stopping) throw new Interrupted(this.stopping);
  }

  /** The run wrote everything: what the next run goes on from. */
  private complete(): void {
    for (const [name, value] of this.endOfRunCursors) this.bookmarks.commit(name, this.byName.get(name)!.replicationKey!, value);
    // The next run reads the feed from this one's start; the projects it walked need no walk again.
    const covered = this.strategy.feedCovers(this.runFacts);
    if (covered) this.bookmarks.completeFeed(this.walkedProjects, this.trashedProjects, covered);
    this.bookmarks.endRun();
    if (this.strategy.followsSignals()) this.bookmarks.completeRefresh();
    // Only now has everything the event feed named been written.
    this.bookmarks.setEventsRead(this.signals.hints?.bookmark);
    this.options.versions?.activate(this.writer);
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
      this.writer.schema(
        name,
        selectedSchema(stream, sel.fields, sel.drop),
        stream.keyProperties,
        sel.incremental && stream.replicationKey ? [stream.replicationKey] : [],
      );
    }
  }

  /** How far the run is: jobs done of those known (held reads count once released). */
  progress(): { partitionsDone: number; partitionsKnown: number; pagesLeft: number } {
    let pagesLeft = 0;
    // Basecamp's pages hold up to 100 records past the first few (15, 30, 50).
    for (const c of this.reading) if (c.total !== undefined) pagesLeft += Math.ceil(Math.max(0, c.total - c.itemsRead) / 100);
    return { partitionsDone: this.partitionsDone, partitionsKnown: this.partitionsKnown, pagesLeft };
  }

  /** SIGINT/SIGTERM: start nothing new, let jobs stop at their next record, finish with a STATE. */
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
    this.queue.add(() => this.runJob(job, node), job.priority ?? job.depth).catch((err: unknown) => this.fail(err as Error));
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
    this.activity.start(job.stream.name);
    try {
      await this.readJob(job, node);
    } finally {
      this.activity.end(job.stream.name);
      this.partitionsDone++;
      if (job.walk) this.held.walkEnded(job.stream);
      if (job.root && this.signals.decides(job)) this.signals.follows.listEnded();
    }
  }

  private async readJob(job: Job, node: Node): Promise<void> {
    try {
      // A read cut short by a stop leaves its node open: nothing it covers may be committed.
      if (await this.read(job, node)) node.finish(true);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'not_found' && !job.root && job.stream.notFoundIsEmpty) {
        this.notServed(job.stream.name, err.path);
        node.finish(true);
        return;
      }
      if (err instanceof ApiError && (err.kind === 'not_found' || err.kind === 'forbidden')) {
        if (job.root && !job.stream.mayBeForbidden.includes(job.path ?? '')) throw accountError(this.client.accountId, err)!;
        this.log.warn(`skipping ${job.stream.name} at ${err.path}: HTTP ${err.status} (deleted, or not readable with this token)`, { stream: job.stream.name });
        this.options.versions?.skipped(job.stream.name);
        node.finish(false);
        return;
      }
      throw err;
    }
  }

  /** A collection Basecamp does not serve at this path (Stream.notFoundIsEmpty): said once a run per stream. */
  private notServed(stream: string, path: string): void {
    if (this.notServedSaid.has(stream)) return;
    this.notServedSaid.add(stream);
    this.log.info(`${stream}: ${path} answered 404; Basecamp does not serve it there, so such collections are read as empty`, { stream });
  }

  /** Reads one job: its records, its cursor, its children. False when cut short by a stop. */
  private async read(job: Job, node: Node): Promise<boolean> {
    const r = new JobRead(job, node, this.sources);
    const collection = r.collection(this.client);
    const source: AsyncIterable<Json> | Iterable<Json> = job.embedded ?? collection ?? [await this.client.getJson<Json>(job.path!)];
    // Where a newest-first walk is, so a stop can record it (see interrupt()).
    if (r.progress) this.walking.add(r.progress);
    if (collection) this.reading.add(collection);
    try {
      if (!(await this.readAll(r, source, collection))) return false;
    } finally {
      if (r.progress) this.walking.delete(r.progress);
      if (collection) this.reading.delete(collection);
    }
    // An empty list answers 304 for the same request and nearly the same bytes as 200 with [], so
    // its ETag would only grow every STATE message: keep ETags of lists that hold records.
    if (r.etagPath && collection) this.bookmarks.setEtag(r.etagPath, collection.notModified || r.items > 0 ? collection.etag : undefined);
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
    for (let pass = 0; pass < r.plan.topUpPasses; pass++) {
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
        for (const name of r.cursorStreams) this.bookmarks.commit(name, stream.replicationKey!, high ?? plan.cursor, job.cursorKey);
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
    if (r.job.listed) raw = withListed(r.job.listed, raw);
    r.items++;
    if (r.position(raw)) return 'end';
    const { job } = r;
    const owner = this.ownerOf(r, raw);
    const action = r.decide(owner, raw);
    if (action !== 'write' && action !== 'pass') {
      this.sideStep(action, r, owner, raw);
      return 'next';
    }
    const followers = leadsToFollowers(action, r.facts);
    if (action === 'write') await this.writeListed(r, owner, raw);
    r.walkedTo(from);
    this.fanOut(owner, raw, job.ctx, job.depth, r.node, job.fromFeed === true, followers);
    if (this.queue.full) await this.queue.throttle();
    if (r.progress && ++r.seen % CHECKPOINT_EVERY === 0) this.checkpointWalk(r.progress);
    return 'next';
  }

  /** Writes a listed record, notes what its change says, and reads again the parent whose counts it moved. */
  private async writeListed(r: JobRead, owner: Stream, raw: Json): Promise<void> {
    await this.write(owner, raw);
    if (r.job.walk) this.signals.walked(owner, raw);
    const parent = this.signals.parentRead(owner, raw, r.job, this.client.accountBase, (name) => this.selection.has(name));
    if (parent) this.spawnAll([parent], r.node);
  }

  /** Whose record it is: a walk record may belong to another stream (a group listed as a Todolist), and so may a parent shown. */
  private ownerOf(r: JobRead, raw: Json): Stream {
    if (r.listsOthers) return this.held.ownerOf(r.job.stream, raw);
    return r.job.routed ? this.held.typeOwner(r.job.stream, raw) : r.job.stream;
  }

  /** Writes one record of `stream` as its selection asks (fields kept, nested fields dropped). */
  private async write(stream: Stream, record: Json): Promise<void> {
    if (!this.schemasWritten) this.writeSchemas();
    const sel = this.selection.get(stream.name)!;
    this.signals.wrote(stream, record);
    this.writer.record(stream.name, record, sel.fields, stream.omit, sel.drop);
    this.writeDerived(stream, record);
    if (this.writer.blocked) await this.writer.drain(); // a slow target slows our reads, not our memory
  }

  /** The records of derived streams (attachments) that a written record gives, right after it. */
  private writeDerived(stream: Stream, record: Json): void {
    for (const d of this.derived.get(stream.name) ?? []) {
      const sel = this.selection.get(d.name)!;
      for (const derived of d.derived!.records(record)) this.writer.record(d.name, derived, sel.fields, d.omit, sel.drop);
    }
  }

  /** Carries out a decision that writes nothing here: a read of the record's own endpoint, a skip, a fan-out. */
  private sideStep(action: RecordAction, r: JobRead, owner: Stream, record: Json): void {
    const { ctx, depth } = r.job;
    if (action === 'read-incomplete') {
      // An older payload without the field: the record's own endpoint has it; write that instead.
      this.spawn(showJob(owner, record, owner.incompleteWithout!.show(record), ctx, depth), r.node);
    } else if (action === 'done-before') {
      // Written, subtree and all, by the run this one resumes.
      if (owner.opensProject) (owner.projectStatus(record) === 'trashed' ? this.trashedProjects : this.walkedProjects).add(record.id);
    } else if (action === 'read-show') {
      this.spawn(showJob(owner, record, owner.show!(record, ctx.projectId), ctx, depth, r.facts.newToReplica), r.node);
    } else if (action === 'fan-out') {
      this.fanOut(owner, record, ctx, depth, r.node, false, false);
    }
  }

  /**
   * Spawns the jobs one record leads to (see fanOut); `named`: a record a change feed named;
   * `written`: new or changed as far as its cursor goes (what follows its writes is read).
   */
  private fanOut(stream: Stream, record: Json, ctx: Context, depth: number, node: Node, named: boolean, written: boolean): void {
    const out = fanOut(this.plan, stream, record, ctx, depth, named, this.rules, written);
    const subtree = out.subtree ? this.subtreeNode(out.subtree, node) : undefined;
    const project = out.archived ? this.archivedNode(out.archived, subtree ?? node) : undefined;
    this.spawnAll(out.jobs, project ?? subtree ?? node);
    project?.finish();
    subtree?.finish();
  }

  /** Once the record and everything below it is written, a resumed run need not read it again. */
  private subtreeNode(mark: SubtreeMark, node: Node): Node {
    return new Node(node, (clean) => {
      if (!clean || this.stopping) return;
      if (mark.project) (mark.project === 'trashed' ? this.trashedProjects : this.walkedProjects).add(mark.id);
      this.bookmarks.markDoneThisRun(mark.stream, mark.id, mark.updatedAt);
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
      if (this.failure || this.stopping) return;
      if (this.held.hold(job, node) || this.signals.follows.hold(job, node) || this.signals.moves.hold(job, node)) continue;
      if (this.signals.follows.wanted(job) && this.signals.moves.wanted(job)) this.spawn(job, node);
    }
  }

  /** A read a walk held is released: it may still wait for the walks that say whether its parent's move is accounted for. */
  private released(job: Job, node: Node): void {
    if (this.signals.moves.hold(job, node, true)) return;
    if (this.signals.moves.wanted(job)) this.enqueue(job, node);
    else node.finish(true);
  }

  /** False when `path` was read for `child` already this run: several events name one record, several attachments one upload. */
  private firstRead(child: Stream, path: string): boolean {
    const key = `${child.name} ${path}`;
    if (this.readOnce.has(key)) return false;
    this.readOnce.add(key);
    return true;
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
   * Writes STATE if bookmarks changed: when forced (a root job or an archived project is
   * done), else once every CHECKPOINT_EVERY records. Driven by counts, not clocks, so a sequential
   * run prints the same messages every time. Checkpoints carry the bookmarks; the `final` STATE
   * (the run ends, fails or stops) adds the ETags, so a killed run costs the next one some bodies,
   * never a record.
   */
  private flushState(force: boolean, final = false): void {
    if (!this.schemasWritten) this.writeSchemas();
    const written = this.writer.total;
    const facts = {
      force,
      final,
      changed: this.bookmarks.version !== this.lastStateVersion,
      recordsSince: written - this.recordsAtLastState,
      lastBytes: this.writer.lastStateLength,
    };
    if (!checkpointDue(facts)) return;
    this.recordsAtLastState = written;
    this.lastStateVersion = this.bookmarks.version;
    this.writer.state(this.bookmarks.value(final));
  }
}
