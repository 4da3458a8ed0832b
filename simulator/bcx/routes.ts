/**
 * GET routes below /{accountId}/api/v1. Each handler returns one object or a list (rows plus
 * the builder that renders them, and the page size: 50 for the lists the docs call paginated,
 * null for /projects.json and /people.json, which answer everything on every page, and the
 * unknownListsPaginate reading for the lists the docs say nothing about). server.ts does the
 * HTTP side. Ids may carry a slug (`/people/149087659-jason-fried.json`): Rails reads the number.
 */
import { BCalendar, BcxReadings, BEvent, BGroup, BPerson, BProject, BRec, Bucket, RecKind } from './model';
import { DAY, localMidnight, sec } from './generate';
import { BcxRenderer } from './render';
import { BcxStore } from './store';
import { match } from '../routes';
import * as V from './views';

type Obj = Record<string, unknown>;
export type BcxResult =
  | { obj: Obj }
  | { list: () => unknown[]; render: (x: never) => Obj; pageSize: number | null }
  | { error: number; body: Obj };

export const PAGE_SIZE = 50;
const NOT_FOUND = null;

type Params = Record<string, number>;
type Handler = (p: Params, q: URLSearchParams) => BcxResult | null;

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
const byPos = (a: BRec, b: BRec) => a.pos - b.pos || a.id - b.id;

export class BcxRoutes {
  private routes: { segs: string[]; h: Handler }[] = [];

  constructor(private st: BcxStore, private r: BcxRenderer, readonly readings: BcxReadings) {
    this.define();
  }

  /** Resolve a path below /{accountId}/api/v1 (its segments). */
  resolve(segs: string[], q: URLSearchParams): BcxResult | null {
    // /people/me.json and /people/me/...: the caller.
    if (segs[0] === 'people' && (segs[1] === 'me' || segs[1] === 'me.json')) {
      segs = ['people', segs[1] === 'me' ? String(this.st.me.id) : `${this.st.me.id}.json`, ...segs.slice(2)];
    }
    for (const route of this.routes) {
      const params = match(route.segs, segs, true);
      if (params) return route.h(params, q);
    }
    return NOT_FOUND;
  }

  private on(pattern: string, h: Handler): void {
    this.routes.push({ segs: pattern.split('/'), h });
  }
  private get unknown(): number | null {
    return this.readings.unknownListsPaginate ? PAGE_SIZE : null;
  }
  private list<T>(rows: () => T[], render: (x: T) => Obj, pageSize: number | null): BcxResult {
    return { list: rows, render: render as (x: never) => Obj, pageSize };
  }

  // ---------- lookups ----------
  /** A project whose contents can be read (not trashed). */
  private open(id: number | undefined): BProject | null {
    const p = id === undefined ? undefined : this.st.project(id);
    return p && p.state !== 'trashed' ? p : null;
  }
  private cal(id: number | undefined): BCalendar | null {
    return (id === undefined ? undefined : this.st.calendar(id)) ?? null;
  }
  private person(id: number | undefined): BPerson | null {
    return (id === undefined ? undefined : this.st.person(id)) ?? null;
  }
  private recIn(b: Bucket | null, id: number | undefined, kind: RecKind): BRec | null {
    const rec = id === undefined ? undefined : this.st.rec(id);
    return b && rec && rec.kind === kind && rec.bucket === b ? rec : null;
  }
  private one(b: Bucket | null, id: number | undefined, kind: RecKind, render: (r: BRec) => Obj): BcxResult | null {
    const rec = this.recIn(b, id, kind);
    return rec ? { obj: render(rec) } : NOT_FOUND;
  }
  /** Projects the account-wide lists cover. */
  private activeProjects(): BProject[] {
    return this.st.projects.filter((p) => p.state === 'active' && p.kind !== 'template');
  }

  /** Routes are tried in the order they are defined: the first match answers. */
  private define(): void {
    this.defineProjectsAndPeople();
    this.defineGroupsAndTopics();
    this.defineTodos();
    this.defineFiles();
    this.defineCalendarsAndEvents();
  }

  /** Projects, stars and people. */
  private defineProjectsAndPeople(): void {
    const st = this.st;
    const r = this.r;
    /** pageSize null: the whole list on every page. */
    const all = null;
    // ----- projects -----
    const projects = (ok: (p: BProject) => boolean) => () => st.projects.filter(ok).sort(byId);
    this.on('projects.json', () => this.list(projects((p) => p.kind === 'project' && p.state === 'active'), (p) => r.projectItem(p), all));
    this.on('projects/archived.json', () => this.list(projects((p) => p.kind === 'project' && p.state === 'archived'), (p) => r.projectItem(p), PAGE_SIZE));
    this.on('projects/drafts.json', () => this.list(projects((p) => p.kind === 'draft' && p.state !== 'trashed'), (p) => r.projectItem(p), this.unknown));
    this.on('project_templates.json', () => this.list(projects((p) => p.kind === 'template' && p.state !== 'trashed'), (p) => r.projectItem(p), this.unknown));
    this.on('projects/:id.json', (p) => {
      const pr = p.id === undefined ? undefined : st.project(p.id);
      return pr ? { obj: r.project(pr) } : NOT_FOUND;
    });
    this.on('stars.json', () => this.list(projects((p) => p.starred && p.state === 'active'), (p) => r.star(p), this.unknown));

    // ----- people -----
    this.on('people.json', () => this.list(() => st.people.filter((x) => !x.trashed), (x) => r.personItem(x), all));
    this.on('people/trashed.json', () => this.list(() => st.people.filter((x) => x.trashed), (x) => r.personItem(x), this.unknown));
    this.on('people/:id.json', (p) => {
      const person = this.person(p.id);
      return person ? { obj: r.person(person) } : NOT_FOUND;
    });
    this.on('people/:id/projects.json', (p) => {
      const person = this.person(p.id);
      if (!person) return NOT_FOUND;
      return this.list(projects((x) => x.hasAccess(person)), (x) => r.projectItem(x, false), this.unknown);
    });
    this.on('people/:id/events.json', (p, q) => {
      const person = this.person(p.id);
      return person ? this.events(q, (e) => e.creator === person && st.listed(e.bucket), 'person') : NOT_FOUND;
    });
    this.on('people/:id/assigned_todos.json', (p, q) => {
      const person = this.person(p.id);
      if (!person) return NOT_FOUND;
      const since = dateParam(q.get('due_since'));
      if (since === undefined) return { error: 400, body: { error: 'due_since must be a date (YYYY-MM-DD)' } };
      return this.list(() => {
        const byList = new Map<BRec, BRec[]>();
        for (const t of V.assignedOpenTodos(st, person)) {
          if (since !== null && (t.t2 === 0 || t.t2 < since)) continue;
          const l = t.parent as BRec;
          let ts = byList.get(l);
          if (!ts) byList.set(l, (ts = []));
          ts.push(t);
        }
        return [...byList.entries()].sort((a, b) => byId(a[0], b[0])).map(([l, ts]) => [l, ts.sort(byPos)] as const);
      }, ([l, ts]) => r.assignedList(l, [...ts]), this.unknown);
    });
  }

  /** Groups, accesses, topics and messages. */
  private defineGroupsAndTopics(): void {
    const st = this.st;
    const r = this.r;
    // ----- groups -----
    this.on('groups.json', () => this.list(() => st.groups, (g) => r.groupItem(g), this.unknown));
    this.on('groups/:id.json', (p) => {
      const g = p.id === undefined ? undefined : st.group(p.id);
      return g && !g.parent ? { obj: r.group(g) } : NOT_FOUND;
    });
    this.on('groups/:gid/subgroups/:id.json', (p) => {
      const g = p.id === undefined ? undefined : st.group(p.id);
      return g && g.parent && g.parent.id === p.gid ? { obj: r.subgroup(g as BGroup) } : NOT_FOUND;
    });

    // ----- accesses -----
    this.on('projects/:pid/accesses.json', (p) => {
      const pr = this.open(p.pid);
      return pr ? this.list(() => V.accessList(pr), (x) => r.accessItem(x), PAGE_SIZE) : NOT_FOUND;
    });
    this.on('calendars/:cid/accesses.json', (p) => {
      const c = this.cal(p.cid);
      return c ? this.list(() => V.accessList(c), (x) => r.accessItem(x), PAGE_SIZE) : NOT_FOUND;
    });

    // ----- topics -----
    const topicSort = (q: URLSearchParams, rows: BRec[]) => (q.get('sort') === 'oldest' ? rows.reverse() : rows);
    for (const archived of [false, true]) {
      const suffix = archived ? '/archived' : '';
      this.on(`projects/:pid/topics${suffix}.json`, (p, q) => {
        const pr = this.open(p.pid);
        return pr ? this.list(() => topicSort(q, V.topicables(pr, archived)), (x) => r.topic(x), PAGE_SIZE) : NOT_FOUND;
      });
      this.on(`topics${suffix}.json`, (_p, q) =>
        this.list(() => {
          const rows = this.activeProjects().flatMap((pr) => V.topicables(pr, archived));
          rows.sort((a, b) => V.topicUpdated(b) - V.topicUpdated(a) || b.topicId - a.topicId);
          return topicSort(q, rows);
        }, (x) => r.topic(x, true), PAGE_SIZE),
      );
    }

    // ----- messages -----
    this.on('projects/:pid/messages/:id.json', (p) => this.one(this.open(p.pid), p.id, 'message', (x) => r.message(x)));
  }

  /** To-do lists and to-dos. */
  private defineTodos(): void {
    const r = this.r;
    // ----- to-do lists and to-dos -----
    const lists = (pr: BProject, state: V.ListState) => pr.recs.filter((x) => x.kind === 'todolist' && V.listState(x) === state).sort(byPos);
    for (const state of ['active', 'completed', 'trashed'] as const) {
      const suffix = state === 'active' ? '' : `/${state}`;
      this.on(`projects/:pid/todolists${suffix}.json`, (p) => {
        const pr = this.open(p.pid);
        return pr ? this.list(() => lists(pr, state), (x) => r.todolistItem(x), this.unknown) : NOT_FOUND;
      });
      this.on(`todolists${suffix}.json`, () => this.list(() => this.activeProjects().flatMap((pr) => lists(pr, state)), (x) => r.todolistItem(x, true), this.unknown));
    }
    this.on('projects/:pid/todolists/:id.json', (p, q) =>
      this.one(this.open(p.pid), p.id, 'todolist', (x) => r.todolist(x, q.get('exclude_todos') === 'true' ? false : undefined)),
    );
    const todoLists: Record<string, (l: BRec) => BRec[]> = {
      todos: (l) => { const t = V.listTodos(l); return [...t.remaining, ...t.completed]; },
      'todos/remaining': (l) => V.listTodos(l).remaining,
      'todos/completed': (l) => V.listTodos(l).completed,
      'todos/trashed': (l) => V.listTodos(l).trashed,
    };
    for (const [path, pick] of Object.entries(todoLists)) {
      this.on(`projects/:pid/todolists/:id/${path}.json`, (p) => {
        const l = this.recIn(this.open(p.pid), p.id, 'todolist');
        return l ? this.list(() => pick(l), (x) => r.todoItem(x), this.unknown) : NOT_FOUND;
      });
      if (path === 'todos/trashed') continue;
      this.on(`projects/:pid/${path}.json`, (p, q) => {
        const pr = this.open(p.pid);
        if (!pr) return NOT_FOUND;
        const since = dateParam(q.get('due_since'));
        if (since === undefined) return { error: 400, body: { error: 'due_since must be a date (YYYY-MM-DD)' } };
        return this.list(() => {
          const out: BRec[] = [];
          for (const l of pr.recs) if (l.kind === 'todolist' && !l.trashed) out.push(...pick(l));
          return since === null ? out : out.filter((t) => t.t2 !== 0 && t.t2 >= since);
        }, (x) => r.todoItem(x), this.unknown);
      });
    }
    this.on('projects/:pid/todos/:id.json', (p) => this.one(this.open(p.pid), p.id, 'todo', (x) => r.todo(x)));
  }

  /** Documents, attachments, uploads and forwards. */
  private defineFiles(): void {
    const st = this.st;
    const r = this.r;
    // ----- documents -----
    const docSort = (q: URLSearchParams) => {
      const s = q.get('sort');
      if (s === 'oldest') return (a: BRec, b: BRec) => a.updated - b.updated || a.id - b.id;
      if (s === 'az' || s === 'za') return (a: BRec, b: BRec) => (s === 'az' ? 1 : -1) * (r.title(a).localeCompare(r.title(b)) || a.id - b.id);
      return (a: BRec, b: BRec) => b.updated - a.updated || b.id - a.id;
    };
    this.on('projects/:pid/documents.json', (p, q) => {
      const pr = this.open(p.pid);
      return pr ? this.list(() => V.rows(pr, 'document').sort(docSort(q)), (x) => r.documentItem(x), this.unknown) : NOT_FOUND;
    });
    this.on('documents.json', (_p, q) => this.list(() => this.activeProjects().flatMap((pr) => V.rows(pr, 'document')).sort(docSort(q)), (x) => r.documentItem(x, true), this.unknown));
    this.on('projects/:pid/documents/:id.json', (p) => this.one(this.open(p.pid), p.id, 'document', (x) => r.document(x)));

    // ----- attachments and uploads -----
    this.on('projects/:pid/attachments.json', (p, q) => {
      const pr = this.open(p.pid);
      return pr ? this.list(() => sortAttachments(V.attachments(pr), q, r), (a) => r.attachment(a), PAGE_SIZE) : NOT_FOUND;
    });
    this.on('attachments.json', (_p, q) => this.list(() => sortAttachments(this.activeProjects().flatMap((pr) => V.attachments(pr)), q, r), (a) => r.attachment(a), PAGE_SIZE));
    this.on('projects/:pid/attachments/:id.json', (p) => {
      const pr = this.open(p.pid);
      const a = p.id === undefined ? undefined : st.attachment(p.id);
      return pr && a && a.project === pr ? { obj: r.attachment(a) } : NOT_FOUND;
    });
    this.on('projects/:pid/uploads/:id.json', (p) => this.one(this.open(p.pid), p.id, 'upload', (x) => r.upload(x)));

    // ----- forwards -----
    this.on('projects/:pid/forwards.json', (p, q) => {
      const pr = this.open(p.pid);
      return pr ? this.list(() => V.rows(pr, 'forward').sort(docSort(q)), (x) => r.forwardItem(x), this.unknown) : NOT_FOUND;
    });
    this.on('forwards.json', (_p, q) => this.list(() => this.activeProjects().flatMap((pr) => V.rows(pr, 'forward')).sort(docSort(q)), (x) => r.forwardItem(x, true), this.unknown));
    this.on('projects/:pid/forwards/:id.json', (p) => this.one(this.open(p.pid), p.id, 'forward', (x) => r.forward(x)));
  }

  /** Calendars, calendar events and the events of the history. */
  private defineCalendarsAndEvents(): void {
    const st = this.st;
    const r = this.r;
    // ----- calendars and calendar events -----
    this.on('calendars.json', () =>
      this.list(() => [...st.calendars].sort((a, b) => r.calendarName(a).localeCompare(r.calendarName(b)) || a.id - b.id), (c) => r.calendarItem(c), this.unknown),
    );
    this.on('calendars/:cid.json', (p) => {
      const c = this.cal(p.cid);
      return c ? { obj: r.calendar(c) } : NOT_FOUND;
    });
    const eventLists = (prefix: string, bucket: (p: Params) => Bucket | null) => {
      this.on(`${prefix}/calendar_events.json`, (p, q) => {
        const b = bucket(p);
        if (!b) return NOT_FOUND;
        if (q.has('start_date')) return this.window([b], q);
        return this.list(() => V.calendarEvents(b, false, st.clock), (x) => r.calendarEventItem(x), this.unknown);
      });
      this.on(`${prefix}/calendar_events/past.json`, (p) => {
        const b = bucket(p);
        return b ? this.list(() => V.calendarEvents(b, true, st.clock), (x) => r.calendarEventItem(x), this.unknown) : NOT_FOUND;
      });
      this.on(`${prefix}/calendar_events/:id.json`, (p) => this.one(bucket(p), p.id, 'calendar_event', (x) => r.calendarEvent(x)));
    };
    eventLists('projects/:pid', (p) => this.open(p.pid));
    eventLists('calendars/:cid', (p) => this.cal(p.cid));
    this.on('calendar_events.json', (_p, q) => {
      if (!q.has('start_date')) return { error: 400, body: { error: 'start_date is required' } };
      return this.window([...this.activeProjects(), ...st.calendars], q);
    });

    // ----- events -----
    this.on('events.json', (_p, q) => this.events(q, (e) => st.listed(e.bucket), 'account'));
    this.on('projects/:pid/events.json', (p, q) => {
      const pr = this.open(p.pid);
      return pr ? this.events(q, (e) => e.bucket === pr, 'project') : NOT_FOUND;
    });
  }


  /** Events created at or after `since`, newest first, 50 a page. */
  private events(q: URLSearchParams, ok: (e: BEvent) => boolean, form: 'account' | 'project' | 'person'): BcxResult {
    let since = -Infinity;
    const raw = q.get('since');
    if (raw !== null) {
      // An unescaped + in the offset arrives as a space.
      since = Date.parse(raw.trim().replace(/ (\d\d:?\d\d)$/, '+$1'));
      if (Number.isNaN(since)) return { error: 400, body: { error: 'since must be an ISO 8601 date-time' } };
    }
    const evs = this.st.events;
    return this.list(() => {
      const out: BEvent[] = [];
      for (let i = evs.length - 1; i >= 0; i--) {
        const e = evs[i] as BEvent;
        if (sec(e.created) < since) break;
        if (ok(e)) out.push(e);
      }
      return out;
    }, (e) => this.r.event(e, form), PAGE_SIZE);
  }

  /** A start_date window: events and expanded recurrences in [start_date, end_date] (six weeks by default). */
  private window(buckets: Bucket[], q: URLSearchParams): BcxResult {
    const start = dateParam(q.get('start_date'));
    const end = dateParam(q.get('end_date'));
    if (start === undefined || start === null || end === undefined) return { error: 400, body: { error: 'start_date and end_date must be dates (YYYY-MM-DD)' } };
    const to = end === null ? start + 42 * DAY : Math.min(end, start + 42 * DAY) + DAY;
    return this.list(() => {
      const out: { e: BRec; n: number; start: number }[] = [];
      for (const b of buckets) for (const e of V.rows(b, 'calendar_event')) for (const o of V.occurrences(e, start, to)) out.push({ e, ...o });
      return out.sort((a, b) => a.start - b.start || a.e.id - b.e.id || a.n - b.n);
    }, (x) => (x.n === 0 ? this.r.calendarEventItem(x.e) : this.r.recurrence(x.e, x.n, x.start)), PAGE_SIZE);
  }
}

/** A YYYY-MM-DD parameter: its local midnight, null when absent, undefined when malformed. */
function dateParam(v: string | null): number | null | undefined {
  if (v === null || v === '') return null;
  if (!/^\d{4}-\d\d-\d\d$/.test(v)) return undefined;
  const t = Date.parse(`${v}T12:00:00Z`);
  return Number.isNaN(t) ? undefined : localMidnight(t);
}

function sortAttachments<T extends { id: number; created: number; linked: boolean; seed: number }>(rows: T[], q: URLSearchParams, r: BcxRenderer): T[] {
  const s = q.get('sort');
  const name = (a: T) => String(r.attachment(a as never).name);
  const size = (a: T) => Number(r.attachment(a as never).byte_size);
  if (s === 'oldest') return rows.sort((a, b) => a.created - b.created || a.id - b.id);
  if (s === 'az' || s === 'za') return rows.sort((a, b) => (s === 'az' ? 1 : -1) * (name(a).localeCompare(name(b)) || a.id - b.id));
  if (s === 'biggest' || s === 'smallest') return rows.sort((a, b) => (s === 'smallest' ? 1 : -1) * (size(a) - size(b) || a.id - b.id));
  return rows.sort((a, b) => b.created - a.created || b.id - a.id);
}


