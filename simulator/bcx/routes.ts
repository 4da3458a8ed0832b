/**
 * GET routes below /{accountId}/api/v1. Each handler returns one object or a list (rows plus
 * the builder that renders them, and the page size: 50 for the lists the docs call paginated,
 * null for /projects.json and /people.json, which answer everything on every page, and the
 * unknownListsPaginate reading for the lists the docs say nothing about). server.ts does the
 * HTTP side. Ids may carry a slug (`/people/149087659-jason-fried.json`): Rails reads the number.
 * The route tables live in routes-account.ts and routes-content.ts (calendars and events here);
 * routes-kit.ts holds what they share.
 */
import { BCalendar, BcxReadings, BEvent, BPerson, BProject, BRec, Bucket, RecKind } from './model';
import { DAY, sec } from './generate';
import { BcxRenderer } from './render';
import { defineGroups, definePeople, defineProjects, defineTopics } from './routes-account';
import { defineAttachments, defineDocumentsOrForwards, defineTodolists, defineTodos } from './routes-content';
import { BcxResult, BcxRouteKit, dateParam, Handler, NOT_FOUND, Obj, PAGE_SIZE, Params } from './routes-kit';
import { BcxStore } from './store';
import { match } from '../routes';
import * as V from './views';

export { PAGE_SIZE };
export type { BcxResult };

export class BcxRoutes implements BcxRouteKit {
  private routes: { segs: string[]; h: Handler }[] = [];

  constructor(
    readonly st: BcxStore,
    readonly r: BcxRenderer,
    readonly readings: BcxReadings,
  ) {
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

  on(pattern: string, h: Handler): void {
    this.routes.push({ segs: pattern.split('/'), h });
  }
  get unknown(): number | null {
    return this.readings.unknownListsPaginate ? PAGE_SIZE : null;
  }
  list<T>(rows: () => T[], render: (x: T) => Obj, pageSize: number | null): BcxResult {
    return { list: rows, render: render as (x: never) => Obj, pageSize };
  }

  // ---------- lookups ----------
  /** A project whose contents can be read (not trashed). */
  open(id: number | undefined): BProject | null {
    const p = id === undefined ? undefined : this.st.project(id);
    return p && p.state !== 'trashed' ? p : null;
  }
  cal(id: number | undefined): BCalendar | null {
    return (id === undefined ? undefined : this.st.calendar(id)) ?? null;
  }
  person(id: number | undefined): BPerson | null {
    return (id === undefined ? undefined : this.st.person(id)) ?? null;
  }
  recIn(b: Bucket | null, id: number | undefined, kind: RecKind): BRec | null {
    const rec = id === undefined ? undefined : this.st.rec(id);
    return b && rec && rec.kind === kind && rec.bucket === b ? rec : null;
  }
  one(b: Bucket | null, id: number | undefined, kind: RecKind, render: (r: BRec) => Obj): BcxResult | null {
    const rec = this.recIn(b, id, kind);
    return rec ? { obj: render(rec) } : NOT_FOUND;
  }
  /** Projects the account-wide lists cover. */
  activeProjects(): BProject[] {
    return this.st.projects.filter((p) => p.state === 'active' && p.kind !== 'template');
  }

  /** Routes are tried in the order they are defined: the first match answers. */
  private define(): void {
    defineProjects(this);
    definePeople(this);
    defineGroups(this);
    defineTopics(this);
    defineTodolists(this);
    defineTodos(this);
    defineDocumentsOrForwards(this, 'document');
    defineAttachments(this);
    defineDocumentsOrForwards(this, 'forward');
    this.defineCalendarsAndEvents();
  }

  /** Calendars, calendar events and the events of the history. */
  private defineCalendarsAndEvents(): void {
    const st = this.st;
    const r = this.r;
    // ----- calendars and calendar events -----
    this.on('calendars.json', () =>
      this.list(
        () => [...st.calendars].sort((a, b) => r.calendarName(a).localeCompare(r.calendarName(b)) || a.id - b.id),
        (c) => r.calendarItem(c),
        this.unknown,
      ),
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
        return this.list(
          () => V.calendarEvents(b, false, st.clock),
          (x) => r.calendarEventItem(x),
          this.unknown,
        );
      });
      this.on(`${prefix}/calendar_events/past.json`, (p) => {
        const b = bucket(p);
        return b
          ? this.list(
              () => V.calendarEvents(b, true, st.clock),
              (x) => r.calendarEventItem(x),
              this.unknown,
            )
          : NOT_FOUND;
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
  events(q: URLSearchParams, ok: (e: BEvent) => boolean, form: 'account' | 'project' | 'person'): BcxResult {
    let since = -Infinity;
    const raw = q.get('since');
    if (raw !== null) {
      // An unescaped + in the offset arrives as a space.
      since = Date.parse(raw.trim().replace(/ (\d\d:?\d\d)$/, '+$1'));
      if (Number.isNaN(since)) return { error: 400, body: { error: 'since must be an ISO 8601 date-time' } };
    }
    const evs = this.st.events;
    return this.list(
      () => {
        const out: BEvent[] = [];
        for (let i = evs.length - 1; i >= 0; i--) {
          const e = evs[i] as BEvent;
          if (sec(e.created) < since) break;
          if (ok(e)) out.push(e);
        }
        return out;
      },
      (e) => this.r.event(e, form),
      PAGE_SIZE,
    );
  }

  /** A start_date window: events and expanded recurrences in [start_date, end_date] (six weeks by default). */
  private window(buckets: Bucket[], q: URLSearchParams): BcxResult {
    const start = dateParam(q.get('start_date'));
    const end = dateParam(q.get('end_date'));
    if (start === undefined || start === null || end === undefined)
      return { error: 400, body: { error: 'start_date and end_date must be dates (YYYY-MM-DD)' } };
    const to = end === null ? start + 42 * DAY : Math.min(end, start + 42 * DAY) + DAY;
    return this.list(
      () => {
        const out: { e: BRec; n: number; start: number }[] = [];
        for (const b of buckets) for (const e of V.rows(b, 'calendar_event')) for (const o of V.occurrences(e, start, to)) out.push({ e, ...o });
        return out.sort((a, b) => a.start - b.start || a.e.id - b.e.id || a.n - b.n);
      },
      (x) => (x.n === 0 ? this.r.calendarEventItem(x.e) : this.r.recurrence(x.e, x.n, x.start)),
      PAGE_SIZE,
    );
  }
}
