/**
 * What `--changes N` does to the account between the no-change run and the third run: N changes
 * made through the simulator's own API, as an hour of a busy account looks. Mostly edits and new
 * to-dos, comments and campfire lines, some completions, a few archived or trashed records; each
 * in a project drawn at random (so they spread over many projects), on a record drawn at random
 * from what that project holds. The same seed makes the same changes.
 */
import type { Simulator } from '../../simulator';
import { Rng } from '../../simulator/rng';

export type Op = 'edit' | 'create' | 'complete' | 'archive' | 'trash';

/** One kind of change: what is done to which stream, how often (relative), and for a new record, under what. */
export interface ChangeKind {
  op: Op;
  stream: string;
  weight: number;
  /** The streams whose records a new record goes under (create only). */
  parents?: string[];
  /**
   * No walk, feed or timeline shows it: only its project's updated_at does (under the reading
   * where changes move their project), and a later change in the same project that they do show
   * accounts for that move. The tap then brings it within full_refresh_hours, not next run.
   */
  shownOnlyByProject?: true;
}

/** An hour of a busy account, by relative frequency. */
export const CHANGE_MIX: readonly ChangeKind[] = [
  { op: 'edit', stream: 'todos', weight: 14 },
  { op: 'edit', stream: 'messages', weight: 4 },
  { op: 'edit', stream: 'comments', weight: 6 },
  { op: 'edit', stream: 'documents', weight: 3 },
  { op: 'edit', stream: 'uploads', weight: 2 },
  { op: 'edit', stream: 'card_table_cards', weight: 5 },
  { op: 'edit', stream: 'card_table_steps', weight: 1 },
  { op: 'edit', stream: 'schedule_entries', weight: 3 },
  { op: 'edit', stream: 'todolists', weight: 3 },
  { op: 'edit', stream: 'todolist_groups', weight: 2 },
  { op: 'edit', stream: 'question_answers', weight: 2 },
  { op: 'edit', stream: 'inbox_forwards', weight: 1, shownOnlyByProject: true },
  { op: 'edit', stream: 'client_approvals', weight: 1, shownOnlyByProject: true },
  { op: 'edit', stream: 'client_correspondences', weight: 1, shownOnlyByProject: true },
  { op: 'create', stream: 'todos', weight: 10, parents: ['todolists'] },
  { op: 'create', stream: 'comments', weight: 13, parents: ['messages', 'todos', 'documents', 'card_table_cards'] },
  { op: 'create', stream: 'campfire_lines', weight: 14, parents: ['campfires'] },
  { op: 'create', stream: 'messages', weight: 2, parents: ['message_boards'] },
  { op: 'create', stream: 'card_table_cards', weight: 2, parents: ['card_table_columns'] },
  { op: 'create', stream: 'schedule_entries', weight: 1, parents: ['schedules'] },
  { op: 'complete', stream: 'todos', weight: 6 },
  { op: 'archive', stream: 'todos', weight: 1 },
  { op: 'archive', stream: 'documents', weight: 1 },
  { op: 'trash', stream: 'todos', weight: 1 },
  { op: 'trash', stream: 'messages', weight: 1 },
  { op: 'trash', stream: 'comments', weight: 1 },
];

/** What the changes need of the simulator. */
export type Changer = Pick<Simulator, 'expectedRecords' | 'update' | 'create' | 'setStatus' | 'complete'>;

/** Changes made, per stream and kind ({ todos: { edit: 12, create: 8 } }). */
export type ChangeCounts = Record<string, Partial<Record<Op, number>>>;

/** One change made, in the order made. */
export interface ChangeMade {
  kind: ChangeKind;
  /** The record changed (edits, completions, status changes); a new record's parent for create. */
  id: number;
  projectId: number;
}

export interface ChangesMade {
  made: number;
  /** Each change, in order. */
  log: ChangeMade[];
  byStream: ChangeCounts;
  /** Changes the simulator refused (each tried again with another draw). */
  refused: string[];
}

type Json = Record<string, any>;

/** Live records of a stream by project, for the active projects: what a change can be made to. */
class Pools {
  private pools = new Map<string, Map<number, Json[]>>();
  constructor(
    private sim: Changer,
    private activeProjects: Set<number>,
  ) {}

  /** The pool of `stream`: active records (to-dos: not done) of active projects, by project. */
  of(stream: string): Map<number, Json[]> {
    let pool = this.pools.get(stream);
    if (pool) return pool;
    pool = new Map();
    for (const r of this.sim.expectedRecords(stream) as Json[]) {
      if (!this.activeProjects.has(r.project_id) || (r.status !== undefined && r.status !== 'active') || r.completed === true) continue;
      const list = pool.get(r.project_id) ?? [];
      list.push(r);
      pool.set(r.project_id, list);
    }
    this.pools.set(stream, pool);
    return pool;
  }

  /** A record of one of `streams` in a random project holding any (taken out of its pool when `take`). */
  draw(rng: Rng, streams: string[], take: boolean): Json | undefined {
    const projects = new Set<number>();
    for (const s of streams) for (const [p, list] of this.of(s)) if (list.length) projects.add(p);
    if (!projects.size) return undefined;
    const project = rng.pick([...projects].sort((a, b) => a - b));
    const lists = streams.map((s) => this.of(s).get(project) ?? []).filter((l) => l.length);
    const list = rng.pick(lists);
    const i = Math.floor(rng.next() * list.length);
    const r = list[i]!;
    if (take) list.splice(i, 1);
    return r;
  }
}

/** A change kind drawn by weight from `mix`. */
function pickKind(rng: Rng, mix: readonly ChangeKind[]): ChangeKind {
  const total = mix.reduce((n, k) => n + k.weight, 0);
  let x = rng.next() * total;
  for (const k of mix) {
    x -= k.weight;
    if (x < 0) return k;
  }
  return mix[mix.length - 1]!;
}

/** Makes one change of `kind` to `r` (a new record under `r` for create). */
function apply(sim: Changer, kind: ChangeKind, r: Json): void {
  switch (kind.op) {
    case 'edit':
      return sim.update(kind.stream, r.id);
    case 'create':
      sim.create(kind.stream, { parentId: r.id });
      return;
    case 'complete':
      return sim.complete(kind.stream, r.id, r.creator?.id);
    case 'archive':
    case 'trash':
      return sim.setStatus(kind.stream, r.id, kind.op === 'archive' ? 'archived' : 'trashed');
  }
}

/** Makes `n` changes (fewer only when no kind has anything left to change). */
export function makeChanges(sim: Changer, n: number, seed: number): ChangesMade {
  const rng = new Rng(seed ^ 0x5eed_c4a9);
  const active = new Set((sim.expectedRecords('projects') as Json[]).filter((p) => p.status === 'active').map((p) => p.id as number));
  const pools = new Pools(sim, active);
  let mix = [...CHANGE_MIX];
  const out: ChangesMade = { made: 0, log: [], byStream: {}, refused: [] };
  while (out.made < n && mix.length) {
    const kind = pickKind(rng, mix);
    const r = pools.draw(rng, kind.parents ?? [kind.stream], kind.op !== 'create');
    if (!r) {
      mix = mix.filter((k) => k !== kind); // nothing left to change this way
      continue;
    }
    try {
      apply(sim, kind, r);
    } catch (err) {
      out.refused.push(`${kind.op} ${kind.stream} ${r.id}: ${(err as Error).message}`);
      if (out.refused.length > n) break;
      continue;
    }
    out.log.push({ kind, id: r.id, projectId: r.project_id });
    const counts = (out.byStream[kind.stream] ??= {});
    counts[kind.op] = (counts[kind.op] ?? 0) + 1;
    out.made++;
  }
  return out;
}

const PAST: Record<Op, string> = { edit: 'edited', create: 'created', complete: 'completed', archive: 'archived', trash: 'trashed' };

/** "todos: 12 edited, 8 created; comments: 5 created" (streams by name). */
export function describeChanges(byStream: ChangeCounts): string[] {
  return Object.keys(byStream)
    .sort()
    .map((stream) => {
      const counts = byStream[stream]!;
      const ops = (Object.keys(PAST) as Op[]).filter((op) => counts[op]).map((op) => `${counts[op]} ${PAST[op]}`);
      return `${stream}: ${ops.join(', ')}`;
    });
}

/**
 * The records whose changes the tap may leave to the full_refresh_hours window (per stream, their
 * ids): a change only its project's updated_at shows (ChangeKind.shownOnlyByProject), where that
 * does not reach the tap: every such change when changes do not move their project
 * (`projectsStay`), else those followed in the same project by a change a walk or the feed shows.
 */
export function leftToWindow(log: readonly ChangeMade[], projectsStay: boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  log.forEach((c, i) => {
    if (!c.kind.shownOnlyByProject) return;
    const masked = projectsStay || log.slice(i + 1).some((later) => later.projectId === c.projectId && !later.kind.shownOnlyByProject);
    if (!masked) return;
    const ids = out.get(c.kind.stream) ?? new Set<string>();
    out.set(c.kind.stream, ids.add(String(c.id)));
  });
  return out;
}
