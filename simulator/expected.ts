/**
 * expectedRecords(stream): exactly what a full sync must emit. Walks the account the
 * way the API exposes it (active and archived projects, enabled dock tools, the statuses
 * each list documents; see reached()), renders each record with the same builder the
 * endpoints use, then adds the tap's fields (project_id, person_id) and drops U+0000 from strings.
 */
import { renderFeedEvent } from './feed';
import { announced, LinkedKind, LINKED_STREAMS } from './linked';
import { F, Kind, Project, Rec } from './model';
import { Renderer, SHARED } from './render';
import { RECORDING_TYPES } from './routes';
import { Store } from './store';
import { renderHill, renderVersions } from './versions';
import { eventRows, renderBoosts, renderRecordingEvent } from './history';

type Obj = Record<string, unknown>;

/**
 * The streams a full sync of a Basecamp 3 account writes, in the catalog's order: what
 * expectedRecords(stream) answers for. Stated here, not read from the tap: a test holds the two
 * lists side by side.
 */
export const STREAMS = [
  'account',
  'projects',
  'people',
  'project_people',
  'templates',
  'campfires',
  'campfire_lines',
  'timeline_events',
  'timesheet_entries',
  'gauge_needles',
  'lineup_markers',
  'message_boards',
  'message_types',
  'messages',
  'todosets',
  'todolists',
  'todolist_groups',
  'todos',
  'schedules',
  'schedule_entries',
  'vaults',
  'documents',
  'uploads',
  'comments',
  'questionnaires',
  'questions',
  'question_answers',
  'inboxes',
  'inbox_forwards',
  'inbox_replies',
  'client_approvals',
  'client_correspondences',
  'client_replies',
  'card_tables',
  'card_table_columns',
  'card_table_cards',
  'card_table_steps',
  'attachments',
  'todo_steps',
  'external_links',
  'google_documents',
  'cloud_files',
  'upload_versions',
  'hill_charts',
  'events',
  'recording_events',
  'boosts',
] as const;
export type StreamName = (typeof STREAMS)[number];

/** Streams whose records Basecamp lets carry comments (their payloads count them: comments_count). */
export const COMMENTED: readonly StreamName[] = [
  'messages',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'documents',
  'uploads',
  'question_answers',
  'card_table_cards',
  'gauge_needles',
  'google_documents',
  'cloud_files',
];

/**
 * Streams whose records have rich text that can embed files: their content_attachments or
 * description_attachments list them, and the attachments stream holds every item of those.
 */
export const EMBEDDING: readonly StreamName[] = [
  'messages',
  'comments',
  'documents',
  'uploads',
  'question_answers',
  'inbox_forwards',
  'inbox_replies',
  'client_approvals',
  'client_correspondences',
  'client_replies',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'card_table_cards',
  'gauge_needles',
];
/** Streams a sync writes only when a catalog selects them (discovery leaves them unselected). */
export const OPT_IN_STREAMS = ['recording_events', 'boosts'] as const;
/** Streams read below another stream's records, whose payloads do not say which (see belowRecords). */
const BELOW_RECORDS = new Set<string>(['upload_versions', 'hill_charts']);
/** The streams whose records' own events and boosts a sync reads (opt-in streams). */
const HISTORY_OF = [
  'messages',
  'todolists',
  'todolist_groups',
  'todos',
  'schedule_entries',
  'documents',
  'uploads',
  'questions',
  'question_answers',
  'card_table_cards',
  'comments',
];

/** Kinds the recordings endpoint lists, in every status, for all active projects. */
const RECORDING_KINDS = new Set<Kind>(Object.values(RECORDING_TYPES));
/** Kinds whose own list takes `status` (the docs say so); other lists answer active records only. */
const STATUS_LISTED = new Set<Kind>(['todolist', 'group', 'todo', 'schedule_entry']);

function kids(r: Rec, kind: Kind): Rec[] {
  return r.children ? r.children.filter((c) => c.kind === kind) : [];
}

/** The children of `kind` of every root, then their children of the next kind, and so on, in order. */
function descend(roots: Rec[], ...kinds: Kind[]): Rec[] {
  return kinds.reduce((level, kind) => level.flatMap((r) => kids(r, kind)), roots);
}

/** A project's enabled dock tools of a kind. */
function tools(p: Project, kind: Kind): Rec[] {
  return p.dock.filter((t) => t.kind === kind && t.has(F.enabled));
}

/** A vault and every folder below it, each before its own folders (the dock's root vault is a Vault recording like its folders). */
function vaultTree(v: Rec): Rec[] {
  return [v, ...kids(v, 'vault').flatMap(vaultTree)];
}

/**
 * What a project holds of a project-scoped stream, reachable or not: its enabled tools for the
 * tools' own streams, and below them the records each tool holds.
 */
const WALKS: Partial<Record<StreamName, (p: Project) => Rec[]>> = {
  message_boards: (p) => tools(p, 'message_board'),
  todosets: (p) => tools(p, 'todoset'),
  schedules: (p) => tools(p, 'schedule'),
  questionnaires: (p) => tools(p, 'questionnaire'),
  inboxes: (p) => tools(p, 'inbox'),
  card_tables: (p) => tools(p, 'kanban_board'),
  campfires: (p) => tools(p, 'chat'),
  messages: (p) => descend(tools(p, 'message_board'), 'message'),
  todolists: (p) => descend(tools(p, 'todoset'), 'todolist'),
  todolist_groups: (p) => descend(tools(p, 'todoset'), 'todolist', 'group'),
  todos: (p) =>
    tools(p, 'todoset').flatMap((t) => [
      // To-dos straight under a to-do set are only reachable through the recordings
      // endpoint, which covers active projects only.
      ...(p.status === 'active' ? kids(t, 'todo') : []),
      ...kids(t, 'todolist').flatMap((l) => [...kids(l, 'todo'), ...descend(kids(l, 'group'), 'todo')]),
    ]),
  schedule_entries: (p) => descend(tools(p, 'schedule'), 'schedule_entry'),
  vaults: (p) => tools(p, 'vault').flatMap(vaultTree),
  documents: (p) => descend(tools(p, 'vault').flatMap(vaultTree), 'document'),
  uploads: (p) => descend(tools(p, 'vault').flatMap(vaultTree), 'upload'),
  questions: (p) => descend(tools(p, 'questionnaire'), 'question'),
  question_answers: (p) => descend(tools(p, 'questionnaire'), 'question', 'answer'),
  inbox_forwards: (p) => descend(tools(p, 'inbox'), 'forward'),
  inbox_replies: (p) => descend(tools(p, 'inbox'), 'forward', 'inbox_reply'),
  client_approvals: (p) => (p.clientBoard ? kids(p.clientBoard, 'approval') : []),
  client_correspondences: (p) => (p.clientBoard ? kids(p.clientBoard, 'correspondence') : []),
  client_replies: (p) => (p.clientBoard ? descend(p.clientBoard.children ?? [], 'client_reply') : []),
  card_table_columns: (p) => descend(tools(p, 'kanban_board'), 'column'),
  card_table_cards: (p) => descend(tools(p, 'kanban_board'), 'column', 'card'),
  card_table_steps: (p) => descend(tools(p, 'kanban_board'), 'column', 'card', 'step'),
  todo_steps: (p) => WALKS.todos!(p).flatMap((t) => kids(t, 'step')),
  campfire_lines: (p) => descend(tools(p, 'chat'), 'line'),
  gauge_needles: (p) => (p.gauge ? kids(p.gauge, 'needle') : []),
  // Only for the comments on them, which the recordings walk lists in active projects alone.
  google_documents: (p) => (p.status === 'active' ? descend(tools(p, 'vault').flatMap(vaultTree), 'google_document') : []),
  cloud_files: (p) => (p.status === 'active' ? descend(tools(p, 'vault').flatMap(vaultTree), 'cloud_file') : []),
  timesheet_entries: (p) => (p.timesheetEnabled ? p.timesheet : []),
};

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
  constructor(
    private st: Store,
    private r: Renderer,
    /** The reading doorsBucketCoversArchived: an archived project's links are reached through `bucket`. */
    private doorsInArchived = true,
    /** The reading eventFeed: the account serves its event feed (else the events stream is empty). */
    private feedServed = true,
  ) {}

  /** The event feed's served history (above its epoch), as since=0 replays it. */
  private feedEvents(): Obj[] {
    if (!this.feedServed) return [];
    return this.st.feed.events.filter((e) => e.id > this.st.feed.epoch).map(renderFeedEvent);
  }

  /** A project's links: in active projects the Door walk, in archived ones the same walk with `bucket`, where served. */
  private doors(p: Project): Rec[] {
    if (p.status === 'archived' && !this.doorsInArchived) return [];
    return this.st.kind('door').filter((d) => d.project === p);
  }

  /** Projects whose contents a full sync reaches: active and archived ones. */
  private synced(): Project[] {
    return this.st.projects.filter((p) => p.status !== 'trashed');
  }

  /**
   * Whether the documented API reaches a recording: anything the recordings endpoint lists
   * (its types, every status, in active projects); otherwise a record its parent's list
   * returns, which is an active one unless that list takes `status`. Steps come embedded in
   * their card or to-do whatever their status; a project's timesheet lists its active entries;
   * a project's links (no parent) come from the Door walk in every status (see doors()).
   */
  private reached(r: Rec): boolean {
    const p = r.project;
    if (p.status === 'trashed') return false;
    if (r.kind === 'timesheet_entry') return r.status === 'active';
    if (r.parent === null) return true; // dock tools, the client board, the gauge, links: read from the project
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
    if (stream === 'comments') return COMMENTED.flatMap((s) => this.walk(s)).flatMap((parent) => kids(parent, 'comment'));
    if (stream === 'external_links') return this.synced().flatMap((p) => this.doors(p));
    const walk = WALKS[stream];
    return walk ? this.synced().flatMap(walk) : [];
  }

  /** What is read below the records of another stream, with that record's id where the payload lacks it. */
  private belowRecords(stream: 'upload_versions' | 'hill_charts'): Obj[] {
    const r = this.r;
    if (stream === 'upload_versions') {
      // Every version of every upload a sync writes (those it reaches), with the upload's project.
      const out: Obj[] = this.recs('uploads').flatMap((u) => renderVersions(r, u).map((v) => ({ ...v, project_id: u.project.id })));
      return out.sort((a, b) => (a.id as number) - (b.id as number));
    }
    // One a reachable to-do set, keyed by it: the payload has no id.
    return this.recs('todosets')
      .map((t) => ({ ...renderHill(r, t), todoset_id: t.id, project_id: t.project.id }))
      .sort((a, b) => a.todoset_id - b.todoset_id);
  }

  /** Every event (or boost) of every recording of HISTORY_OF a sync writes, with its recording's id and project. */
  private history(stream: 'recording_events' | 'boosts'): Obj[] {
    const r = this.r;
    const out: Obj[] = [];
    for (const rec of HISTORY_OF.flatMap((s) => this.records(s))) {
      const x = this.st.rec(rec.id as number);
      if (!x) continue;
      const extra = { recording_id: x.id, project_id: x.project.id };
      if (stream === 'recording_events') out.push(...eventRows(this.st, x).map((e) => ({ ...renderRecordingEvent(r, x, e), ...extra })));
      else if (((rec.boosts_count as number | undefined) ?? 0) > 0) out.push(...renderBoosts(r, x).map((b) => ({ ...b, ...extra })));
    }
    return out.sort((a, b) => (a.id as number) - (b.id as number));
  }

  /** Every project's members, by project then person. */
  private memberships(): Obj[] {
    const out = this.synced().flatMap((p) => p.members.map((m) => ({ ...this.r.personObj(m), person_id: m.id, project_id: p.id })));
    return out.sort((a, b) => a.project_id - b.project_id || a.person_id - b.person_id);
  }

  /** Every file embedded in the rich text of a record of the streams that embed them, with that record's id, type and project. */
  private attachments(): Obj[] {
    return EMBEDDING.flatMap((s) => this.records(s)).flatMap((rec) =>
      [...((rec.content_attachments as Obj[] | undefined) ?? []), ...((rec.description_attachments as Obj[] | undefined) ?? [])].map((a) => ({
        ...a,
        recording_id: rec.id,
        recording_type: rec.type,
        project_id: rec.project_id,
      })),
    );
  }

  /** The streams whose records come in an order of their own (not by id): the feed's, those read below records. */
  private ownOrder(stream: string): Obj[] | undefined {
    if (stream === 'events') return this.feedEvents();
    if (BELOW_RECORDS.has(stream)) return this.belowRecords(stream as 'upload_versions' | 'hill_charts');
    if (stream === 'recording_events' || stream === 'boosts') return this.history(stream);
    return undefined;
  }

  records(stream: string): Obj[] {
    const clean = cleaner();
    const r = this.r;
    const st = this.st;
    let out: Obj[];
    const own = this.ownOrder(stream);
    if (own) return own.map(clean);
    switch (stream) {
      case 'account':
        out = [r.account()];
        break;
      case 'projects':
        out = st.projects.map((p) => r.project(p, true));
        break;
      case 'templates':
        out = st.templates.map((t) => r.template(t));
        break;
      case 'people':
        out = st.people.map((p) => r.personObj(p));
        break;
      case 'lineup_markers':
        out = st.markers.map((m) => r.marker(m));
        break;
      case 'timeline_events':
        out = st.events.filter((e) => e.project.status !== 'trashed').map((e) => r.event(e));
        break;
      case 'project_people':
        return this.memberships().map(clean);
      case 'attachments':
        out = this.attachments();
        break;
      case 'google_documents':
      case 'cloud_files':
        // Nothing lists them: those a timeline event announces, read from their own show.
        out = announced(st, LINKED_STREAMS[stream] as LinkedKind).map((x) => ({ ...r.rec(x), project_id: x.project.id }));
        break;
      case 'message_types':
        out = this.synced().flatMap((p) => p.categories.map((c) => ({ ...r.category(c), project_id: p.id })));
        break;
      default:
        if (!(STREAMS as readonly string[]).includes(stream)) throw new Error(`simulator: unknown stream ${stream}`);
        out = this.recs(stream as StreamName).map((x) => ({ ...r.rec(x), project_id: x.project.id }));
    }
    out.sort((a, b) => (a.id as number) - (b.id as number));
    return out.map(clean);
  }
}
