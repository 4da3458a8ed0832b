/**
 * What only Basecamp 2 reads: its change feed. A walk run reads every project's tools; once a
 * run has completed, the next ones are feed runs: /events.json from the last run's start (less
 * an overlap) names every record that changed, and only those are read again (feedParents),
 * plus what the feed cannot tell. A project no earlier run walked is walked whole, its own
 * events included (fullWalkParents).
 */
import type { Context, ReadPlan } from '../plan';
import { ms } from '../state';
import { AnyStreamName, EPOCH, Parents, PathsFrom, Stream } from '../streams/stream';
import type { BcxStreamName } from '../streams/names';
import type { Job } from '../sync/job';
import { RunBookmarks, RunFacts, Strategy } from '../sync/strategy';

/**
 * How far before the last run's start a feed run reads the change feed: Basecamp 2 may still
 * correct an event for 15 minutes after it is created.
 */
export const FEED_OVERLAP_MS = 15 * 60_000;

class BcxStrategy extends Strategy {
  parentsOf(stream: Stream): AnyStreamName[] {
    const { feedParents, fullWalkParents } = stream as BcxStream;
    return [...super.parentsOf(stream), ...(Object.keys(feedParents) as AnyStreamName[]), ...(Object.keys(fullWalkParents) as AnyStreamName[])];
  }

  /** Feed parents are read only in a feed run (a walk run reads /events.json only if selected). */
  leadsUp(child: Stream, parent: AnyStreamName, readsChanges: boolean): boolean {
    const { feedParents, fullWalkParents } = child as BcxStream;
    return readsChanges || !(parent in feedParents || parent in fullWalkParents);
  }

  traverses(child: Stream, ctx: Context, parent: AnyStreamName, plan: ReadPlan): boolean {
    const { feedParents, fullWalkParents } = child as BcxStream;
    if (parent in fullWalkParents) return ctx.fullWalk === true;
    // A stream read from the feed is read from nowhere else, and one walked not from the feed.
    return this.inFeed(child, ctx, plan) === parent in feedParents;
  }

  /** Read from the feed here: a feed run, a stream with feed parents kept incremental, outside projects walked whole. */
  private inFeed(stream: Stream, ctx: Context, plan: ReadPlan): boolean {
    return plan.feedRun && Object.keys((stream as BcxStream).feedParents).length > 0 && plan.isIncremental(stream) && !ctx.fullWalk;
  }

  pathsFrom(child: Stream, parent: AnyStreamName): PathsFrom | undefined {
    const { feedParents, fullWalkParents } = child as BcxStream;
    return feedParents[parent] ?? fullWalkParents[parent] ?? child.parents[parent];
  }

  names(child: Stream, parent: AnyStreamName): boolean {
    return parent in (child as BcxStream).feedParents;
  }

  namedEdge(child: Stream, parent: AnyStreamName): PathsFrom | undefined {
    return (child as BcxStream).feedParents[parent];
  }

  /**
   * A feed run: an earlier run completed the feed's bookmark, and the runs since read every
   * stream selected now incrementally (a stream selected since is walked, and with it the run).
   */
  readsChanges(run: RunFacts): boolean {
    if (run.bookmarks.feedSince() === undefined) return false;
    return this.feedCovers(run).every((name) => run.bookmarks.feedCovers(name));
  }

  /** The selected streams read from the feed in a feed run. */
  feedCovers(run: RunFacts): string[] {
    return run.streams
      .filter((s) => run.selection.get(s.name)?.incremental && s.replicationKey && Object.keys((s as BcxStream).feedParents).length > 0)
      .map((s) => s.name);
  }

  rootJobs(stream: Stream, plan: ReadPlan, run: RunFacts): Job[] {
    const { sincePath } = stream as BcxStream;
    if (!sincePath) return super.rootJobs(stream, plan, run);
    return [{ stream, path: sincePath(this.since(stream, plan, run)), ctx: {}, depth: 0, root: true, newestFirst: stream.newestFirst }];
  }

  /** Where a stream read from a time on starts: the last run's start in a feed run, else its own cursor; less the overlap. */
  private since(stream: Stream, plan: ReadPlan, run: RunFacts): string {
    // In a feed run the stream's own cursor (its newest record, before the last run's start) is
    // covered: nothing can have been created between the two that the last run did not see.
    let since = plan.feedRun ? run.bookmarks.feedSince() : undefined;
    if (!plan.feedRun && run.selection.has(stream.name) && plan.isIncremental(stream)) since = run.bookmarks.cursor(stream.name, stream.replicationKey!);
    since ??= run.startDate;
    return since === undefined ? EPOCH : new Date(Math.max(0, ms(since) - FEED_OVERLAP_MS)).toISOString();
  }

  newToReplica(plan: ReadPlan, bookmarks: RunBookmarks, projectId: number, trashed: boolean): boolean {
    return plan.feedRun && !bookmarks.feedKnows(projectId, trashed);
  }

  onlyGrows(stream: Stream): boolean {
    return (stream as BcxStream).onlyGrows;
  }
}

export const BCX_STRATEGY = new BcxStrategy();

/** A Basecamp 2 stream: the shared declaration, and what the change feed needs. */
export abstract class BcxStream extends Stream {
  abstract readonly name: BcxStreamName;
  get strategy(): Strategy {
    return BCX_STRATEGY;
  }
  get schemaFile(): string {
    return `bcx/${this.name}.json`;
  }
  /**
   * Parents that replace `parents` in a feed run: Basecamp 2 names every changed record in
   * /events.json, so an incremental run reads what its events point at instead of walking.
   */
  readonly feedParents: Parents = {};
  /**
   * Parents read only below a project walked whole in a feed run (the project's own events,
   * which the account-wide feed hid while the project was in the trash).
   */
  readonly fullWalkParents: Parents = {};
  /** The root collection of a stream read from a time on (/events.json?since=): replaces rootPaths. */
  readonly sincePath?: (since: string) => string;
  /** Records never leave its lists (a log): a page-numbered walk needs no backward recheck. */
  readonly onlyGrows: boolean = false;
}
