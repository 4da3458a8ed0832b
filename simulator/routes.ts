/**
 * API routes below /:accountId. Each handler returns either one object or a list
 * (filtered and sorted rows plus the builder that renders them); server.ts does the
 * HTTP side (auth, pagination, ETags, caching). Bucket-scoped aliases
 * (/buckets/:b/...) are accepted wherever Basecamp's own URLs use them.
 */
import { serveFeed } from './feed';
import { F, Kind, Project, Rec, Status } from './model';
import { Renderer } from './render';
import { DEFAULT_READINGS, Readings } from './readings';
import { Store } from './store';
import { renderHill, renderVersion, versionRows } from './versions';
import { eventRows, RecordingEvent, renderBoosts, renderRecordingEvent } from './history';

type Obj = Record<string, unknown>;
export type Result = { obj: Obj; headers?: Record<string, string> } | { list: () => unknown[]; render: (x: never) => Obj } | { error: number; body: Obj };

const NOT_FOUND = null;

/** `type` values of /projects/recordings.json. */
export const RECORDING_TYPES: Record<string, Kind> = {
  Comment: 'comment',
  Document: 'document',
  Door: 'door',
  'Kanban::Card': 'card',
  'Kanban::Step': 'step',
  Message: 'message',
  'Question::Answer': 'answer',
  'Schedule::Entry': 'schedule_entry',
  Todo: 'todo',
  Todolist: 'todolist',
  Upload: 'upload',
  Vault: 'vault',
};

/**
 * The `status` parameter, on the lists whose documentation offers it (projects, templates,
 * to-do lists, groups, to-dos, schedule entries, recordings). Every other list answers its
 * active records whatever the query says, as Rails ignores a parameter an action does not read.
 */
function statusParam(q: URLSearchParams): Status {
  const s = q.get('status');
  return s === 'archived' || s === 'trashed' ? s : 'active';
}
const byPos = (a: Rec, b: Rec) => a.pos - b.pos || a.id - b.id;
const byCreatedAsc = (a: { created: number; id: number }, b: { created: number; id: number }) => a.created - b.created || a.id - b.id;
const byCreatedDesc = (a: { created: number; id: number }, b: { created: number; id: number }) => b.created - a.created || b.id - a.id;

/** sort=created_at|updated_at & direction=asc|desc, with a default direction. */
function sorter(q: URLSearchParams, defaultDir: 'asc' | 'desc'): (a: Rec, b: Rec) => number {
  const field = q.get('sort') === 'updated_at' ? 'updated' : 'created';
  const dir = q.get('direction') === 'asc' ? 1 : q.get('direction') === 'desc' ? -1 : defaultDir === 'asc' ? 1 : -1;
  return (a, b) => dir * (a[field] - b[field] || a.id - b.id);
}
function childrenOf(r: Rec, kind: Kind, status: Status): Rec[] {
  const out: Rec[] = [];
  if (r.children) for (const c of r.children) if (c.kind === kind && c.status === status) out.push(c);
  return out;
}

type Handler = (p: Record<string, number>, q: URLSearchParams, bucket: number | null) => Result | null;
interface Route {
  segs: string[];
  bucket: 'optional' | 'required' | 'none';
  h: Handler;
}

export { DEFAULT_READINGS };
export type { Readings };

const pos = () => byPos;
const asc = () => byCreatedAsc;
const desc = () => byCreatedDesc;

export class Routes {
  private routes: Route[] = [];

  constructor(
    private st: Store,
    private r: Renderer,
    readonly readings: Readings = DEFAULT_READINGS,
    /** The key feed positions are signed with. */
    private feedSecret = 'simulator-feed',
  ) {
    this.define();
  }

  /** Resolve a path below the account (segments after /:accountId). */
  resolve(segs: string[], q: URLSearchParams): Result | null {
    let bucket: number | null = null;
    let rest = segs;
    if (segs[0] === 'buckets' && segs.length >= 3 && /^\d+$/.test(segs[1] ?? '')) {
      bucket = Number(segs[1]);
      rest = segs.slice(2);
    }
    for (const route of this.routes) {
      if (route.bucket === 'none' && bucket !== null) continue;
      if (route.bucket === 'required' && bucket === null) continue;
      const params = match(route.segs, rest);
      if (params) return route.h(params, q, bucket);
    }
    return NOT_FOUND;
  }

  private on(pattern: string, bucket: Route['bucket'], h: Handler): void {
    this.routes.push({ segs: pattern.split('/'), bucket, h });
  }

  /** A recording of one of `kinds`, in `bucket` when the URL names one. */
  private get(id: number | undefined, kinds: Kind[], bucket: number | null): Rec | null {
    const rec = id === undefined ? undefined : this.st.rec(id);
    if (!rec || !kinds.includes(rec.kind)) return null;
    if (bucket !== null && rec.project.id !== bucket) return null;
    return rec;
  }
  private one(id: number | undefined, kinds: Kind[], bucket: number | null): Result | null {
    const rec = this.get(id, kinds, bucket);
    return rec ? { obj: this.r.rec(rec) } : NOT_FOUND;
  }
  private recs(list: () => Rec[]): Result {
    return { list, render: ((x: Rec) => this.r.rec(x)) as (x: never) => Obj };
  }
  /** List children of a parent recording in order: active ones, or by `status` where the list takes it. */
  private children(parentKinds: Kind[], kind: Kind, order: (q: URLSearchParams) => (a: Rec, b: Rec) => number, takesStatus = false): Handler {
    return (p, q, b) => {
      const parent = this.get(p.id, parentKinds, b);
      if (!parent) return NOT_FOUND;
      const status = takesStatus ? statusParam(q) : 'active';
      return this.recs(() => childrenOf(parent, kind, status).sort(order(q)));
    };
  }
  private project(id: number | undefined): Project | null {
    return id === undefined ? null : (this.st.project(id) ?? null);
  }

  /** Routes are tried in the order they are defined: the first match answers. */
  private define(): void {
    this.defineAccount();
    this.defineProjectTools();
    this.defineWork();
    this.defineInboxes();
    this.defineClientsAndCards();
  }

  /** The account, its projects, people, templates, recordings and reports. */
  private defineAccount(): void {
    const st = this.st;
    const r = this.r;
    // ----- account-level -----
    this.on('account.json', 'none', () => ({ obj: r.account() }));
    this.on('projects.json', 'none', (_p, q) => ({
      list: () => st.projects.filter((x) => x.status === statusParam(q)).sort(byCreatedDesc),
      render: ((x: Project) => r.project(x, true)) as (x: never) => Obj,
    }));
    this.on('projects/:id.json', 'none', (p) => {
      const pr = this.project(p.id);
      return pr ? { obj: r.project(pr, false) } : NOT_FOUND;
    });
    this.on('people.json', 'none', () => ({ list: () => st.people, render: ((x) => r.personObj(x)) as (x: never) => Obj }));
    this.on('people/:id.json', 'none', (p) => {
      const person = p.id === undefined ? undefined : st.person(p.id);
      return person ? { obj: r.personObj(person) } : NOT_FOUND;
    });
    this.on('projects/:id/people.json', 'none', (p) => {
      const pr = this.project(p.id);
      return pr ? { list: () => [...pr.members].sort((a, b) => a.id - b.id), render: ((x) => r.personObj(x)) as (x: never) => Obj } : NOT_FOUND;
    });
    this.on('templates.json', 'none', (_p, q) => ({
      list: () => st.templates.filter((x) => x.status === statusParam(q)).sort(byCreatedDesc),
      render: ((x: Project) => r.template(x)) as (x: never) => Obj,
    }));
    this.on('templates/:id.json', 'none', (p) => {
      const t = p.id === undefined ? undefined : st.template(p.id);
      return t ? { obj: r.template(t) } : NOT_FOUND;
    });
    this.on('projects/recordings.json', 'none', (_p, q) => this.recordings(q));
    this.on('lineup/markers.json', 'none', () => ({ list: () => st.markers, render: ((x) => r.marker(x)) as (x: never) => Obj }));
    this.on('reports/progress.json', 'none', () => ({
      list: () => st.events.filter((e) => e.project.status !== 'trashed').sort(byCreatedDesc),
      render: ((x) => r.event(x)) as (x: never) => Obj,
    }));
    this.on('events.json', 'none', (_p, q) => this.events(q));
    this.on('projects/:id/timeline.json', 'none', (p) => {
      const pr = this.project(p.id);
      return pr ? { list: () => [...pr.events].sort(byCreatedDesc), render: ((x) => r.event(x)) as (x: never) => Obj } : NOT_FOUND;
    });
  }

  /** Gauges and timesheets (/projects/:id/... URLs), campfires and the message board. */
  private defineProjectTools(): void {
    const st = this.st;
    const r = this.r;
    // ----- gauges and timesheets (/projects/:id/... URLs) -----
    this.on('projects/:id/gauge.json', 'none', (p) => {
      const g = this.project(p.id)?.gauge;
      return g ? { obj: r.rec(g) } : NOT_FOUND;
    });
    this.on('projects/:id/gauge/needles.json', 'none', (p) => {
      const pr = this.project(p.id);
      if (!pr) return NOT_FOUND;
      return this.recs(() => (pr.gauge ? childrenOf(pr.gauge, 'needle', 'active').sort(byCreatedDesc) : []));
    });
    this.on('projects/:pid/gauge/needles/:id.json', 'none', (p) => this.inProject(p, ['needle']));
    this.on('gauge_needles/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['needle'], b));
    this.on('projects/:id/timesheet.json', 'none', (p) => {
      const pr = this.project(p.id);
      if (!pr) return NOT_FOUND;
      return this.recs(() => pr.timesheet.filter((e) => e.status === 'active').sort(byCreatedDesc));
    });
    this.on('projects/:pid/timesheet/entries/:id.json', 'none', (p) => this.inProject(p, ['timesheet_entry']));
    this.on('timesheet_entries/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['timesheet_entry'], b));

    // ----- campfires -----
    this.on('chats.json', 'none', () =>
      this.recs(() => {
        const out: Rec[] = [];
        const listed = (pr: Project) => pr.status === 'active' || (this.readings.chatsListArchived && pr.status === 'archived');
        for (const pr of st.projects) if (listed(pr)) for (const t of pr.dock) if (t.kind === 'chat' && t.has(F.enabled)) out.push(t);
        return out.sort((a, b) => a.id - b.id);
      }),
    );
    this.on('chats/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['chat'], b));
    this.on(
      'chats/:id/lines.json',
      'optional',
      this.children(['chat'], 'line', (q) => sorter(q, 'asc')),
    );
    this.on('chats/:chat/lines/:id.json', 'optional', (p, _q, b) => {
      const line = this.get(p.id, ['line'], b);
      return line && line.parent?.id === p.chat ? { obj: r.rec(line) } : NOT_FOUND;
    });

    // ----- message board -----
    this.on('message_boards/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['message_board'], b));
    this.on(
      'message_boards/:id/messages.json',
      'optional',
      this.children(['message_board'], 'message', (q) => sorter(q, 'desc')),
    );
    this.on('messages/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['message'], b));
    this.on('categories.json', 'required', (_p, _q, b) => {
      const pr = this.project(b ?? undefined);
      return pr ? { list: () => pr.categories, render: ((x) => r.category(x)) as (x: never) => Obj } : NOT_FOUND;
    });
    this.on('categories/:id.json', 'required', (p, _q, b) => {
      const c = p.id === undefined ? undefined : st.category(p.id);
      return c && c.project.id === b ? { obj: r.category(c) } : NOT_FOUND;
    });
  }

  /** To-dos, the schedule, docs & files and comments. */
  private defineWork(): void {
    const st = this.st;
    // ----- to-dos -----
    this.on('todosets/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['todoset'], b));
    this.on('todosets/:id/todolists.json', 'optional', this.children(['todoset'], 'todolist', pos, true));
    this.on('todosets/:id/hill.json', 'optional', (p, _q, b) => {
      const set = this.get(p.id, ['todoset'], b);
      return set ? { obj: renderHill(this.r, set) } : NOT_FOUND;
    });
    this.on('todolists/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['todolist', 'group'], b));
    this.on('todolists/:id/groups.json', 'optional', this.children(['todolist'], 'group', pos, true));
    this.on('todolists/:id/todos.json', 'optional', (p, q, b) => {
      const list = this.get(p.id, ['todolist', 'group'], b);
      if (!list) return NOT_FOUND;
      // Default: active, not completed. completed=true: active and completed.
      // status=archived|trashed: those, completed or not.
      const s = statusParam(q);
      const completed = q.get('completed') === 'true';
      return this.recs(() =>
        childrenOf(list, 'todo', s)
          .filter((t) => s !== 'active' || t.has(F.completed) === completed)
          .sort(byPos),
      );
    });
    this.on('todos/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['todo'], b));

    // ----- schedule -----
    this.on('schedules/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['schedule'], b));
    this.on(
      'schedules/:id/entries.json',
      'optional',
      this.children(['schedule'], 'schedule_entry', () => (a, b) => a.extra2 - b.extra2 || a.id - b.id, true),
    );
    this.on('schedule_entries/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['schedule_entry'], b));

    // ----- docs & files -----
    this.on('vaults/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['vault'], b));
    this.on('vaults/:id/vaults.json', 'optional', this.children(['vault'], 'vault', pos));
    this.on('vaults/:id/documents.json', 'optional', this.children(['vault'], 'document', pos));
    this.on('vaults/:id/uploads.json', 'optional', this.children(['vault'], 'upload', pos));
    this.on('documents/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['document'], b));
    this.on('uploads/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['upload'], b));
    this.on('google_documents/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['google_document'], b));
    this.on('cloud_files/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['cloud_file'], b));
    this.on('uploads/:id/versions.json', 'optional', (p, _q, b) => {
      const upload = this.get(p.id, ['upload'], b);
      if (!upload) return NOT_FOUND;
      type Row = ReturnType<typeof versionRows>[number];
      return { list: () => versionRows(st, upload), render: ((x: Row) => renderVersion(this.r, x.upload, x.v, x.current)) as (x: never) => Obj };
    });

    // ----- comments -----
    this.on('recordings/:id/comments.json', 'optional', (p, _q, b) => {
      const parent = p.id === undefined ? undefined : st.rec(p.id);
      if (!parent || (b !== null && parent.project.id !== b)) return NOT_FOUND;
      return this.recs(() => childrenOf(parent, 'comment', 'active').sort(byCreatedAsc));
    });
    this.on('comments/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['comment'], b));

    // ----- a recording's own history and boosts (simulator/history.ts) -----
    this.on('recordings/:id/events.json', 'optional', (p, _q, b) => {
      const rec = p.id === undefined ? undefined : st.rec(p.id);
      if (!rec || (b !== null && rec.project.id !== b)) return NOT_FOUND;
      return { list: () => eventRows(st, rec), render: ((e: RecordingEvent) => renderRecordingEvent(this.r, rec, e)) as (x: never) => Obj };
    });
    this.on('recordings/:id/boosts.json', 'optional', (p, _q, b) => {
      const rec = p.id === undefined ? undefined : st.rec(p.id);
      if (!rec || (b !== null && rec.project.id !== b)) return NOT_FOUND;
      return { list: () => renderBoosts(this.r, rec), render: ((o: Obj) => o) as (x: never) => Obj };
    });
  }

  /** Check-ins and email forwards. */
  private defineInboxes(): void {
    const r = this.r;
    // ----- check-ins -----
    this.on('questionnaires/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['questionnaire'], b));
    this.on('questionnaires/:id/questions.json', 'optional', this.children(['questionnaire'], 'question', pos));
    this.on('questions/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['question'], b));
    this.on('questions/:id/answers.json', 'optional', this.children(['question'], 'answer', desc));
    this.on('question_answers/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['answer'], b));

    // ----- email forwards -----
    this.on('inboxes/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['inbox'], b));
    this.on(
      'inboxes/:id/inbox_forwards.json',
      'optional',
      this.children(['inbox'], 'forward', (q) => sorter(q, 'desc')),
    );
    this.on(
      'inboxes/:id/forwards.json',
      'optional',
      this.children(['inbox'], 'forward', (q) => sorter(q, 'desc')),
    );
    this.on('inbox_forwards/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['forward'], b));
    this.on('inbox_forwards/:id/replies.json', 'optional', this.children(['forward'], 'inbox_reply', asc));
    this.on('inbox_forwards/:fwd/replies/:id.json', 'optional', (p, _q, b) => {
      const reply = this.get(p.id, ['inbox_reply'], b);
      return reply && reply.parent?.id === p.fwd ? { obj: r.rec(reply) } : NOT_FOUND;
    });
    this.on('inbox_replies/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['inbox_reply'], b));
  }

  /** The clientside and card tables. */
  private defineClientsAndCards(): void {
    const r = this.r;
    // ----- clients (the list routes exist only bucket-scoped) -----
    const clientList =
      (kind: Kind): Handler =>
      (_p, q, b) => {
        const pr = this.project(b ?? undefined);
        if (!pr) return NOT_FOUND;
        const board = pr.clientBoard;
        return this.recs(() => (board ? childrenOf(board, kind, 'active').sort(sorter(q, 'desc')) : []));
      };
    this.on('client/approvals.json', 'required', clientList('approval'));
    this.on('client/correspondences.json', 'required', clientList('correspondence'));
    this.on('client/recordings/:id/replies.json', 'required', this.children(['approval', 'correspondence'], 'client_reply', asc));
    this.on('client/recordings/:rec/replies/:id.json', 'required', (p, _q, b) => {
      const reply = this.get(p.id, ['client_reply'], b);
      return reply && reply.parent?.id === p.rec ? { obj: r.rec(reply) } : NOT_FOUND;
    });
    this.on('client/approvals/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['approval'], b));
    this.on('client/correspondences/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['correspondence'], b));
    this.on('client/replies/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['client_reply'], b));

    // ----- card tables -----
    this.on('card_tables/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['kanban_board'], b));
    this.on('card_tables/columns/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['column'], b));
    this.on('card_tables/lists/:id/cards.json', 'optional', (p, q, b) => {
      const res = this.children(['column'], 'card', pos)(p, q, b);
      return res && 'list' in res ? { list: res.list, render: ((x: Rec) => r.cardListItem(x)) as (x: never) => Obj } : res;
    });
    this.on('card_tables/cards/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['card'], b));
    this.on('card_tables/steps/:id.json', 'optional', (p, _q, b) => this.one(p.id, ['step'], b));
  }

  /** The event feed, or the 403 / 404 of an account that does not serve it. */
  private events(q: URLSearchParams): Result | null {
    if (this.readings.eventFeed === 'missing') return NOT_FOUND;
    if (this.readings.eventFeed === 'forbidden') return { error: 403, body: { status: 403, error: 'Forbidden' } };
    const answer = serveFeed(this.st.feed, { base: this.r.base, accountId: this.r.accountId, secret: this.feedSecret }, q);
    return answer.status === 200 ? { obj: answer.body, headers: answer.headers } : { error: answer.status, body: answer.body };
  }

  private inProject(p: Record<string, number>, kinds: Kind[]): Result | null {
    const rec = this.get(p.id, kinds, null);
    return rec && rec.project.id === p.pid ? { obj: this.r.rec(rec) } : NOT_FOUND;
  }

  /** /projects/recordings.json: one type across active projects (or the named ones). */
  private recordings(q: URLSearchParams): Result {
    const type = q.get('type');
    const kind = type ? RECORDING_TYPES[type] : undefined;
    if (!kind) return { error: 400, body: { error: `type is required and must be one of: ${Object.keys(RECORDING_TYPES).join(', ')}` } };
    let buckets: Set<number> | null = null;
    const b = q.get('bucket');
    // Only links, and only under the reading that says so, are served for a named archived project.
    const archivedToo = kind === 'door' && this.readings.doorsBucketCoversArchived;
    if (b) {
      buckets = new Set();
      for (const part of b.split(',')) {
        const pr = /^\d+$/.test(part.trim()) ? this.st.project(Number(part.trim())) : undefined;
        if (!pr || !(pr.status === 'active' || (archivedToo && pr.status === 'archived'))) return { error: 404, body: { status: 404, error: 'Not Found' } };
        buckets.add(pr.id);
      }
    }
    const status = statusParam(q);
    const kinds: Kind[] = kind === 'todolist' && this.readings.groupsInRecordings ? ['todolist', 'group'] : [kind];
    return this.recs(() => {
      const out: Rec[] = [];
      for (const k of kinds) {
        for (const rec of this.st.kind(k)) {
          const pr = rec.project;
          if (rec.status !== status || pr.isTemplate) continue;
          if (buckets ? !buckets.has(pr.id) : pr.status !== 'active') continue;
          // A root vault is listed when its Docs & Files tool is on the dock (and the reading says so).
          if (kind === 'vault' && !rec.parent && (!this.readings.rootVaultsInRecordings || !rec.has(F.enabled))) continue;
          out.push(rec);
        }
      }
      return out.sort(sorter(q, 'desc'));
    });
  }
}

const ID_SEGMENT = {
  plain: { bare: /^(\d+)$/, json: /^(\d+)\.json$/ },
  slug: { bare: /^(\d+)(?:-[^/]*)?$/, json: /^(\d+)(?:-[^/]*)?\.json$/ },
};

/**
 * Match path segments against a pattern; ":x" and ":x.json" capture numeric ids. With `slugs`,
 * an id may carry a slug (Basecamp 2's /people/149087659-jason-fried.json).
 */
export function match(pattern: string[], segs: string[], slugs = false): Record<string, number> | null {
  if (pattern.length !== segs.length) return null;
  const params: Record<string, number> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segs[i] as string;
    if (p.startsWith(':')) {
      const json = p.endsWith('.json');
      const name = json ? p.slice(1, -5) : p.slice(1);
      const m = ID_SEGMENT[slugs ? 'slug' : 'plain'][json ? 'json' : 'bare'].exec(s);
      if (!m) return null;
      params[name] = Number(m[1]);
    } else if (p !== s) return null;
  }
  return params;
}
