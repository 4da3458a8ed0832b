/**
 * The engine's gate for reads that follow their project (Stream.followsProject: a campfire's
 * lines, reached from /chats.json), for reads in a quiet project that another stream's changes
 * may call for (Stream.signalledBy: memberships, when people changed), and for everything below
 * a project that only moved: held until every list they depend on has been read (the project
 * lists, the recordings walks, people and the timeline), then made or dropped as heldRead says.
 */
import type { Json, Stream } from '../streams/stream';
import type { ChangeHints } from './strategy';
import type { Job } from './job';
import { Node } from './node';
import { ProjectRead, heldRead, moveExplained } from './refresh';

export class FollowGate {
  private listsLeft = 0;
  private readonly held: Array<{ job: Job; node: Node }> = [];
  private readonly reads = new Map<number, ProjectRead>();
  /** A moved project's updated_at (ms), and the newest change the walks and the feed showed in each project. */
  private readonly movedAt = new Map<number, number>();
  private readonly newestSeen = new Map<number, number>();
  /** `stream` (every project) or `stream project` whose collections a changed record of another stream names. */
  private readonly signalled = new Set<string>();
  /** Per stream whose records name others' collections: the streams they name, and how (Stream.signalledBy). */
  private readonly namers = new Map<string, Array<{ name: string; names: (record: Json) => number | true | undefined }>>();

  /**
   * `run` queues a released read; `feed()`: what the change feed says (undefined: none served),
   * read when the held reads are decided; `streams`: every stream, for what a record names
   * (Stream.signalledBy).
   */
  constructor(
    private readonly run: (job: Job, node: Node) => void,
    private readonly feed: () => ChangeHints | undefined,
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
      else if (named !== undefined) {
        this.signalled.add(`${name} ${named}`);
        // What it names is read, so its time accounts for the project's move (a timeline event).
        if (typeof record.created_at === 'string') this.seen(named, Date.parse(record.created_at));
      }
    }
  }

  /** A change the run reads in full was seen in a project at `atMs` (a walk record, a feed event). */
  seen(projectId: number, atMs: number): void {
    if (Number.isNaN(atMs)) return;
    if (atMs > (this.newestSeen.get(projectId) ?? -Infinity)) this.newestSeen.set(projectId, atMs);
  }

  /** A list the held reads depend on (a project list, a list of what they change with) is queued. */
  listQueued(): void {
    this.listsLeft++;
  }

  /** How much below a project this run reads, once its record is taken (`updatedAt`: its updated_at). */
  noteProject(projectId: number, read: ProjectRead, updatedAt?: string): void {
    this.reads.set(projectId, read);
    if (read === 'moved' && updatedAt !== undefined) this.movedAt.set(projectId, Date.parse(updatedAt));
  }

  /** Holds `job` (under a new node below `parent`) until the project lists are read; false: decide now. */
  hold(job: Job, parent: Node): boolean {
    if (job.follows === undefined || this.listsLeft === 0) return false;
    this.held.push({ job, node: new Node(parent) });
    return true;
  }

  /** Whether a held job is read (see heldRead). */
  wanted(job: Job): boolean {
    const project = job.follows;
    if (project === undefined) return true;
    const feed = this.feed();
    const movedAt = this.movedAt.get(project);
    const seen = Math.max(this.newestSeen.get(project) ?? -Infinity, feed?.chatAt(project) ?? -Infinity);
    return heldRead({
      read: this.reads.get(project),
      explained: movedAt !== undefined && moveExplained(movedAt, Number.isFinite(seen) ? seen : undefined),
      followsProject: job.stream.followsProject,
      feedServed: feed !== undefined,
      feedNamed: job.stream.followsProject && feed?.chats(project) === true,
      signalled: this.signalled.has(job.stream.name) || this.signalled.has(`${job.stream.name} ${project}`),
    });
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
