/**
 * The read plan: which streams a run reads, where, and what it writes. Pure decisions over the
 * stream declarations (src/streams), their product's strategy (src/products/) and the catalog's
 * selection; the engine asks, the plan answers, and nothing here does I/O or names a stream.
 *
 * Two contexts matter: active projects (and the account level), where the product's strategy
 * says what is read below a record, and an archived project's walk, whose plan (ArchivedPlan)
 * says which streams it writes and which it only passes through.
 */
import { AnyStreamName, Json, Stream } from './streams/stream';
import { Strategy, TREE } from './sync/strategy';
import type { ProjectRead } from './sync/refresh';

/** What the catalog selects, as far as the plan reads it (src/catalog.ts's StreamSelection has more). */
export type Selection = ReadonlyMap<string, { readonly incremental: boolean }>;

/** Where a job sits: which project, and whether that project is archived. */
export interface Context {
  projectId?: number;
  /** Set inside an archived project: what its walk writes and what it must pass through. */
  archived?: ArchivedPlan;
  /**
   * In a feed run, a project no earlier run walked (new, or newly visible to the token): it is
   * walked whole, every record written whatever the cursors say.
   */
  fullWalk?: boolean;
  /**
   * An active project whose turn in the refresh window has come (see src/sync/refresh.ts): what
   * the recordings walks only pass at their bookmark is reached through the project's tools
   * instead (Stream.readInTurnBelow).
   */
  turn?: boolean;
  /**
   * An active project with no signal and no turn: below it only what another stream's changes
   * may have changed is read (Stream.signalledBy), once those changes are known.
   */
  quiet?: boolean;
  /**
   * An active project whose updated_at alone moved: what is read below it waits until the walks
   * show whether their changes account for the move (see heldRead in src/sync/refresh.ts).
   */
  moved?: boolean;
}

export interface ArchivedPlan {
  projectId: number;
  updatedAt: string;
  /** Streams the walk writes (not walked at this updated_at before, or always re-read). */
  emit: Set<string>;
  /** Streams the walk reads: those it writes and those on the way to them. */
  traverse: Set<string>;
  /** No signal and no turn: what it reads of streams that change with another (memberships) waits for that one's changes. */
  quiet?: boolean;
}

/**
 * The tree the product's strategy reads: parent stream name -> the streams read below its records
 * (`children`), and walk stream name -> the streams whose records that walk may list too (`inWalk`).
 */
export function streamTree(
  streams: readonly Stream[],
  strategy: Strategy = streams[0]?.strategy ?? TREE,
): { children: Map<string, Stream[]>; inWalk: Map<string, Stream[]> } {
  const children = new Map<string, Stream[]>();
  const inWalk = new Map<string, Stream[]>();
  for (const stream of streams) {
    for (const p of new Set(strategy.parentsOf(stream))) children.set(p, [...(children.get(p) ?? []), stream]);
    const walk = strategy.listedIn(stream);
    if (walk) inWalk.set(walk, [...(inWalk.get(walk) ?? []), stream]);
  }
  return { children, inWalk };
}

export class ReadPlan {
  /** Parent stream name -> the streams read below its records (per-parent paths or embedded). */
  private readonly children: ReadonlyMap<string, Stream[]>;
  /** Walk stream name -> the streams whose records that walk may list too (Strategy.listedIn). */
  private readonly inWalk: ReadonlyMap<string, Stream[]>;
  /** Streams read (or passed through) in active projects and at account level. */
  private readonly neededActive = new Set<string>();
  /** Streams reachable below a project record (candidates for an archived project's walk). */
  private readonly underProjects = new Set<string>();
  /** The stream whose records are projects: the root of the tree below them. */
  readonly projects: Stream;

  /** What the streams' product reads beyond the declared tree. */
  readonly strategy: Strategy;

  /**
   * `feedRun`: an incremental run that reads what changed from a change feed instead of walking
   * (Strategy.readsChanges).
   */
  constructor(
    private readonly streams: readonly Stream[],
    private readonly selection: Selection,
    readonly feedRun = false,
    /** Reads below projects follow change signals and turns (see src/sync/refresh.ts gates). */
    readonly gated = false,
  ) {
    this.strategy = streams[0]?.strategy ?? TREE;
    ({ children: this.children, inWalk: this.inWalk } = streamTree(streams, this.strategy));
    const roots = streams.filter((s) => s.opensProject);
    if (roots.length !== 1) throw new Error(`src/streams: exactly one stream must open projects (found ${roots.length})`);
    this.projects = roots[0]!;

    // Feed edges can go both ways (a to-do's list, a list's to-dos): each stream is visited once.
    const visiting = new Set<string>();
    const visit = (s: Stream): boolean => {
      if (this.neededActive.has(s.name)) return true;
      if (visiting.has(s.name)) return selection.has(s.name);
      visiting.add(s.name);
      const viaChild = this.childrenOf(s.name)
        .filter((c) => c !== s && this.strategy.leadsUp(c, s.name, this.feedRun, this.gated))
        .map(visit)
        .some(Boolean);
      // A walk that lists a selected stream's records too is read for them (the Kanban::Step walk for to-do steps).
      const viaListed = this.listedBy(s.name).some((c) => c !== s && visit(c));
      const needed = selection.has(s.name) || viaChild || viaListed;
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
   * Streams a walk of `stream` writes with a cursor besides its own: the selected incremental
   * streams it lists too. The walk starts at the earliest of their cursors and commits to each.
   */
  incrementalRiders(stream: Stream): Stream[] {
    return this.listedBy(stream.name).filter((s) => s !== stream && this.isIncremental(s));
  }

  /** Whether `child` is read below a `parent` record in this context. */
  traverses(child: Stream, ctx: Context, parent: AnyStreamName): boolean {
    if (ctx.archived) return ctx.archived.traverse.has(child.name);
    if (!this.neededActive.has(child.name)) return false;
    return this.strategy.traverses(child, ctx, parent, this);
  }

  /** Whether any child of this stream is read in this context (if not, its lists are leaves). */
  hasChildrenToRead(stream: Stream, ctx: Context): boolean {
    return this.childrenOf(stream.name).some((c) => this.traverses(c, ctx, stream.name));
  }

  /**
   * Whether a child is read below this stream's records whether or not they are written (not
   * only below written ones: Stream.readWhenParentWritten).
   */
  leadsPastWrites(stream: Stream, ctx: Context): boolean {
    return this.childrenOf(stream.name).some((c) => !c.readWhenParentWritten && this.traverses(c, ctx, stream.name));
  }

  /** Whether a child embedded in `field` of this stream's records is read in this context. */
  readsEmbedded(stream: Stream, field: string, ctx: Context): boolean {
    return this.childrenOf(stream.name).some(
      (c) => c.embeddedIn.some((e) => e.stream === stream.name && e.field === field) && this.traverses(c, ctx, stream.name),
    );
  }

  /** Whether any child embedded in this stream's records is read in this context. */
  readsAnyEmbedded(stream: Stream, ctx: Context): boolean {
    return this.childrenOf(stream.name).some((c) => c.embeddedIn.some((e) => e.stream === stream.name) && this.traverses(c, ctx, stream.name));
  }

  /**
   * Whether a newest-first walk goes past its cursor: when its records lead to other reads (the
   * groups of every to-do list, a full-table stream) or it lists records of a full-table stream.
   * Older records are then not written again, but every one of them is fanned out (children read
   * only below written records do not count: older ones are not written). Not so where reads follow signals: an unchanged list's groups are read in its project's turn.
   */
  passesCursor(stream: Stream, ctx: Context): boolean {
    // Where reads follow signals, what lies past the cursor is reached in its project's turn.
    if (this.gated && !ctx.archived) return false;
    return this.leadsPastWrites(stream, ctx) || this.listedBy(stream.name).some((s) => s !== stream && this.selection.has(s.name) && !this.isIncremental(s));
  }

  /** The selected streams below projects, in catalog order (what an archived project's walk may write). */
  selectedUnderProjects(): Stream[] {
    return this.streams.filter((s) => this.selection.has(s.name) && this.underProjects.has(s.name));
  }

  /** What an archived project's walk writes and passes through (see the product's strategy). */
  archivedPlan(project: Json, walkedAt: (stream: string) => string | undefined, read: ProjectRead = 'all'): ArchivedPlan {
    return this.strategy.archivedPlan(this, project, walkedAt, read);
  }
}
