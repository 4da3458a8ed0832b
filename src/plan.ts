/**
 * The read plan: which streams a run reads, where, and what it writes. Pure decisions over the
 * stream declarations (src/streams) and the catalog's selection; the engine asks, the plan
 * answers, and nothing here does I/O or names a stream.
 *
 * Two contexts matter. In active projects (and at account level) the account-wide recordings
 * walks serve every recording stream, so below a project only the other streams are read. An
 * archived project is not served by those walks: its tools are walked instead, and the plan for
 * that walk (ArchivedPlan) says which streams it writes and which it only passes through.
 */
import { StreamSelection } from './catalog';
import { AnyStreamName, Json, Stream } from './streams/stream';

/** Where a partition sits: which project, and whether that project is archived. */
export interface Context {
  projectId?: number;
  /** Set inside an archived project: what its walk writes and what it must pass through. */
  archived?: ArchivedPlan;
  /**
   * In a feed run, a project no earlier run walked (new, or newly visible to the token): it is
   * walked whole, every record written whatever the cursors say.
   */
  fullWalk?: boolean;
}

export interface ArchivedPlan {
  projectId: number;
  updatedAt: string;
  /** Streams the walk writes (not walked at this updated_at before, or always re-read). */
  emit: Set<string>;
  /** Streams the walk reads: those it writes and those on the way to them. */
  traverse: Set<string>;
}

export class ReadPlan {
  /** Parent stream name -> the streams read below its records (per-parent paths or embedded). */
  private readonly children = new Map<string, Stream[]>();
  /** Walk stream name -> the streams whose records that walk may list too (Stream.alsoInWalk). */
  private readonly inWalk = new Map<string, Stream[]>();
  /** Streams read (or passed through) in active projects and at account level. */
  private readonly neededActive = new Set<string>();
  /** Streams reachable below a project record (candidates for an archived project's walk). */
  private readonly underProjects = new Set<string>();
  /** The stream whose records are projects: the root of the tree below them. */
  readonly projects: Stream;

  /**
   * `feedRun`: an incremental run of an API with a change feed (Basecamp 2's events), where
   * streams with feedParents are read from the feed instead of walked (see inFeed).
   */
  constructor(
    private readonly streams: readonly Stream[],
    private readonly selection: ReadonlyMap<string, StreamSelection>,
    readonly feedRun = false,
  ) {
    for (const stream of streams) {
      const parentNames = new Set([...Object.keys(stream.parents), ...Object.keys(stream.feedParents), ...Object.keys(stream.fullWalkParents), ...stream.embeddedIn.map((e) => e.stream)]);
      for (const p of parentNames) this.children.set(p, [...(this.children.get(p) ?? []), stream]);
      if (stream.alsoInWalk) this.inWalk.set(stream.alsoInWalk.walk, [...(this.inWalk.get(stream.alsoInWalk.walk) ?? []), stream]);
    }
    const roots = streams.filter((s) => s.opensProject);
    if (roots.length !== 1) throw new Error(`src/streams: exactly one stream must open projects (found ${roots.length})`);
    this.projects = roots[0]!;

    // Feed edges can go both ways (a to-do's list, a list's to-dos): each stream is visited once.
    const visiting = new Set<string>();
    const visit = (s: Stream): boolean => {
      if (this.neededActive.has(s.name)) return true;
      if (visiting.has(s.name)) return selection.has(s.name);
      visiting.add(s.name);
      // Feed parents are read only in a feed run (a walk run reads /events.json only if selected).
      const viaChild = this.childrenOf(s.name)
        .filter((c) => !c.recordingType && c !== s && (this.feedRun || !(s.name in c.feedParents || s.name in c.fullWalkParents)))
        .map(visit)
        .some(Boolean);
      const needed = selection.has(s.name) || viaChild;
      if (needed) this.neededActive.add(s.name);
      return needed;
    };
    streams.forEach(visit);
    const reach = (name: string): void => {
      for (const c of this.childrenOf(name)) {
        if (this.underProjects.has(c.name)) continue;
        this.underProjects.add(c.name);
        reach(c.name);
      }
    };
    reach(this.projects.name);
    // Archived projects are reachable only through the project lists, whatever is selected below.
    if ([...selection.keys()].some((name) => this.underProjects.has(name))) this.neededActive.add(this.projects.name);
  }

  /** The streams read below a record of `name`. */
  childrenOf(name: string): Stream[] {
    return this.children.get(name) ?? [];
  }

  /** The streams whose records the walk of `walk` may list too. */
  listedBy(walk: string): Stream[] {
    return this.inWalk.get(walk) ?? [];
  }

  /** Whether a stream is read at account level or in active projects (its root paths, its walks). */
  readsActive(stream: Stream): boolean {
    return this.neededActive.has(stream.name);
  }

  /** Written with a cursor: the stream has a replication key and the catalog keeps it incremental. */
  isIncremental(stream: Stream): boolean {
    return stream.replicationKey !== undefined && this.selection.get(stream.name)?.incremental === true;
  }

  /**
   * Whether `child` is read below a `parent` record in this context. In active projects the
   * recordings walks serve recording streams, except the per-parent reads an alsoInWalk stream
   * may still need.
   */
  traverses(child: Stream, ctx: Context, parent: AnyStreamName): boolean {
    if (ctx.archived) return ctx.archived.traverse.has(child.name);
    if (!this.neededActive.has(child.name)) return false;
    if (child.recordingType && child.alsoInWalk?.from !== parent) return false;
    if (parent in child.fullWalkParents) return ctx.fullWalk === true;
    // A stream read from the feed is read from nowhere else, and one walked not from the feed.
    return this.inFeed(child, ctx) === parent in child.feedParents;
  }

  /**
   * Whether a stream is read from the change feed here: a feed run, a stream with feed parents
   * kept incremental, outside the projects walked whole.
   */
  inFeed(stream: Stream, ctx: Context): boolean {
    return this.feedRun && Object.keys(stream.feedParents).length > 0 && this.isIncremental(stream) && !ctx.fullWalk;
  }

  /** Whether any child of this stream is read in this context (if not, its lists are leaves). */
  hasChildrenToRead(stream: Stream, ctx: Context): boolean {
    return this.childrenOf(stream.name).some((c) => this.traverses(c, ctx, stream.name));
  }

  /** Whether a child embedded in `field` of this stream's records is read in this context. */
  readsEmbedded(stream: Stream, field: string, ctx: Context): boolean {
    return this.childrenOf(stream.name).some((c) => c.embeddedIn.some((e) => e.stream === stream.name && e.field === field) && this.traverses(c, ctx, stream.name));
  }

  /** Whether any child embedded in this stream's records is read in this context. */
  readsAnyEmbedded(stream: Stream, ctx: Context): boolean {
    return this.childrenOf(stream.name).some((c) => c.embeddedIn.some((e) => e.stream === stream.name) && this.traverses(c, ctx, stream.name));
  }

  /**
   * Whether a newest-first walk goes past its cursor: when its records lead to other reads (the
   * groups of every to-do list, a full-table stream) or it lists records of a full-table stream.
   * Older records are then not written again, but every one of them is fanned out.
   */
  passesCursor(stream: Stream, ctx: Context): boolean {
    return (
      this.hasChildrenToRead(stream, ctx) ||
      this.listedBy(stream.name).some((s) => s !== stream && this.selection.has(s.name) && !this.isIncremental(s))
    );
  }

  /**
   * What an archived project's walk writes and passes through. `walkedAt(stream)` is the
   * project's updated_at when the stream was last walked there: a stream whose changes touch the
   * project is written again only when that moved. A FULL_TABLE override re-reads everything.
   */
  archivedPlan(project: Json, walkedAt: (stream: string) => string | undefined): ArchivedPlan {
    const emit = new Set<string>();
    for (const stream of this.streams) {
      if (!this.selection.has(stream.name) || !this.underProjects.has(stream.name)) continue;
      const fullTable = stream.replicationKey !== undefined && !this.isIncremental(stream);
      if (fullTable || !stream.changesTouchProject || walkedAt(stream.name) !== project.updated_at) emit.add(stream.name);
    }
    const traverse = new Set<string>();
    const decided = new Map<string, boolean>();
    const visit = (name: string): boolean => {
      const known = decided.get(name);
      if (known !== undefined) return known;
      decided.set(name, emit.has(name)); // provisional answer for self-nesting streams (vaults in vaults)
      const viaChildren = this.childrenOf(name).map((c) => visit(c.name)).some(Boolean);
      const needed = emit.has(name) || viaChildren;
      decided.set(name, needed);
      if (needed) traverse.add(name);
      return needed;
    };
    for (const c of this.childrenOf(this.projects.name)) visit(c.name);
    return { projectId: project.id, updatedAt: project.updated_at, emit, traverse };
  }
}
