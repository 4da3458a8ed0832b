/**
 * The engine's gate for per-parent reads below a record whose updated_at moved, where a changed
 * child may account for the move (Stream.readUnlessChildMoved: a to-do list's groups). Basecamp
 * moves a list's updated_at for a group renamed, added, archived or trashed, and also for every
 * to-do changed in the list or its groups: re-reading the groups (three statuses) for each such
 * list cost more than the to-dos themselves. The walks show which to-dos changed, and each names
 * its parent (a list, or a group whose own parent is the list, read again for its counts), so the
 * groups are read only where no such change accounts for the list's stamp (see moveExplained).
 *
 * Held until every recordings walk but the parent's own is done, parents read for counts included
 * (their nodes finish only then), then made or dropped.
 */
import type { Job } from './job';
import { Node } from './node';
import { moveExplained } from './refresh';

export class MoveGate {
  /** Walk root jobs not yet done, by stream. */
  private readonly walking = new Map<string, number>();
  private readonly held: Array<{ job: Job; node: Node }> = [];
  /** The newest change seen below each record (by id), a group's counting for its list too; and the list each group sits in. */
  private readonly newest = new Map<number, number>();
  private readonly parentOf = new Map<number, number>();

  /** `run` queues a released read; `sinceMs`: the last completed run's start (undefined: none). */
  constructor(
    private readonly run: (job: Job, node: Node) => void,
    private readonly sinceMs: number | undefined,
  ) {}

  /** A walk root job of `stream` is queued. */
  walkQueued(stream: string): void {
    this.walking.set(stream, (this.walking.get(stream) ?? 0) + 1);
  }

  /** A walk root job of `stream` is done, with everything it led to: held reads whose walks are all done are decided. */
  walkDone(stream: string): void {
    this.walking.set(stream, (this.walking.get(stream) ?? 1) - 1);
    const ready: typeof this.held = [];
    for (const item of this.held.splice(0)) (this.ready(item.job) ? ready : this.held).push(item);
    for (const { job, node } of ready) {
      if (this.wanted(job)) this.run(job, node);
      else node.finish(true);
    }
  }

  /** A changed record (or a parent read for its counts) below `parentId`, changed at `atMs`: for its grandparent too, once placed. */
  seen(parentId: number, atMs: number): void {
    this.bump(parentId, atMs);
    const up = this.parentOf.get(parentId);
    if (up !== undefined) this.bump(up, atMs);
  }

  /** A record read for its counts sits in `parentId` (a group in its list): what changed below it counts for the list too. */
  placed(id: number, parentId: number): void {
    this.parentOf.set(id, parentId);
    const at = this.newest.get(id);
    if (at !== undefined) this.bump(parentId, at);
  }

  /**
   * Holds `job` until the walks that may account for its parent's move are done (under a new node
   * below `at`, or under `at` itself when `own`: a read another gate held); false: decide now.
   */
  hold(job: Job, at: Node, own = false): boolean {
    if (job.parentMoved === undefined || this.ready(job)) return false;
    this.held.push({ job, node: own ? at : new Node(at) });
    return true;
  }

  /** Whether a read below a moved record is made: its move is since the last completed run and nothing seen accounts for it. */
  wanted(job: Job): boolean {
    const moved = job.parentMoved;
    if (moved === undefined) return true;
    if (this.sinceMs !== undefined && moved.atMs <= this.sinceMs) return false; // read by the run that saw it move
    return !moveExplained(moved.atMs, this.newest.get(moved.id));
  }

  private ready(job: Job): boolean {
    const own = job.parentMoved?.stream;
    for (const [stream, left] of this.walking) if (stream !== own && left > 0) return false;
    return true;
  }

  private bump(id: number, atMs: number): void {
    if (atMs > (this.newest.get(id) ?? -Infinity)) this.newest.set(id, atMs);
  }
}
