/**
 * What every part of the account generator shares: the PRNG, the store, the content context of
 * a project and the helpers that draw times, statuses and counts and add a recording.
 */
import { Kind, Person, Project, Rec, Status, ToolKind } from './model';
import { Rng } from './rng';
import { ID_BASE, Store } from './store';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Projects: 1 in 6 archived, 1 in 12 trashed; the first ten give 7 active, 2 archived, 1 trashed. */
export const PROJECT_STATUS_CYCLE: Status[] = [
  'active',
  'active',
  'archived',
  'active',
  'active',
  'trashed',
  'active',
  'active',
  'archived',
  'active',
  'active',
  'active',
];
/** Recordings: every kind shows all three statuses from its fifth record on. */
export const REC_STATUS_CYCLE: Status[] = ['active', 'archived', 'active', 'active', 'trashed', 'active', 'active', 'active'];
export const TOOL_TITLES: Record<ToolKind, string> = {
  message_board: 'Message Board',
  todoset: 'To-dos',
  vault: 'Docs & Files',
  chat: 'Chat',
  schedule: 'Schedule',
  questionnaire: 'Automatic Check-ins',
  inbox: 'Email Forwards',
  kanban_board: 'Card Table',
};
export const COMMENTABLE = new Set<Kind>([
  'message',
  'todo',
  'todolist',
  'document',
  'upload',
  'schedule_entry',
  'answer',
  'card',
  'needle',
  'google_document',
  'cloud_file',
]);

/** The tools every dock starts with (the rest are enabled at random more rarely). */
export const CORE_TOOLS = new Set<ToolKind>(['message_board', 'todoset', 'vault', 'chat', 'schedule']);
/** Docks of the first projects, fixed so that every shape shows up in a small account. */
export const DOCK_OVERRIDES: Record<number, Partial<Record<ToolKind, boolean>>> = {
  1: { kanban_board: true },
  2: { questionnaire: false, inbox: false },
  3: { todoset: true },
  4: { chat: false, schedule: false },
};
/** Basecamp allows several card tables / to-do sets in one project: a second one, after the first. */
export const SECOND_TOOL: Record<number, { kind: ToolKind; title: string }> = {
  1: { kind: 'kanban_board', title: 'Roadmap 🗺️' },
  3: { kind: 'todoset', title: 'Client to-dos' },
};

export interface Ctx {
  p: Project;
  lo: number; // earliest time for content
  hi: number; // latest time for content
  B: number; // record budget of this project
  creators: Person[]; // members who write things
  commentables: Rec[];
  comments: Rec[];
}

export class GeneratorBase {
  protected rng: Rng;
  protected st = new Store();
  private statusCounters = new Map<Kind, number>();

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  protected get owner(): Person {
    return this.st.people[0] as Person;
  }
  // ---------- helpers ----------
  protected time(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.next() * Math.max(1, hi - lo));
  }
  /** Many records are never edited; the rest were edited within a month of creation. */
  protected updatedAfter(created: number, hi: number): number {
    if (this.rng.chance(0.55)) return created;
    const max = Math.max(created, Math.min(hi, created + 30 * DAY));
    return created + Math.floor(this.rng.next() * (max - created));
  }
  protected recStatus(kind: Kind): Status {
    const n = this.statusCounters.get(kind) ?? 0;
    this.statusCounters.set(kind, n + 1);
    return REC_STATUS_CYCLE[n % REC_STATUS_CYCLE.length] as Status;
  }
  /** Stochastic rounding keeps totals close to the budget when B*x is small. */
  protected q(c: Ctx, x: number, min = 0): number {
    const v = c.B * x;
    const n = Math.floor(v) + (this.rng.chance(v - Math.floor(v)) ? 1 : 0);
    return Math.max(min, n);
  }
  protected mk(
    c: Ctx,
    kind: Kind,
    parent: Rec | null,
    created: number,
    o: { status?: Status; pos?: number; flags?: number; extra?: number; extra2?: number; creator?: Person; updated?: number } = {},
  ): Rec {
    const st = this.st;
    const creator = o.creator ?? this.rng.pick(c.creators);
    const updated = o.updated ?? this.updatedAfter(created, c.hi);
    const r = new Rec(
      st.id('recording'),
      kind,
      c.p,
      parent,
      creator,
      created,
      updated,
      o.status ?? this.recStatus(kind),
      this.rng.u32(),
      o.pos ?? 0,
      o.flags ?? 0,
      o.extra ?? 0,
      o.extra2 ?? 0,
    );
    st.addRec(r);
    if (updated > c.p.updated) c.p.updated = updated;
    if (COMMENTABLE.has(kind)) c.commentables.push(r);
    else if (kind === 'comment') c.comments.push(r);
    return r;
  }
  protected touch(r: Rec, t: number): void {
    if (t > r.updated) r.updated = t;
  }
}

/** Index of a person in Store.people (ids are handed out in order). */
export function pidx(p: Person): number {
  return p.id - ID_BASE.person;
}
