/**
 * Where the read of one job stands: its plan, its newest record, how far its walk has written,
 * and the facts of the record being taken (one facts object a job, overwritten per record).
 * Bookkeeping only: it awaits nothing, spawns nothing, writes and commits nothing.
 */
import type { ReadPlan, Selection } from '../plan';
import { BookmarkManager, ResumePoint, ms, resumeCovers } from '../state';
import type { Json, Stream } from '../streams/stream';
import type { BasecampClient, Collection, ResumeAt } from '../client';
import { isSingle } from './children';
import { Job, JobPlan, jobFacts, jobPlan, writesIn } from './job';
import type { Node } from './node';
import { RecordAction, decideRecord, endsWalk, marksSeen, prepare, recordFacts } from './record';

/** How far a newest-first walk has written: its newest record, the last one written and its page. */
export interface WalkProgress {
  stream: string;
  key?: string;
  resume?: ResumePoint;
  newest?: string;
  reached?: string;
  page?: string;
}

/** What a job's plan and its records' facts are read from (the run's, read-only but for `writtenOnce`). */
export interface ReadSources {
  readonly plan: ReadPlan;
  readonly selection: Selection;
  readonly bookmarks: BookmarkManager;
  readonly startDate?: string;
  /** Keys seen this run, for streams two sources can both list. */
  readonly writtenOnce: ReadonlyMap<string, Set<string>>;
}

/** The earliest cursor; none when one of them is none (that stream is read from the start). */
export function earliest(cursors: ReadonlyArray<string | undefined>): string | undefined {
  if (cursors.some((c) => c === undefined)) return undefined;
  return cursors.reduce<string | undefined>((min, c) => (min === undefined || ms(c!) < ms(min) ? c : min), undefined);
}

export class JobRead {
  readonly plan: JobPlan;
  /** The job's stream is written in its context. */
  readonly writes: boolean;
  /** One facts object for every record of the job (no allocation per record). */
  readonly facts = recordFacts();
  private readonly cursorMs?: number;
  /** The streams whose cursors it reads from and commits to (JobFacts.cursorStreams). */
  readonly cursorStreams: readonly string[];
  /** A walk that may list records of other streams too (see HeldReads.ownerOf). */
  readonly listsOthers: boolean;
  /** The path whose ETag is kept (and, where the plan says so, sent): a full-table list (see JobPlan.keepEtag). */
  readonly etagPath?: string;
  /** Where a newest-first walk is, so a stop can record it. */
  readonly progress?: WalkProgress;
  /** The record being taken: its replication key's value, and in ms. */
  value?: string;
  at?: number;
  newest?: string;
  newestMs?: number;
  seen = 0;
  items = 0;

  constructor(
    readonly job: Job,
    readonly node: Node,
    private readonly src: ReadSources,
  ) {
    const { stream } = job;
    const facts = jobFacts(job, src.plan, src.selection);
    this.writes = facts.writes;
    this.cursorStreams = facts.cursorStreams;
    this.plan = jobPlan(job, facts, {
      startDate: src.startDate,
      cursor: (key) => earliest(facts.cursorStreams.map((name) => src.bookmarks.cursor(name, stream.replicationKey!, key))),
      resume: (key) => src.bookmarks.resumePoint(stream.name, key),
    });
    this.cursorMs = this.plan.cursor ? ms(this.plan.cursor) : undefined;
    this.listsOthers = job.walk === true && src.plan.listedBy(stream.name).length > 0;
    if (this.plan.keepEtag) this.etagPath = job.path;
    if (this.plan.trackWalk) this.progress = { stream: stream.name, key: job.cursorKey, resume: this.plan.resume };
  }

  /** The list the job reads; undefined for records embedded in the parent, or one object. */
  collection(client: BasecampClient): Collection<Json> | undefined {
    const { stream, path } = this.job;
    if (!path || isSingle(stream, path, this.job.shown)) return undefined;
    const etag = this.etagPath && this.plan.etag ? this.src.bookmarks.etag(this.etagPath) : undefined;
    return client.collection<Json>(path, etag, this.resumeAt(), this.src.plan.strategy.onlyGrows(stream));
  }

  /** A walk cut short picks up at the page it was reading, if that page still starts in its window. */
  private resumeAt(): ResumeAt<Json> | undefined {
    const { resume } = this.plan;
    if (!this.plan.resumeFromPage || !resume?.page) return undefined;
    const rk = this.job.stream.replicationKey!;
    const reached = ms(resume.reached);
    return { url: resume.page, accept: (first) => typeof first?.[rk] === 'string' && ms(first[rk]) >= reached };
  }

  /** Where the record stands against the cursor; true when the walk ends at it. */
  position(raw: Json): boolean {
    const { stream } = this.job;
    const value = stream.replicationKey ? stream.changedAt(raw, stream.replicationKey) : undefined;
    const at = value ? ms(value) : undefined;
    this.value = value;
    this.at = at;
    this.facts.below = this.cursorMs !== undefined && at !== undefined && at < this.cursorMs;
    if (endsWalk(this.plan.stopAtCursor, this.facts.below)) return true;
    if (at !== undefined && (this.newestMs === undefined || at > this.newestMs)) {
      this.newest = value!;
      this.newestMs = at;
    }
    return false;
  }

  /** A newest-first walk has written this far (its resume point, should it stop). */
  walkedTo(from: Collection<Json> | undefined): void {
    if (!this.progress || !this.value || !from?.settled) return;
    this.progress.newest = this.newest;
    this.progress.reached = this.value;
    this.progress.page = from.currentUrl;
  }

  /** The decision on one record (see decideRecord); the record is prepared, and kept as seen where it is written once a run. */
  decide(owner: Stream, raw: Json): RecordAction {
    const { job } = this;
    this.listingFacts(owner, raw);
    this.ownerFacts(owner, raw);
    const record = prepare(owner, raw, job.ctx, job.foundIn);
    const once = job.shown ? undefined : this.src.writtenOnce.get(owner.name);
    const key = once ? owner.keyProperties.map((k) => String(record[k])).join('/') : undefined;
    this.facts.duplicate = key !== undefined && once!.has(key);
    const action = decideRecord(this.facts);
    if (key !== undefined && marksSeen(action)) once!.add(key);
    return action;
  }

  /** What the listing says: fields it lacks, a subtree written before, its show. */
  private listingFacts(owner: Stream, raw: Json): void {
    const { job, facts: f } = this;
    const { plan, bookmarks } = this.src;
    const incomplete = owner.incompleteWithout;
    f.shown = job.shown === true;
    f.force = job.force === true;
    f.missingField = incomplete !== undefined && !f.shown && !(incomplete.field in raw) && plan.readsEmbedded(owner, incomplete.field, job.ctx);
    f.doneBefore = owner.rememberSubtrees && !job.ctx.archived && bookmarks.doneBefore(owner.name, raw.id) === raw.updated_at;
    f.hasShow = owner.show !== undefined;
    f.newToReplica = f.hasShow && owner.opensProject && plan.strategy.newToReplica(plan, bookmarks, raw.id, owner.projectStatus(raw) === 'trashed');
    f.readsEmbedded = f.hasShow && f.below && plan.readsAnyEmbedded(owner, job.ctx);
  }

  /** Whose record it is (the job's stream, or another a walk lists too), and whether this walk wrote it already. */
  private ownerFacts(owner: Stream, raw: Json): void {
    const f = this.facts;
    f.ownedByOther = owner !== this.job.stream;
    f.ownerIncremental = f.ownedByOther && this.src.plan.isIncremental(owner);
    f.ownerWrites = f.ownedByOther ? writesIn(this.src.selection, owner, this.job.ctx) : this.writes;
    f.resumed = resumeCovers(this.plan.resume, this.at);
    f.unlisted = this.job.routed === true && typeof raw.status === 'string' && !owner.listsStatus(raw.status);
  }
}
