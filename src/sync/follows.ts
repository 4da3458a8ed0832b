/**
 * The engine's gate for reads that follow their project (Stream.followsProject: a campfire's
 * lines, reached from /chats.json) and for reads in a quiet project that another stream's
 * changes may call for (Stream.signalledBy: memberships, when people changed): held until every
 * list they depend on has been read, then run if the project is read this run (or the change
 * feed names it, or a changed record of another stream names it), dropped otherwise.
 */
import type { Json, Stream } from '../streams/stream';
import type { Job } from './job';
import { Node } from './node';
import { ProjectRead, followsRead } from './refresh';

export class FollowGate {
  private listsLeft = 0;
  private readonly held: Array<{ job: Job; node: Node }> = [];
  private readonly reads = new Map<number, ProjectRead>();
  /** `stream` (every project) or `stream project` whose collections a changed record of another stream names. */
  private readonly signalled = new Set<string>();
  /** Per stream whose records name others' collections: the streams they name, and how (Stream.signalledBy). */
  private readonly namers = new Map<string, Array<{ name: string; names: (record: Json) => number | true | undefined }>>();

  /**
   * `run` queues a released read; `named(projectId)`: the change feed says what follows its
   * project (a campfire line) was posted there; `streams`: every stream, for what a record names
   * (Stream.signalledBy).
   */
  constructor(
    private readonly run: (job: Job, node: Node) => void,
    private readonly named: (projectId: number) => boolean,
    streams: readonly Stream[],
  ) {
    for (const s of streams) {
      for (const [source, names] of Object.entries(s.signalledBy)) {
        this.namers.set(source, [...(this.namers.get(source) ?? []), { name: s.name, names }]);
      }
    }
  }

  /** Whether records of `stream` can name other streams' collections (its lists decide held reads). */
  names(stream: string): boolean {
    return this.namers.has(stream);
  }

  /** A record of `stream` changed since the last completed run: note what it names. */
  wrote(stream: string, record: Json): void {
    for (const { name, names } of this.namers.get(stream) ?? []) {
      const named = names(record);
      if (named === true) this.signalled.add(name);
      else if (named !== undefined) this.signalled.add(`${name} ${named}`);
    }
  }

  /** A list the held reads depend on (a project list, a list of what they change with) is queued. */
  listQueued(): void {
    this.listsLeft++;
  }

  /** How much below a project this run reads, once its record is taken. */
  noteProject(projectId: number, read: ProjectRead): void {
    this.reads.set(projectId, read);
  }

  /** Holds `job` (under a new node below `parent`) until the project lists are read; false: decide now. */
  hold(job: Job, parent: Node): boolean {
    if (job.follows === undefined || this.listsLeft === 0) return false;
    this.held.push({ job, node: new Node(parent) });
    return true;
  }

  /** Whether a job that follows its project is read (see followsRead). */
  wanted(job: Job): boolean {
    const named = job.stream.followsProject && this.named(job.follows ?? 0);
    if (job.follows === undefined || followsRead(this.reads.get(job.follows), named)) return true;
    return this.signalled.has(job.stream.name) || this.signalled.has(`${job.stream.name} ${job.follows}`);
  }

  /** A project list was read: once all have, the held reads run or are dropped. */
  listEnded(): void {
    if (--this.listsLeft > 0) return;
    for (const { job, node } of this.held.splice(0)) {
      if (this.wanted(job)) this.run(job, node);
      else node.finish(true);
    }
  }
}
