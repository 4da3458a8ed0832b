/**
 * What one record leads to: the jobs read below it, as values. Pure over the plan and the
 * stream declarations; the engine decides nothing here, it holds, deduplicates and spawns.
 */
import { ArchivedPlan, Context, ReadPlan } from '../plan';
import { partitionKey } from '../state';
import { AnyStreamName, Json, Stream } from '../streams/stream';
import { Job } from './job';
import type { ProjectRead } from './refresh';

const NONE: readonly Job[] = [];

/** What the children of a record may ask about the run (read-only). */
export interface ChildRules {
  /** The walk of this stream was seen to list its records: its per-parent reads are not needed. */
  walkLists(stream: string): boolean;
}

/** A single object rather than a list: a show, or a single-object endpoint. */
export function isSingle(stream: Stream, path: string, shown?: boolean): boolean {
  return stream.singleObject || shown === true || /\/\d+\.json$/.test(path);
}

/** The path with a query variant appended (`status=archived`). */
function withVariant(path: string, variant: string): string {
  return variant ? `${path}${path.includes('?') ? '&' : '?'}${variant}` : path;
}

/**
 * The jobs a record of `parent` leads to in `ctx` (its children's context): for each child read
 * here, its records embedded in the record, then every path (and variant) it is read at.
 * `parentWritten`: the record is new or changed as far as its cursor goes (see leadsToFollowers);
 * children read only below written parents (Stream.readWhenParentWritten) need it.
 */
export function childJobs(plan: ReadPlan, parent: Stream, record: Json, ctx: Context, depth: number, rules: ChildRules, parentWritten = true): readonly Job[] {
  const kids = plan.childrenOf(parent.name);
  if (kids.length === 0) return NONE;
  const jobs: Job[] = [];
  for (const child of kids) {
    if (child.readWhenParentWritten && !parentWritten) continue;
    if (!readsBelow(plan, parent, child, ctx, rules)) continue;
    const holdable = plan.strategy.holds(child, parent.name, ctx);
    embeddedJobs(child, parent, record, ctx, depth, jobs);
    const named = plan.strategy.names(child, parent.name);
    // Read only when its project is read this run (see heldRead): decided once the project lists are.
    const follows = followsIn(plan, parent, child, ctx) ? ctx.projectId : undefined;
    const moved = movedParent(plan, parent, child, record, ctx);
    for (const path of plan.strategy.pathsFrom(child, parent.name)?.(record) ?? []) {
      for (const variant of child.variants) {
        const job = pathJob(child, parent.name, record, ctx, depth, withVariant(path, variant), variant, named, holdable);
        if (follows !== undefined) job.follows = follows;
        if (moved) job.parentMoved = moved;
        jobs.push(job);
      }
    }
  }
  return jobs;
}

/** Whether `child` is read below a record of `parent` in `ctx` at all. */
function readsBelow(plan: ReadPlan, parent: Stream, child: Stream, ctx: Context, rules: ChildRules): boolean {
  if (ctx.quiet && !isSignalled(child)) return false; // a quiet project: only what other streams' changes may call for
  if (!plan.traverses(child, ctx, parent.name)) return false;
  if (plan.strategy.holds(child, parent.name, ctx) && rules.walkLists(child.name)) return false; // the walk lists them
  return !(ctx.turn && child.readInTurnBelow === parent.name && !leadsPastWalks(plan, child, ctx, rules));
}

/** Whether records of other streams may say that this stream's collections changed (Stream.signalledBy). */
function isSignalled(stream: Stream): boolean {
  return Object.keys(stream.signalledBy).length > 0;
}

/**
 * Whether a read of `child` waits to learn whether its project, or what it changes with, calls
 * for it (see FollowGate). In a project that only moved, what is read right below the project
 * waits; what is below those reads is read whenever they are.
 */
function followsIn(plan: ReadPlan, parent: Stream, child: Stream, ctx: Context): boolean {
  if (ctx.archived) return ctx.archived.quiet === true && isSignalled(child);
  return ctx.quiet === true || (ctx.moved === true && parent.opensProject) || (child.followsProject && plan.gated);
}

/** The record reads of `child` below it wait on, if they wait (see MoveGate): its stream, id and updated_at. */
function movedParent(plan: ReadPlan, parent: Stream, child: Stream, record: Json, ctx: Context): Job['parentMoved'] {
  if (!child.readUnlessChildMoved || !waitsForMoves(plan, ctx) || typeof record.updated_at !== 'string') return undefined;
  return { stream: parent.name, id: record.id, atMs: Date.parse(record.updated_at) };
}

/** Whether reads below a moved record wait to learn whether a changed child accounts for the move (see MoveGate). */
function waitsForMoves(plan: ReadPlan, ctx: Context): boolean {
  return plan.gated && ctx.projectId !== undefined && !ctx.turn && !ctx.archived && !ctx.fullWalk;
}

/** Whether a stream read only on a turn's way down leads to a read the walks do not make unnecessary. */
function leadsPastWalks(plan: ReadPlan, via: Stream, ctx: Context, rules: ChildRules): boolean {
  return plan
    .childrenOf(via.name)
    .some((g) => g !== via && plan.traverses(g, ctx, via.name) && !(plan.strategy.holds(g, via.name, ctx) && rules.walkLists(g.name)));
}

/** The job of one path (and variant) a record of a parent leads `child` to. */
function pathJob(
  child: Stream,
  parent: AnyStreamName,
  record: Json,
  ctx: Context,
  depth: number,
  path: string,
  variant: string,
  named: boolean,
  holdable: boolean,
): Job {
  const job: Job = { stream: child, ctx, depth: depth + 1, root: false, path, newestFirst: child.newestFirst };
  if (child.cursorPerParent) job.cursorKey = partitionKey(record.id, variant);
  if (child.show !== undefined && isSingle(child, path)) job.shown = true;
  if (named) {
    job.fromFeed = true;
    // A record an event names changed, though perhaps only in what moves without its
    // updated_at (a commenter joins the subscribers): written whatever the cursor says.
    if (isSingle(child, path)) job.force = true;
  }
  if (named || child.oncePerRun) job.once = true;
  if (holdable) job.heldFor = child.name;
  // Only the id of the record it was read below: the job must not keep the record alive.
  if (child.parentIdAs !== undefined) job.foundIn = { stream: parent, record: { id: record.id } };
  return job;
}

/**
 * A record a change feed named leads only to what it embeds and to what the feed says changed
 * with it (a to-do's list and assignee), never to what it contains (a project's tools).
 */
export function namedChildJobs(plan: ReadPlan, parent: Stream, record: Json, ctx: Context, depth: number): readonly Job[] {
  const kids = plan.childrenOf(parent.name);
  if (kids.length === 0) return NONE;
  const projectId = ctx.projectId ?? parent.childProjectId(record);
  const childCtx = projectId === ctx.projectId ? ctx : { ...ctx, projectId };
  const jobs: Job[] = [];
  for (const child of kids) {
    if (!plan.traverses(child, childCtx, parent.name)) continue;
    embeddedJobs(child, parent, record, childCtx, depth, jobs);
    for (const path of plan.strategy.namedEdge(child, parent.name)?.(record) ?? []) {
      const job: Job = { stream: child, ctx: childCtx, depth: depth + 1, root: false, path, newestFirst: child.newestFirst, fromFeed: true, once: true };
      if (child.show !== undefined && isSingle(child, path)) job.shown = true;
      if (child.parentIdAs !== undefined) job.foundIn = { stream: parent.name, record: { id: record.id } };
      jobs.push(job);
    }
  }
  return jobs;
}

/** Jobs of the records of `child` embedded in `record` (a show's comments, a list's to-dos), pushed onto `jobs`. */
export function embeddedJobs(child: Stream, parent: Stream, record: Json, ctx: Context, depth: number, jobs: Job[]): void {
  for (const { stream: from, field } of child.embeddedIn) {
    if (from !== parent.name) continue;
    const embedded = field.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Json)[key] : undefined), record);
    // Only the id of the record they were found in: the job must not keep the record alive.
    if (Array.isArray(embedded) && embedded.length > 0) {
      jobs.push({
        stream: child,
        ctx,
        depth: depth + 1,
        root: false,
        embedded,
        newestFirst: false,
        foundIn: { stream: parent.name, record: { id: record.id } },
      });
    }
  }
}

/** Where the children of a record are read: their context, and the walk of an archived project it opens. */
export interface Scope {
  /** The children's context; undefined when nothing below the record is read (a trashed project). */
  ctx?: Context;
  /** The archived project's walk: remembered once everything in it is written. */
  archived?: ArchivedPlan;
}

/** What the scope of a project asks of the run (read-only). */
export interface ScopeRules {
  /** A project no earlier run walked, in a run that reads only changes: walked whole. */
  newToReplica(projectId: number): boolean;
  /** How much below the project this run reads (see src/sync/refresh.ts). */
  projectRead(project: Json): ProjectRead;
  /** What an archived project's walk writes and passes through. */
  archivedPlan(project: Json, read: ProjectRead): ArchivedPlan;
}

/** The context the children of `record` are read in. */
export function childScope(stream: Stream, record: Json, ctx: Context, rules: ScopeRules): Scope {
  if (!stream.opensProject) {
    if (ctx.projectId !== undefined) return { ctx };
    const projectId = stream.childProjectId(record);
    return { ctx: projectId === undefined ? ctx : { ...ctx, projectId } };
  }
  const status = stream.projectStatus(record);
  if (status === 'trashed') return {};
  const childCtx: Context = { projectId: record.id };
  if (rules.newToReplica(record.id)) childCtx.fullWalk = true;
  const read = childCtx.fullWalk ? 'all' : rules.projectRead(record);
  if (status !== 'archived') {
    if (read === 'quiet') childCtx.quiet = true;
    if (read === 'moved') childCtx.moved = true;
    if (read === 'turn') childCtx.turn = true;
    return { ctx: childCtx };
  }
  const archived = rules.archivedPlan(record, read);
  if (archived.traverse.size === 0) return {};
  childCtx.archived = archived;
  return { ctx: childCtx, archived };
}

/** What a written subtree is remembered as: a resumed run skips the record and all below it. */
export interface SubtreeMark {
  stream: string;
  id: number;
  updatedAt: string;
  /** A project's subtree: walked whole, or seen trashed (nothing below it). */
  project?: 'walked' | 'trashed';
}

/** Everything one record leads to, as a value the engine carries out. */
export interface FanOut {
  jobs: readonly Job[];
  /** Marked done once the record and everything below it is written. */
  subtree?: SubtreeMark;
  /** The archived project's walk, remembered once everything in it is written. */
  archived?: ArchivedPlan;
}

const NOTHING: FanOut = { jobs: NONE };

/**
 * The jobs one record leads to, and what is remembered once they are done. `named`: a record
 * a change feed named (it leads only to what changed with it); `written`: see childJobs.
 */
export function fanOut(
  plan: ReadPlan,
  stream: Stream,
  record: Json,
  ctx: Context,
  depth: number,
  named: boolean,
  rules: ChildRules & ScopeRules,
  written = true,
): FanOut {
  if (plan.childrenOf(stream.name).length === 0) return NOTHING;
  if (named) return { jobs: namedChildJobs(plan, stream, record, ctx, depth) };
  // A turn's pass through a walked stream writes nothing of it: its subtree is not done here.
  const passing = ctx.turn === true && stream.readInTurnBelow !== undefined;
  const subtree = stream.rememberSubtrees && !ctx.archived && !passing ? subtreeMark(stream, record) : undefined;
  const scope = childScope(stream, record, ctx, rules);
  const jobs = scope.ctx ? childJobs(plan, stream, record, scope.ctx, depth, rules, written) : NONE;
  return { jobs, subtree, archived: scope.archived };
}

/** Only the id and updated_at: the mark must not keep the whole record alive until its subtree is done. */
function subtreeMark(stream: Stream, record: Json): SubtreeMark {
  const mark: SubtreeMark = { stream: stream.name, id: record.id, updatedAt: record.updated_at };
  if (stream.opensProject) mark.project = stream.projectStatus(record) === 'trashed' ? 'trashed' : 'walked';
  return mark;
}
