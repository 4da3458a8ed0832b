/**
 * The engine's gate for reads a walk may make unnecessary (Strategy.holds): per-parent reads of
 * a stream whose records a walk of another stream may list too (to-do list groups in the
 * Todolist walk). They are held until every walk job that may list them has ended (then run),
 * or one of those walks lists such a record (then dropped, now and in later runs).
 */
import type { ReadPlan } from '../plan';
import type { Json, Stream } from '../streams/stream';
import type { Job } from './job';
import { Node } from './node';

interface Held {
  /** The walk listed a record of this stream: the per-parent reads are not needed. */
  listed: boolean;
  /** Walk jobs still reading. */
  walksLeft: number;
  held: Array<{ job: Job; node: Node }>;
}

export class HeldReads {
  private readonly streams = new Map<string, Held>();

  /**
   * `listedBefore`: an earlier run saw the walk list the stream. `run` queues a released read;
   * `onListed` hears of the first record a walk lists, with the count of reads dropped.
   */
  constructor(
    private readonly plan: ReadPlan,
    streams: readonly Stream[],
    listedBefore: (stream: string) => boolean,
    private readonly run: (job: Job, node: Node) => void,
    private readonly onListed: (stream: string, dropped: number) => void,
  ) {
    for (const s of streams) {
      if (plan.strategy.listedIn(s)) this.streams.set(s.name, { listed: listedBefore(s.name), walksLeft: 0, held: [] });
    }
  }

  /** Whether the walk is known to list this stream's records: its per-parent reads are not needed. */
  listed(stream: string): boolean {
    return this.streams.get(stream)?.listed === true;
  }

  /** A walk job of `walk` is queued: the reads it may make unnecessary wait for it. */
  walkQueued(walk: Stream): void {
    for (const s of this.plan.listedBy(walk.name)) this.streams.get(s.name)!.walksLeft++;
  }

  /** Holds `job` (under a new node below `parent`) while a walk may still list its records; false: run it now. */
  hold(job: Job, parent: Node): boolean {
    const held = job.heldFor === undefined ? undefined : this.streams.get(job.heldFor);
    if (!held || held.walksLeft === 0) return false;
    held.held.push({ job, node: new Node(parent) });
    return true;
  }

  /** The stream a walk record belongs to: a stream the walk may also list, or the walk's own. */
  ownerOf(walk: Stream, record: Json): Stream {
    for (const s of this.plan.listedBy(walk.name)) {
      if (!this.plan.strategy.isListed(s, record)) continue;
      this.walkListed(s);
      return s;
    }
    return walk;
  }

  /** The stream a record read on its own belongs to (a Todolist shown may be a group), noting nothing of walks. */
  typeOwner(stream: Stream, record: Json): Stream {
    return this.plan.listedBy(stream.name).find((s) => this.plan.strategy.isListed(s, record)) ?? stream;
  }

  /** The walk listed a record of `stream`: its held reads are not needed. */
  private walkListed(stream: Stream): void {
    const held = this.streams.get(stream.name)!;
    if (held.listed) return;
    held.listed = true;
    const dropped = held.held.splice(0);
    this.onListed(stream.name, dropped.length);
    for (const { node } of dropped) node.finish(true);
  }

  /** A walk job finished: once all have, the reads they did not make unnecessary run. */
  walkEnded(walk: Stream): void {
    for (const s of this.plan.listedBy(walk.name)) {
      const held = this.streams.get(s.name)!;
      if (--held.walksLeft > 0 || held.listed) continue;
      for (const { job, node } of held.held.splice(0)) this.run(job, node);
    }
  }
}
