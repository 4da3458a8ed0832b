/**
 * expectedRecords(stream): exactly what a full sync must emit. Walks the account the
 * way the API exposes it (active and archived projects, enabled dock tools, the statuses
 * each list documents; see reached()), renders each record with the same builder the
 * endpoints use, then adds the tap's fields (project_id, person_id) and drops U+0000 from strings.
 */
import { F, Kind, Project, Rec } from './model';
import { Renderer, SHARED } from './render';
import { RECORDING_TYPES } from './routes';
import { Store } from './store';

type Obj = Record<string, unknown>;

/**
 * The streams a full sync of a Basecamp 3 account writes, in the catalog's order: what
 * expectedRecords(stream) answers for. Stated here, not read from the tap: a test holds the two
 * lists side by side.
 */
export const STREAMS = [
  'account', 'projects', 'people', 'project_people', 'templates', 'campfires', 'campfire_lines', 'timeline_events',
  'timesheet_entries', 'gauge_needles', 'lineup_markers', 'message_boards', 'message_types', 'messages', 'todosets',
  'todolists', 'todolist_groups', 'todos', 'schedules', 'schedule_entries', 'vaults', 'documents', 'uploads', 'comments',
  'questionnaires', 'questions', 'question_answers', 'inboxes', 'inbox_forwards', 'inbox_replies', 'client_approvals',
  'client_correspondences', 'client_replies', 'card_tables', 'card_table_columns', 'card_table_cards', 'card_table_steps',
] as const;
export type StreamName = (typeof STREAMS)[number];

const TOOL_STREAM: Partial<Record<StreamName, Kind>> = {
  message_boards: 'message_board', todosets: 'todoset', schedules: 'schedule', questionnaires: 'questionnaire',
  inboxes: 'inbox', card_tables: 'kanban_board', campfires: 'chat',
};
/** Streams whose records Basecamp lets carry comments (their payloads count them: comments_count). */
export const COMMENTED: readonly StreamName[] = [
  'messages', 'todolists', 'todolist_groups', 'todos', 'schedule_entries', 'documents', 'uploads', 'question_answers', 'card_table_cards', 'gauge_needles',
];

/** Kinds the recordings endpoint lists, in every status, for all active projects. */
const RECORDING_KINDS = new Set<Kind>(Object.values(RECORDING_TYPES));
/** Kinds whose own list takes `status` (the docs say so); other lists answer active records only. */
const STATUS_LISTED = new Set<Kind>(['todolist', 'group', 'todo', 'schedule_entry']);

function kids(r: Rec, kind: Kind): Rec[] {
  return r.children ? r.children.filter((c) => c.kind === kind) : [];
}

/**
 * Deep copy without U+0000 (the tap strips it: Postgres text cannot hold it). A copy,
 * because rendered records share cached objects (people, bucket stubs); within one
 * expectedRecords() result those shared parts are copied once and shared again,
 * which keeps a million-record call affordable. Treat the records as read-only.
 */
function cleaner(): <T>(v: T) => T {
  const memo = new Map<object, unknown>();
  const clean = <T>(v: T): T => {
    if (typeof v === 'string') return (v.includes('\u0000') ? v.split('\u0000').join('') : v) as T;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(clean) as T;
    const shared = SHARED.has(v as object);
    if (shared) {
      const hit = memo.get(v as object);
      if (hit) return hit as T;
    }
    const src = v as Obj;
    const o: Obj = {};
    for (const k in src) o[k] = clean(src[k]);
    if (shared) memo.set(v as object, o);
    return o as T;
  };
  return clean;
}

export class Expected {
  constructor(private st: Store, private r: Renderer) {}

  /** Projects whose contents a full sync reaches: active and archived ones. */
  private synced(): Project[] {
    return this.st.projects.filter((p) => p.status !== 'trashed');
  }
  private tools(p: Project, kind: Kind): Rec[] {
    return p.dock.filter((t) => t.kind === kind && t.has(F.enabled));
  }

  /**
   * Whether the documented API reaches a recording: anything the recordings endpoint lists
   * (its types, every status, in active projects); otherwise a record its parent's list
   * returns, which is an active one unless that list takes `status`. Steps come embedded in
   * their card whatever their status; a project's timesheet lists its active entries.
   */
  private reached(r: Rec): boolean {
    const p = r.project;
    if (p.status === 'trashed') return false;
    if (r.kind === 'timesheet_entry') return r.status === 'active';
    if (r.parent === null) return true; // dock tools, the client board, the gauge: read from the project
    if (p.status === 'active' && RECORDING_KINDS.has(r.kind)) return true;
    if (r.kind !== 'step' && r.status !== 'active' && !STATUS_LISTED.has(r.kind)) return false;
    return this.reached(r.parent);
  }

  /** Recordings of a project-scoped stream that a full sync reaches, unrendered. */
  recs(stream: StreamName): Rec[] {
    return this.walk(stream).filter((r) => this.reached(r));
  }

  /** Every recording of a project-scoped stream under enabled tools of live projects, reachable or not. */
  private walk(stream: StreamName): Rec[] {
    const out: Rec[] = [];
    const toolKind = TOOL_STREAM[stream];
    for (const p of this.synced()) {
      if (toolKind) {
        out.push(...this.tools(p, toolKind));
        continue;
      }
      switch (stream) {
        case 'messages': for (const b of this.tools(p, 'message_board')) out.push(...kids(b, 'message')); break;
        case 'todolists': for (const t of this.tools(p, 'todoset')) out.push(...kids(t, 'todolist')); break;
        case 'todolist_groups': for (const t of this.tools(p, 'todoset')) for (const l of kids(t, 'todolist')) out.push(...kids(l, 'group')); break;
        case 'todos':
          for (const t of this.tools(p, 'todoset')) {
            // To-dos straight under a to-do set are only reachable through the recordings
            // endpoint, which covers active projects only.
            if (p.status === 'active') out.push(...kids(t, 'todo'));
            for (const l of kids(t, 'todolist')) {
              out.push(...kids(l, 'todo'));
              for (const g of kids(l, 'group')) out.push(...kids(g, 'todo'));
            }
          }
          break;
        case 'schedule_entries': for (const s of this.tools(p, 'schedule')) out.push(...kids(s, 'schedule_entry')); break;
        case 'vaults': case 'documents': case 'uploads': {
          const want: Kind = stream === 'vaults' ? 'vault' : stream === 'documents' ? 'document' : 'upload';
          // The dock's root vault is a Vault recording like its folders: a vaults record too.
          const walk = (v: Rec) => {
            if (want === 'vault') out.push(v);
            else out.push(...kids(v, want));
            for (const c of kids(v, 'vault')) walk(c);
          };
          for (const v of this.tools(p, 'vault')) walk(v);
          break;
        }
        case 'questions': for (const q of this.tools(p, 'questionnaire')) out.push(...kids(q, 'question')); break;
        case 'question_answers': for (const q of this.tools(p, 'questionnaire')) for (const x of kids(q, 'question')) out.push(...kids(x, 'answer')); break;
        case 'inbox_forwards': for (const i of this.tools(p, 'inbox')) out.push(...kids(i, 'forward')); break;
        case 'inbox_replies': for (const i of this.tools(p, 'inbox')) for (const f of kids(i, 'forward')) out.push(...kids(f, 'inbox_reply')); break;
        case 'client_approvals': if (p.clientBoard) out.push(...kids(p.clientBoard, 'approval')); break;
        case 'client_correspondences': if (p.clientBoard) out.push(...kids(p.clientBoard, 'correspondence')); break;
        case 'client_replies':
          if (p.clientBoard) for (const x of p.clientBoard.children ?? []) out.push(...kids(x, 'client_reply'));
          break;
        case 'card_table_columns': for (const b of this.tools(p, 'kanban_board')) out.push(...kids(b, 'column')); break;
        case 'card_table_cards': for (const b of this.tools(p, 'kanban_board')) for (const c of kids(b, 'column')) out.push(...kids(c, 'card')); break;
        case 'card_table_steps':
          for (const b of this.tools(p, 'kanban_board')) for (const c of kids(b, 'column')) for (const card of kids(c, 'card')) out.push(...kids(card, 'step'));
          break;
        case 'campfire_lines': for (const c of this.tools(p, 'chat')) out.push(...kids(c, 'line')); break;
        case 'gauge_needles': if (p.gauge) out.push(...kids(p.gauge, 'needle')); break;
        case 'timesheet_entries': if (p.timesheetEnabled) out.push(...p.timesheet); break;
        default: break;
      }
    }
    if (stream === 'comments') {
      for (const s of COMMENTED) for (const parent of this.walk(s)) out.push(...kids(parent, 'comment'));
    }
    return out;
  }

  records(stream: string): Obj[] {
    const clean = cleaner();
    const r = this.r;
    const st = this.st;
    let out: Obj[];
    switch (stream) {
      case 'account': out = [r.account()]; break;
      case 'projects': out = st.projects.map((p) => r.project(p, true)); break;
      case 'templates': out = st.templates.map((t) => r.template(t)); break;
      case 'people': out = st.people.map((p) => r.personObj(p)); break;
      case 'lineup_markers': out = st.markers.map((m) => r.marker(m)); break;
      case 'timeline_events': out = st.events.filter((e) => e.project.status !== 'trashed').map((e) => r.event(e)); break;
      case 'project_people':
        out = [];
        for (const p of this.synced()) for (const m of p.members) out.push({ ...r.personObj(m), person_id: m.id, project_id: p.id });
        out.sort((a, b) => (a.project_id as number) - (b.project_id as number) || (a.id as number) - (b.id as number));
        return out.map(clean);
      case 'message_types':
        out = [];
        for (const p of this.synced()) for (const c of p.categories) out.push({ ...r.category(c), project_id: p.id });
        break;
      default:
        if (!(STREAMS as readonly string[]).includes(stream)) throw new Error(`simulator: unknown stream ${stream}`);
        out = this.recs(stream as StreamName).map((x) => ({ ...r.rec(x), project_id: x.project.id }));
    }
    out.sort((a, b) => (a.id as number) - (b.id as number));
    return out.map(clean);
  }
}
