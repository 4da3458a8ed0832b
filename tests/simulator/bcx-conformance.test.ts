/**
 * The Basecamp 2 account's payloads have the keys of the bcx API docs' examples
 * (../shared/fixtures/bcx-api, beside the repository): for every endpoints.tsv row with an
 * example file, the simulator's answer for that path (real ids substituted) has every key of
 * the example and no other, recursively (nested objects key for key; arrays by the union of
 * their items' keys, where a row names two example files, by the union of both). Values are
 * not compared. A short allow-list names the documented deviations, each with its reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Simulator, startSimulator } from '../../simulator';
import { Shape, endpointRows, shapeDiff, shapeOf } from '../helpers/shapes';
import { tokenFor } from '../helpers/simulator-http';

jest.setTimeout(60_000);

type Json = Record<string, any>;

const FIXTURES = path.join(__dirname, '../../../shared/fixtures/bcx-api');
const HAVE_FIXTURES = fs.existsSync(path.join(FIXTURES, 'endpoints.tsv'));
const UA = 'simulator bcx conformance tests (test@example.com)';

// ------------------------------------------------------------------ key shapes

/**
 * Documented deviations: [documented path, example file, key path, missing or extra, why].
 * Key paths write array steps as `[]`. Anything else is a difference to fix.
 */
const ALLOWED: Array<[RegExp, RegExp, RegExp, 'missing' | 'extra', string]> = [
  // The issue: comments are embedded in the to-do show too (the docs' example shows none).
  [/^\/projects\/1\/todos\/1\.json$/, /^GET_projects_1_todos_1\.json$/, /^\$\.comments$/, 'extra', 'comments embedded in the to-do show'],
  // Every comment has an id (the tap keys comments by id); the document example's comment has none.
  [/./, /^GET_projects_1_documents_1\.json$/, /^\$\.comments\[\]\.id$/, 'extra', 'every comment has an id'],
  // One comment shape everywhere: attachments[] as the calendar-event, forward and upload examples
  // and fragments/message_comments.json show it; the message, list and document examples omit it.
  [/./, /^GET_projects_1_(messages|todolists|documents)_1\.json$/, /^\$\.comments\[\]\.attachments$/, 'extra', 'comments carry attachments[]'],
  // The docs show the project form for all three event lists; the account-wide and person forms
  // carry bucket, and the person form has no creator (as the docs say).
  [/^\/(events|people\/1\/events)\.json/, /^GET_projects_1_events\.json$/, /^\$\[\]\.bucket$/, 'extra', 'bucket outside the project form'],
  [/^\/people\/1\/events\.json/, /^GET_projects_1_events\.json$/, /^\$\[\]\.creator$/, 'missing', 'the person form omits creator'],
  // Only recurring events carry `recurring` (the example list has one); a list without one shows none.
  [/calendar_events(\/past)?\.json$/, /^GET_projects_1_calendar_events\.json$/, /^\$\[\]\.recurring$/, 'missing', 'no recurring event in this list'],
  // The example's completed and trashed to-dos are unassigned (assignee {}); assigned ones carry
  // the assignee as open ones do.
  [/./, /^GET_projects_1_todolists_1\.json$/, /^\$\.todos\.(completed|trashed)\[\]\.assignee\.(id|type|name)$/, 'extra', 'assigned completed to-dos'],
  // ?exclude_todos=true leaves the todos key out (the docs show no example of its own).
  [/exclude_todos=true$/, /^GET_projects_1_todolists_1\.json$/, /^\$\.todos$/, 'missing', 'exclude_todos=true'],
];

function allowed(docPath: string, file: string, where: string, kind: 'missing' | 'extra'): boolean {
  return ALLOWED.some(([p, f, w, k]) => k === kind && p.test(docPath) && f.test(file) && w.test(where));
}

function diff(file: string, docPath: string, ex: Shape, got: Shape, where: string, out: string[]): void {
  shapeDiff(ex, got, (at, kind) => allowed(docPath, file, at, kind), where, out);
}

// ------------------------------------------------------------------ documented endpoints

interface Row {
  path: string;
  files: string[];
  returns: string;
}

function rows(): Row[] {
  return endpointRows(FIXTURES).map((c) => ({ path: c.path as string, files: (c.example_file as string).trim().split(/\s+/), returns: c.returns as string }));
}

/** The example shape of a row: the union over its example files (a second file may be one list item). */
function exampleShape(r: Row): Shape {
  const shape: Shape = {};
  for (const f of r.files) {
    const v = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'examples', f), 'utf8')) as unknown;
    if (r.returns === 'list' && !Array.isArray(v)) shape.items = shapeOf(v, shape.items ?? {});
    else shapeOf(v, shape);
  }
  return shape;
}

/** Picks records of the generated account for the docs' example ids. */
class Picker {
  private memo = new Map<string, Json[]>();
  constructor(private sim: Simulator) {}
  recs(stream: string): Json[] {
    let r = this.memo.get(stream);
    if (!r) this.memo.set(stream, (r = this.sim.bcx.expectedRecords(stream) as Json[]));
    return r;
  }
  one(stream: string, ok: (r: Json) => boolean = () => true): Json {
    const r = this.recs(stream).find(ok);
    if (!r) throw new Error(`no bcx ${stream} record fits`);
    return r;
  }
  /** An active project (not a template or a draft) that passes ok. */
  project(ok: (p: Json) => boolean = () => true): Json {
    return this.one('projects', (p) => !p.archived && !p.trashed && !p.template && !p.draft && ok(p));
  }
  /** A non-recurring event that ended before the simulated now. */
  past(e: Json): boolean {
    const end = String(e.ends_at);
    const t = end.length === 10 ? Date.parse(`${end}T23:59:59-05:00`) : Date.parse(end);
    return e.recurring === undefined && t < this.sim.now().getTime();
  }
}

const day = (s: string) => s.slice(0, 10);
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A recurring calendar event whose start_date window shows its master and a recurrence. */
function windowFor(p: Picker, inBucket: (e: Json) => boolean): { bucket: string; start: string } {
  const e = p.one('calendar_events', (x) => inBucket(x) && x.recurring?.frequency === 'weekly' && x.trashed === false);
  const bucket = e.project_id !== undefined ? `projects/${e.project_id}` : `calendars/${e.calendar_id}`;
  return { bucket, start: day(e.starts_at) };
}

type Resolver = (p: Picker) => string;

/**
 * Documented paths and where the simulator serves them (below /{id}/api/v1). A path documented
 * with two examples of different records is keyed `path example_file`.
 */
const RESOLVERS: Record<string, Resolver> = {
  '/projects/1.json GET_projects_1.json': (p) => `/projects/${p.project().id}.json`,
  // The template example (GET /projects/1.json of a template).
  '/projects/1.json GET_projects_1_2.json': (p) => `/projects/${p.one('projects', (x) => x.template && !x.trashed).id}.json`,
  '/projects/1/accesses.json': (p) => `/projects/${p.project().id}/accesses.json`,
  '/calendars/1/accesses.json': (p) => `/calendars/${p.one('calendars').id}/accesses.json`,
  '/projects/1/attachments/1.json': (p) => {
    const a = p.one('attachments', (x) => x.key !== undefined);
    return `/projects/${a.project_id}/attachments/${a.id}.json`;
  },
  // The project with linked attachments, so both example files' keys show.
  '/projects/1/attachments.json': (p) => `/projects/${p.one('attachments', (x) => x.linked_source !== undefined).project_id}/attachments.json`,
  '/attachments.json': () => '/attachments.json',
  '/projects/1/calendar_events.json': (p) =>
    `/projects/${p.one('calendar_events', (e) => e.project_id !== undefined && !p.past(e)).project_id}/calendar_events.json`,
  '/calendars/1/calendar_events.json': (p) =>
    `/calendars/${p.one('calendar_events', (e) => e.calendar_id !== undefined && !p.past(e)).calendar_id}/calendar_events.json`,
  '/projects/1/calendar_events/past.json': (p) =>
    `/projects/${p.one('calendar_events', (e) => e.project_id !== undefined && p.past(e)).project_id}/calendar_events/past.json`,
  '/calendars/1/calendar_events/past.json': (p) =>
    `/calendars/${p.one('calendar_events', (e) => e.calendar_id !== undefined && p.past(e)).calendar_id}/calendar_events/past.json`,
  '/calendar_events.json?start_date=2014-07-10': (p) => `/calendar_events.json?start_date=${windowFor(p, (e) => e.project_id === p.project().id).start}`,
  '/projects/1/calendar_events.json?start_date=2014-07-10': (p) => {
    const w = windowFor(p, (e) => e.project_id !== undefined);
    return `/${w.bucket}/calendar_events.json?start_date=${w.start}`;
  },
  '/calendars/1/calendar_events.json?start_date=2014-07-10': (p) => {
    const w = windowFor(p, (e) => e.calendar_id !== undefined);
    return `/${w.bucket}/calendar_events.json?start_date=${w.start}`;
  },
  '/calendar_events.json?start_date=2014-07-10&end_date=2014-07-12': (p) => {
    const w = windowFor(p, (e) => e.project_id === p.project().id);
    return `/calendar_events.json?start_date=${w.start}&end_date=${plusDays(w.start, 40)}`;
  },
  '/projects/1/calendar_events.json?start_date=2014-07-10&end_date=2014-07-12': (p) => {
    const w = windowFor(p, (e) => e.project_id !== undefined);
    return `/${w.bucket}/calendar_events.json?start_date=${w.start}&end_date=${plusDays(w.start, 40)}`;
  },
  '/calendars/1/calendar_events.json?start_date=2014-07-10&end_date=2014-07-12': (p) => {
    const w = windowFor(p, (e) => e.calendar_id !== undefined);
    return `/${w.bucket}/calendar_events.json?start_date=${w.start}&end_date=${plusDays(w.start, 40)}`;
  },
  // The example event is a timed, non-recurring one with a comment.
  '/projects/1/calendar_events/1.json': (p) => {
    const e = p.one(
      'calendar_events',
      (x) => x.project_id !== undefined && !x.all_day && x.recurring === undefined && p.recs('comments').some((c) => c.commentable_id === x.id),
    );
    return `/projects/${e.project_id}/calendar_events/${e.id}.json`;
  },
  '/calendars/1/calendar_events/1.json': (p) => {
    const e = p.one(
      'calendar_events',
      (x) => x.calendar_id !== undefined && x.recurring === undefined && p.recs('comments').some((c) => c.commentable_id === x.id),
    );
    return `/calendars/${e.calendar_id}/calendar_events/${e.id}.json`;
  },
  '/calendars.json': () => '/calendars.json',
  '/calendars/1.json': (p) => `/calendars/${p.one('calendars').id}.json`,
  '/projects/1/documents.json': (p) => `/projects/${p.one('documents').project_id}/documents.json`,
  '/documents.json': () => '/documents.json',
  '/projects/1/documents/1.json': (p) => {
    const d = p.one('documents', (x) => p.recs('comments').some((c) => c.commentable_id === x.id));
    return `/projects/${d.project_id}/documents/${d.id}.json`;
  },
  '/projects/1/events.json?since=2012-03-24T11:00:00-06:00': (p) => `/projects/${p.project().id}/events.json?since=2012-03-24T11:00:00-06:00`,
  '/people/1/events.json?since=2012-03-24T11:00:00-06:00': (p) =>
    `/people/${p.one('people', (x) => x.events.count > 0 && !x.trashed).id}/events.json?since=2012-03-24T11:00:00-06:00`,
  '/events.json?since=2012-03-24T11:00:00-06:00': () => '/events.json?since=2012-03-24T11:00:00-06:00',
  '/projects/1/forwards.json': (p) => `/projects/${p.one('forwards').project_id}/forwards.json`,
  '/forwards.json': () => '/forwards.json',
  '/projects/1/forwards/1.json': (p) => {
    const f = p.one('forwards', (x) => x.attachments.length > 0 && p.recs('comments').some((c) => c.commentable_id === x.id));
    return `/projects/${f.project_id}/forwards/${f.id}.json`;
  },
  '/groups.json': () => '/groups.json',
  '/groups/1.json': (p) => `/groups/${p.one('groups', (g) => g.subgroups !== undefined).id}.json`,
  '/groups/1/subgroups/2.json': (p) => {
    const g = p.one('groups', (x) => x.subgroups !== undefined);
    return `/groups/${g.id}/subgroups/${g.subgroups[0].id}.json`;
  },
  '/projects/1/messages/1.json': (p) => {
    const m = p.one('messages', (x) => p.recs('comments').some((c) => c.commentable_id === x.id));
    return `/projects/${m.project_id}/messages/${m.id}.json`;
  },
  '/people.json': () => '/people.json',
  '/people/trashed.json': () => '/people/trashed.json',
  '/people/1.json': (p) => `/people/${p.one('people', (x) => !x.trashed).id}.json`,
  '/people/me.json': () => '/people/me.json',
  '/people/1/projects.json': () => '/people/me/projects.json',
  '/project_templates.json': () => '/project_templates.json',
  '/projects.json': () => '/projects.json',
  '/projects/drafts.json': () => '/projects/drafts.json',
  '/projects/archived.json': () => '/projects/archived.json',
  '/stars.json': () => '/stars.json',
  '/projects/1/todolists.json': (p) => `/projects/${p.project().id}/todolists.json`,
  '/projects/1/todolists/completed.json': (p) => `/projects/${p.one('todolists', (l) => l.completed && !l.trashed).project_id}/todolists/completed.json`,
  '/projects/1/todolists/trashed.json': (p) => `/projects/${p.one('todolists', (l) => l.trashed).project_id}/todolists/trashed.json`,
  '/todolists.json': () => '/todolists.json',
  '/todolists/completed.json': () => '/todolists/completed.json',
  '/todolists/trashed.json': () => '/todolists/trashed.json',
  '/people/1/assigned_todos.json': (p) => `/people/${p.one('people', (x) => x.assigned_todos.count > 0).id}/assigned_todos.json`,
  '/people/1/assigned_todos.json?due_since=2014-07-10': (p) =>
    `/people/${p.one('people', (x) => x.assigned_todos.count > 0).id}/assigned_todos.json?due_since=2014-07-10`,
  // The example list holds open (assigned and unassigned), completed and trashed to-dos.
  '/projects/1/todolists/1.json': (p) => listPath(p, ''),
  '/projects/1/todolists/1.json?exclude_todos=true': (p) => listPath(p, '?exclude_todos=true'),
  '/projects/1/todos.json': (p) => `/projects/${p.project().id}/todos.json`,
  '/projects/1/todos/completed.json': (p) => `/projects/${p.project().id}/todos/completed.json`,
  '/projects/1/todos/remaining.json': (p) => `/projects/${p.project().id}/todos/remaining.json`,
  '/projects/1/todos.json?due_since=2014-07-10': (p) => `/projects/${p.project().id}/todos.json?due_since=2014-07-10`,
  '/projects/1/todolists/1/todos.json': (p) => listPath(p, '/todos.json'),
  '/projects/1/todolists/1/todos/completed.json': (p) => listPath(p, '/todos/completed.json'),
  '/projects/1/todolists/1/todos/remaining.json': (p) => listPath(p, '/todos/remaining.json'),
  '/projects/1/todolists/1/todos/trashed.json': (p) => listPath(p, '/todos/trashed.json'),
  '/projects/1/todos/1.json': (p) => {
    const t = p.one('todos', (x) => x.assignee.id !== undefined && !x.trashed);
    return `/projects/${t.project_id}/todos/${t.id}.json`;
  },
  '/projects/1/topics.json': (p) => `/projects/${p.project().id}/topics.json`,
  '/projects/1/topics/archived.json': (p) => `/projects/${p.one('topics', archivedTopic).project_id}/topics/archived.json`,
  '/topics.json': () => '/topics.json',
  '/topics/archived.json': () => '/topics/archived.json',
  '/projects/1/uploads/2.json': (p) => {
    const u = p.one('uploads', (x) => p.recs('comments').some((c) => c.commentable_id === x.id));
    return `/projects/${u.project_id}/uploads/${u.id}.json`;
  },
};

function resolver(r: Row): Resolver | undefined {
  return RESOLVERS[`${r.path} ${r.files[0]}`] ?? RESOLVERS[r.path];
}

/** Topics of an archived list (marked in beforeAll: a topic record does not say). */
function archivedTopic(t: Json): boolean {
  return t.__archived === true;
}

function listPath(p: Picker, rest: string): string {
  const todos = p.recs('todos');
  const l = p.one('todolists', (x) => {
    const mine = todos.filter((t) => t.todolist_id === x.id);
    return (
      !x.trashed &&
      mine.some((t) => t.trashed) &&
      mine.some((t) => t.completed && !t.trashed) &&
      mine.some((t) => !t.completed && !t.trashed && t.assignee.id !== undefined)
    );
  });
  return `/projects/${l.project_id}/todolists/${l.id}${rest === '' || rest.startsWith('?') ? `.json${rest}` : rest}`;
}

// ------------------------------------------------------------------ HTTP

/** The object, or every page of a list (a page of fewer than 50 is the last; a repeated page means the list ignores page). */
async function fetchAll(url: string, token: string): Promise<unknown> {
  const out: unknown[] = [];
  let first = '';
  for (let page = 1; ; page++) {
    const u = new URL(url);
    if (page > 1) u.searchParams.set('page', String(page));
    const res = await fetch(u, { headers: { 'User-Agent': UA, Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${u.toString()}: HTTP ${res.status}`);
    const text = await res.text();
    const body = JSON.parse(text) as unknown;
    if (!Array.isArray(body)) return body;
    if (page === 1) first = text;
    else if (text === first) break;
    out.push(...body);
    if (body.length < 50) break;
  }
  return out;
}

// ------------------------------------------------------------------ tests

if (!HAVE_FIXTURES) {
  process.stderr.write(`bcx-conformance.test.ts: ${FIXTURES} is absent; skipping the bcx simulator's conformance with the API docs\n`);
  describe('bcx simulator payloads match the API docs examples', () => {
    it.skip(`skipped: ${FIXTURES} is absent (the bcx API docs' example payloads live beside the repository)`, () => undefined);
  });
} else {
  describe('bcx simulator payloads match the API docs examples', () => {
    let sim: Simulator;
    let token: string;
    let picker: Picker;

    beforeAll(async () => {
      sim = await startSimulator({ records: 100 });
      token = await tokenFor(sim);
      picker = new Picker(sim);
      // Topic records do not say whether they are archived: mark those of the archived lists.
      for (const p of picker.recs('projects').filter((x) => !x.trashed)) {
        const archived = (await fetchAll(`${sim.bcx.apiRoot}/projects/${p.id}/topics/archived.json`, token)) as Json[];
        const ids = new Set(archived.map((t) => t.id as number));
        for (const t of picker.recs('topics')) if (ids.has(t.id as number)) t.__archived = true;
      }
    });
    afterAll(async () => {
      await sim.stop();
    });

    const documented = rows();

    it('knows every documented endpoint with an example', () => {
      const unknown = documented.filter((r) => !resolver(r)).map((r) => r.path);
      expect(unknown).toEqual([]);
      expect(documented.length).toBeGreaterThan(60);
    });

    it.each(documented.map((r) => [r.path, r.files.join(' + '), r] as const))('GET %s has the keys of %s', async (docPath, _files, row) => {
      const target = (resolver(row) as Resolver)(picker);
      const url = `${sim.bcx.apiRoot}${target}`;
      const payload = await fetchAll(url, token);
      if (row.returns === 'list') {
        expect(Array.isArray(payload)).toBe(true);
        // An empty list shows no keys: every compared list holds something.
        if ((payload as unknown[]).length === 0) throw new Error(`${url} is empty: nothing to compare with ${row.files.join(', ')}`);
      }
      const problems: string[] = [];
      diff(row.files[0] as string, docPath, exampleShape(row), shapeOf(payload), '$', problems);
      if (problems.length > 0) throw new Error(`${url} differs from ${row.files.join(' + ')}:\n  ${problems.join('\n  ')}`);
    });

    it('every key of the recurring-event fragments shows in the simulator', async () => {
      const w = windowFor(picker, (e) => e.project_id !== undefined);
      const items = (await fetchAll(
        `${sim.bcx.apiRoot}/${w.bucket}/calendar_events.json?start_date=${w.start}&end_date=${plusDays(w.start, 40)}`,
        token,
      )) as Json[];
      const master = items.find((x) => x.recurring !== undefined);
      const recurrence = items.find((x) => x.recurrence !== undefined);
      const frag = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fragments', f), 'utf8')) as Json;
      const sim1 = [...Object.keys(master ?? {})].filter((k) => k !== 'comments_count').sort();
      expect(sim1).toEqual(Object.keys(frag('calendar_event_recurring.json')).sort());
      const sim2 = [...Object.keys(recurrence ?? {})].filter((k) => k !== 'comments_count').sort();
      expect(sim2).toEqual(Object.keys(frag('calendar_event_recurrence.json')).sort());
    });
  });
}
