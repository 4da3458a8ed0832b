/**
 * Tests of the simulator's Basecamp 2 ("bcx") account that need no fixtures: the account's
 * make-up, HTTP behaviour (routing below /{id}/api/v1, auth, User-Agent, paging, ETags, rate
 * limit, faults), the readings switches, the events list, the mutations, Launchpad listing
 * both accounts, and that expectedRecords is exactly what a crawl of the API returns.
 */
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator';
import { tokenFor } from '../helpers/simulator-http';

jest.setTimeout(60_000);

type Json = Record<string, any>;
interface Res {
  status: number;
  headers: Headers;
  body: any;
}

const UA = 'simulator bcx tests (test@example.com)';
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.000)?-05:00$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

/** GET below the bcx API root (or a full URL). */
async function get(sim: Simulator, pathOrUrl: string, token: string | null, headers: Record<string, string> = {}): Promise<Res> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.bcx.apiRoot}${pathOrUrl}`;
  const h: Record<string, string> = { 'User-Agent': UA, ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers: h });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
async function ok(sim: Simulator, p: string, token: string): Promise<any> {
  const r = await get(sim, p, token);
  if (r.status !== 200) throw new Error(`${p}: HTTP ${r.status}`);
  return r.body;
}

function withPage(p: string, page: number): string {
  return `${p}${p.includes('?') ? '&' : '?'}page=${page}`;
}
/** Every page of a list: a page of fewer than 50 is the last; a page repeating the one before means the list ignores page. */
async function pages(sim: Simulator, p: string, token: string): Promise<Json[]> {
  const out: Json[] = [];
  let before = '';
  for (let page = 1; ; page++) {
    const body = (await ok(sim, withPage(p, page), token)) as Json[];
    const text = JSON.stringify(body);
    if (text === before) return out;
    before = text;
    out.push(...body);
    if (body.length < 50) return out;
  }
}

function without(o: Json, ...keys: string[]): Json {
  const c = { ...o };
  for (const k of keys) delete c[k];
  return c;
}
const byId = (a: Json, b: Json) => a.id - b.id;

/** How the tap writes fields Basecamp 2 sends in two types: one type each (see docs/streams.md). */
function written(stream: 'todos' | 'calendar_events', o: Json): Json {
  if (stream === 'todos') return { ...o, completed_at: o.completed_at === false ? null : o.completed_at };
  const allDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  return {
    ...o,
    starts_at: allDay(o.starts_at) ? null : o.starts_at,
    starts_on: o.starts_at.slice(0, 10),
    ends_at: allDay(o.ends_at) ? null : o.ends_at,
    ends_on: o.ends_at.slice(0, 10),
  };
}

/**
 * A full sync the way the spec says the tap reads the account: the five project lists and
 * each project's show; people and groups with their shows; below every non-trashed project
 * the accesses, topics (active and archived), the message shows, the to-do lists in three
 * states with their shows and their to-dos' shows, documents, attachments, uploads, calendar
 * events (upcoming and past) and forwards; standalone calendars; /events.json.
 */
async function crawl(sim: Simulator, token: string): Promise<Record<string, Json[]>> {
  const out: Record<string, Json[]> = {};
  for (const s of sim.bcx.streamNames()) out[s] = [];
  const push = (s: string, r: Json) => (out[s] as Json[]).push(r);
  const comments = (parent: Json, type: string, where: Json) => {
    for (const c of parent.comments as Json[]) push('comments', { ...c, ...where, commentable_id: parent.id, commentable_type: type });
  };

  // Projects and people are their show with the url and app_url of their list items (the
  // url and app_url /projects.json and /people.json give), groups and calendars the list item
  // and the show merged, the show winning.
  const projectIds = new Set<number>();
  const urls = new Map<number, Json>();
  for (const l of [
    await ok(sim, '/projects.json', token),
    await pages(sim, '/projects/archived.json', token),
    await pages(sim, '/projects/drafts.json', token),
    await pages(sim, '/project_templates.json', token),
    await pages(sim, '/people/me/projects.json', token),
  ]) {
    for (const p of l as Json[]) {
      projectIds.add(p.id);
      if (p.app_url !== undefined) urls.set(p.id, { url: p.url, app_url: p.app_url });
    }
  }
  const shows: Json[] = [];
  for (const id of projectIds) shows.push(await ok(sim, `/projects/${id}.json`, token));
  out.projects = shows.map((p) => ({
    ...p,
    ...(urls.get(p.id) ?? { url: p.accesses.url.replace('/accesses.json', '.json'), app_url: p.accesses.app_url.replace('/accesses', '') }),
  }));
  const people = [...((await ok(sim, '/people.json', token)) as Json[]), ...(await pages(sim, '/people/trashed.json', token))];
  for (const p of people) push('people', { ...(await ok(sim, p.url, token)), url: p.url, app_url: p.app_url });
  for (const g of await pages(sim, '/groups.json', token)) push('groups', { ...g, ...(await ok(sim, `/groups/${g.id}.json`, token)) });

  for (const p of shows.filter((x) => !x.trashed)) {
    const P = `/projects/${p.id}`;
    const pid = { project_id: p.id };
    for (const a of await pages(sim, `${P}/accesses.json`, token)) push('accesses', { ...a, project_id: p.id, person_id: a.id });
    for (const list of ['topics', 'topics/archived']) {
      for (const t of await pages(sim, `${P}/${list}.json`, token)) {
        push('topics', { ...t, ...pid });
        if (t.topicable.type === 'Message') {
          const m = await ok(sim, t.topicable.url, token);
          push('messages', { ...without(m, 'comments'), ...pid });
          comments(m, 'Message', pid);
        }
      }
    }
    for (const state of ['', '/completed', '/trashed']) {
      for (const l of await pages(sim, `${P}/todolists${state}.json`, token)) {
        const show = await ok(sim, l.url, token);
        push('todolists', { ...without(show, 'todos', 'comments'), ...pid });
        comments(show, 'Todolist', pid);
        const todos: Json[] = show.todos
          ? [...show.todos.remaining, ...show.todos.completed, ...show.todos.trashed]
          : [
              ...(await pages(sim, `${P}/todolists/${l.id}/todos/remaining.json`, token)),
              ...(await pages(sim, `${P}/todolists/${l.id}/todos/completed.json`, token)),
              ...(await pages(sim, `${P}/todolists/${l.id}/todos/trashed.json`, token)),
            ];
        for (const t of todos) {
          const ts = await ok(sim, t.url, token);
          push('todos', written('todos', { ...without(ts, 'comments'), ...pid }));
          comments(ts, 'Todo', pid);
        }
      }
    }
    for (const d of await pages(sim, `${P}/documents.json`, token)) {
      const ds = await ok(sim, d.url, token);
      push('documents', { ...without(ds, 'comments'), ...pid });
      comments(ds, 'Document', pid);
    }
    for (const a of await pages(sim, `${P}/attachments.json`, token)) {
      push('attachments', { ...a, ...pid });
      if (a.attachable.type === 'Upload') {
        const u = await ok(sim, a.attachable.url, token);
        push('uploads', { ...without(u, 'comments'), ...pid });
        comments(u, 'Upload', pid);
      }
    }
    for (const list of ['calendar_events', 'calendar_events/past']) {
      for (const e of await pages(sim, `${P}/${list}.json`, token)) {
        const es = await ok(sim, e.url, token);
        push('calendar_events', written('calendar_events', { ...without(es, 'comments'), ...pid }));
        comments(es, 'CalendarEvent', pid);
      }
    }
    for (const f of await pages(sim, `${P}/forwards.json`, token)) {
      const fs = await ok(sim, f.url, token);
      push('forwards', { ...without(fs, 'comments'), ...pid });
      comments(fs, 'Forward', pid);
    }
  }
  for (const c of await pages(sim, '/calendars.json', token)) {
    const show = await ok(sim, c.url, token);
    push('calendars', { ...c, ...show });
    for (const url of [show.calendar_events.urls.upcoming, show.calendar_events.urls.past]) {
      for (const e of await pages(sim, url, token)) {
        const es = await ok(sim, e.url, token);
        push('calendar_events', written('calendar_events', { ...without(es, 'comments'), calendar_id: c.id }));
        comments(es, 'CalendarEvent', {});
      }
    }
  }
  for (const e of await pages(sim, `/events.json?since=${encodeURIComponent('2000-01-01T00:00:00+00:00')}`, token)) {
    push('events', e.bucket.type === 'Project' ? { ...e, project_id: e.bucket.id } : e);
  }
  for (const [s, l] of Object.entries(out)) {
    if (s === 'accesses') l.sort((a, b) => a.project_id - b.project_id || a.person_id - b.person_id);
    else l.sort(byId);
  }
  return out;
}

describe('the bcx account', () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ records: 200 });
    token = await tokenFor(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('has about 600 records, every kind of project, trashed people and the caller', () => {
    const counts = Object.fromEntries(sim.bcx.streamNames().map((s) => [s, sim.bcx.expectedRecords(s).length]));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(450);
    expect(total).toBeLessThan(800);
    for (const s of sim.bcx.streamNames()) expect(counts[s]).toBeGreaterThan(0);
    const projects = sim.bcx.expectedRecords('projects') as Json[];
    expect(projects.filter((p) => !p.archived && !p.trashed && !p.template && !p.draft).length).toBeGreaterThanOrEqual(3);
    for (const k of ['archived', 'draft', 'template', 'trashed']) expect(projects.filter((p) => p[k]).length).toBeGreaterThanOrEqual(1);
    const people = sim.bcx.expectedRecords('people') as Json[];
    expect(people.filter((p) => p.trashed).length).toBeGreaterThanOrEqual(1);
    const groups = sim.bcx.expectedRecords('groups') as Json[];
    expect(groups.some((g) => g.subgroups?.length > 0)).toBe(true);
    const lists = sim.bcx.expectedRecords('todolists') as Json[];
    expect(lists.some((l) => l.trashed)).toBe(true);
    expect(lists.some((l) => l.completed && !l.trashed)).toBe(true);
    const todos = sim.bcx.expectedRecords('todos') as Json[];
    expect(todos.some((t) => t.trashed)).toBe(true);
    expect(todos.some((t) => t.completed && typeof t.completed_at === 'string')).toBe(true);
    expect(todos.some((t) => !t.completed && t.completed_at === null)).toBe(true);
    expect(todos.every((t) => t.completed_at === null || typeof t.completed_at === 'string')).toBe(true);
    const events = sim.bcx.expectedRecords('calendar_events') as Json[];
    expect(events.some((e) => e.all_day && e.starts_at === null && DATE.test(e.starts_on) && DATE.test(e.ends_on))).toBe(true);
    expect(events.some((e) => !e.all_day && typeof e.starts_at === 'string' && DATE.test(e.starts_on))).toBe(true);
    for (const stream of ['people', 'projects'])
      expect((sim.bcx.expectedRecords(stream) as Json[]).every((p) => typeof p.url === 'string' && typeof p.app_url === 'string')).toBe(true);
    expect((sim.bcx.expectedRecords('calendars') as Json[]).every((c) => typeof c.url === 'string' && typeof c.app_url === 'string')).toBe(true);
    expect((sim.bcx.expectedRecords('groups') as Json[]).every((g) => typeof g.updated_at === 'string')).toBe(true);
    expect(events.some((e) => e.recurring)).toBe(true);
    expect(events.some((e) => e.calendar_id !== undefined)).toBe(true);
    const attachables = new Set((sim.bcx.expectedRecords('attachments') as Json[]).map((a) => a.attachable.type));
    expect([...attachables].sort()).toEqual(['Comment', 'Message', 'Todo', 'Upload']);
    const commentables = new Set((sim.bcx.expectedRecords('comments') as Json[]).map((c) => c.commentable_type));
    expect([...commentables].sort()).toEqual(['CalendarEvent', 'Document', 'Forward', 'Message', 'Todo', 'Todolist', 'Upload']);
    const topicables = new Set((sim.bcx.expectedRecords('topics') as Json[]).map((t) => t.topicable.type));
    expect([...topicables]).toEqual(expect.arrayContaining(['Message', 'CalendarEvent', 'Todo']));
  });

  it('is deterministic for a seed', async () => {
    const other = await startSimulator({ records: 50, port: 0 });
    try {
      // Same seed, another base URL: the same records once the URLs are aligned.
      const norm = (x: unknown, base: string) => JSON.stringify(x).split(base).join('BASE');
      for (const s of ['projects', 'todos', 'events'])
        expect(norm(other.bcx.expectedRecords(s), other.baseUrl)).toBe(norm(sim.bcx.expectedRecords(s), sim.baseUrl));
    } finally {
      await other.stop();
    }
  });

  it('renders timestamps at -05:00 (some with .000) and all-day events as dates', () => {
    const seen = { millis: false, plain: false };
    const walk = (v: unknown, key = '') => {
      if (typeof v === 'string' && /_at$/.test(key)) {
        if (DATE.test(v)) expect(['starts_at', 'ends_at', 'due_at']).toContain(key);
        else {
          expect(v).toMatch(TS);
          if (v.includes('.000')) seen.millis = true;
          else seen.plain = true;
        }
      } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    for (const s of sim.bcx.streamNames()) walk(sim.bcx.expectedRecords(s));
    expect(seen).toEqual({ millis: true, plain: true });
  });

  it('points every url at the simulator, people and calendars by id-slug, and answers the id-slug paths', async () => {
    const people = (await ok(sim, '/people.json', token)) as Json[];
    const person = people.find((p) => /-/.test(p.name)) ?? (people[1] as Json);
    expect(person.url).toMatch(new RegExp(`^${sim.bcx.apiRoot}/people/${person.id}-[a-z0-9-]+\\.json$`));
    expect(person.app_url).toBe(`${sim.baseUrl}/${sim.bcx.accountId}/people/${person.url.split('/people/')[1].replace(/\.json$/, '')}`);
    expect((await get(sim, person.url, token)).body.id).toBe(person.id);
    expect((await get(sim, `/people/${person.id}.json`, token)).body.id).toBe(person.id);
    const cal = ((await ok(sim, '/calendars.json', token)) as Json[])[0] as Json;
    expect(cal.url).toMatch(new RegExp(`/calendars/${cal.id}-[a-z0-9-]+\\.json$`));
    const show = await ok(sim, cal.url, token);
    expect(show.id).toBe(cal.id);
    expect((await get(sim, show.calendar_events.urls.upcoming, token)).status).toBe(200);
    const me = await ok(sim, '/people/me.json', token);
    expect(me.id).toBe((sim.bcx.expectedRecords('people') as Json[])[0]?.id);
    const text = JSON.stringify(sim.bcx.expectedRecords('topics'));
    for (const m of text.matchAll(/"(url|app_url)":"([^"]+)"/g)) expect(m[2]).toMatch(new RegExp(`^${sim.baseUrl}/${sim.bcx.accountId}/`));
  });

  it('expectedRecords is exactly what a crawl of the API returns', async () => {
    const got = await crawl(sim, token);
    for (const s of sim.bcx.streamNames()) {
      expect({ stream: s, records: got[s] }).toEqual({ stream: s, records: sim.bcx.expectedRecords(s) });
    }
  });

  it('checks the bearer token and the User-Agent, serves GET only, and has no Link or X-Total-Count', async () => {
    expect((await get(sim, '/projects.json', null)).status).toBe(401);
    const noUa = await fetch(`${sim.bcx.apiRoot}/projects.json`, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': '' } });
    expect(noUa.status).toBe(400);
    const post = await fetch(`${sim.bcx.apiRoot}/projects.json`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'User-Agent': UA } });
    expect(post.status).toBe(404);
    expect((await get(sim, '/nothing.json', token)).status).toBe(404);
    // The bcx paths exist only below /api/v1; the bc3 paths only below the bc3 id.
    expect((await get(sim, `${sim.baseUrl}/${sim.bcx.accountId}/projects.json`, token)).status).toBe(404);
    const p = (sim.bcx.expectedRecords('topics') as Json[])[0]?.project_id as number;
    const r = await get(sim, `/projects/${p}/topics.json`, token);
    expect(r.status).toBe(200);
    expect(r.headers.get('link')).toBeNull();
    expect(r.headers.get('x-total-count')).toBeNull();
    expect(new Date(r.headers.get('date') as string).getTime()).toBe(Math.floor(sim.now().getTime() / 1000) * 1000);
    const etag = r.headers.get('etag') as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await get(sim, `/projects/${p}/topics.json`, token, { 'If-None-Match': etag })).status).toBe(304);
    // Trashed projects: the show answers, the contents do not.
    const trashed = (sim.bcx.expectedRecords('projects') as Json[]).find((x) => x.trashed) as Json;
    expect((await ok(sim, `/projects/${trashed.id}.json`, token)).trashed).toBe(true);
    expect((await get(sim, `/projects/${trashed.id}/topics.json`, token)).status).toBe(404);
  });

  it('/projects.json and /people.json ignore page; documented-paginated lists page by 50', async () => {
    const people1 = (await ok(sim, '/people.json', token)) as Json[];
    expect(people1.length).toBeGreaterThan(50);
    expect(await ok(sim, '/people.json?page=2', token)).toEqual(people1);
    const projects1 = await ok(sim, '/projects.json', token);
    expect(await ok(sim, '/projects.json?page=2', token)).toEqual(projects1);
    expect(await ok(sim, '/projects.json?page=9', token)).toEqual(projects1);
    const big = (sim.bcx.expectedRecords('projects') as Json[])[0] as Json;
    for (const list of ['accesses', 'topics', 'attachments']) {
      const all = (sim.bcx.expectedRecords(list) as Json[]).filter((x) => x.project_id === big.id);
      expect(all.length).toBeGreaterThan(50);
      const p1 = (await ok(sim, `/projects/${big.id}/${list}.json`, token)) as Json[];
      const p2 = (await ok(sim, `/projects/${big.id}/${list}.json?page=2`, token)) as Json[];
      const p3 = (await ok(sim, `/projects/${big.id}/${list}.json?page=3`, token)) as Json[];
      expect(p1.length).toBe(50);
      if (list !== 'accesses') expect(p1.length + p2.length).toBeGreaterThanOrEqual(all.length - 2); // archived topics are on their own list
      expect(p3).toEqual([]);
      expect(new Set([...p1, ...p2].map((x) => x.id)).size).toBe(p1.length + p2.length);
    }
    // Topics and attachments: newest first.
    const topics = await pages(sim, `/projects/${big.id}/topics.json`, token);
    const t = topics.map((x) => Date.parse(x.updated_at));
    expect(t).toEqual([...t].sort((a, b) => b - a));
    const atts = await pages(sim, `/projects/${big.id}/attachments.json`, token);
    const c = atts.map((x) => Date.parse(x.created_at));
    expect(c).toEqual([...c].sort((a, b) => b - a));
  });

  it('/events.json?since= lists events at or after since, newest first, 50 a page', async () => {
    const all = sim.bcx.expectedRecords('events') as Json[];
    const mid = all[Math.floor(all.length / 3)] as Json;
    const since = mid.created_at as string;
    const want = all.filter((e) => Date.parse(e.created_at) >= Date.parse(since));
    const got = await pages(sim, `/events.json?since=${encodeURIComponent(since)}`, token);
    expect(got.map((e) => e.id).sort()).toEqual(want.map((e) => e.id).sort());
    const times = got.map((e) => Date.parse(e.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(((await ok(sim, `/events.json?since=${encodeURIComponent(since)}`, token)) as Json[]).length).toBe(Math.min(50, want.length));
    // The same instant with a + offset, escaped (%2B) or not (a space once decoded).
    const plus = new Date(Date.parse(since) + 2 * 3_600_000).toISOString().slice(0, 19) + '+02:00';
    expect((await pages(sim, `/events.json?since=${encodeURIComponent(plus)}`, token)).length).toBe(want.length);
    expect((await pages(sim, `/events.json?since=${plus}`, token)).length).toBe(want.length);
    expect((await get(sim, '/events.json?since=yesterday', token)).status).toBe(400);
    // Nothing new: an empty list.
    expect(await ok(sim, `/events.json?since=${encodeURIComponent('2099-01-01T00:00:00-05:00')}`, token)).toEqual([]);
    // The project form has no bucket; the person form no creator.
    const proj = (await ok(
      sim,
      `/projects/${mid.project_id ?? (all.find((e) => e.project_id) as Json).project_id}/events.json?since=2000-01-01T00:00:00-05:00`,
      token,
    )) as Json[];
    expect(proj[0]).not.toHaveProperty('bucket');
    const person = (await ok(sim, `/people/${mid.creator.id}/events.json?since=2000-01-01T00:00:00-05:00`, token)) as Json[];
    expect(person[0]).not.toHaveProperty('creator');
    expect(person.every((e) => e.bucket)).toBe(true);
  });

  it('serves start_date windows with expanded recurrences', async () => {
    const e = (sim.bcx.expectedRecords('calendar_events') as Json[]).find((x) => x.recurring?.count === 5 && x.project_id) as Json;
    const start = String(e.starts_at).slice(0, 10);
    const items = (await ok(sim, `/projects/${e.project_id}/calendar_events.json?start_date=${start}`, token)) as Json[];
    const mine = items.filter((x) => x.id === e.id || x.recurrence?.master.id === e.id);
    // Weekly, five times, the 2nd and 3rd (numbers 2 and 3) skipped: 0, 1 and 4 show.
    expect(mine.map((x) => x.recurrence?.number ?? 0)).toEqual([0, 1, 4]);
    expect(mine[1]).not.toHaveProperty('id');
    expect((await get(sim, '/calendar_events.json', token)).status).toBe(400);
  });
});

describe('bcx readings', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  const start = async (o: SimulatorOptions) => {
    sim = await startSimulator({ records: 50, ...o });
    return { s: sim, token: await tokenFor(sim) };
  };

  it('unknownListsPaginate: true pages unknown lists by 50, false answers everything on every page', async () => {
    for (const paginate of [true, false]) {
      const { s, token } = await start({ bcx: { records: 6000, readings: { unknownListsPaginate: paginate } } });
      const everything = s.bcx.expectedRecords('projects').length;
      expect(everything).toBeGreaterThan(50);
      const p1 = (await ok(s, '/people/me/projects.json', token)) as Json[];
      const p2 = (await ok(s, '/people/me/projects.json?page=2', token)) as Json[];
      if (paginate) {
        expect(p1.length).toBe(50);
        expect(p2[0]?.id).not.toBe(p1[0]?.id);
        expect((await pages(s, '/people/me/projects.json', token)).length).toBe(everything);
      } else {
        expect(p1.length).toBe(everything);
        expect(p2).toEqual(p1);
      }
      // Documented-paginated lists page by 50 under both readings.
      expect(((await ok(s, '/projects/archived.json', token)) as Json[]).length).toBeLessThanOrEqual(50);
      await s.stop();
      sim = undefined;
    }
  });

  it('expectedRecords matches a crawl under the other readings too', async () => {
    const { s, token } = await start({
      bcx: {
        readings: {
          unknownListsPaginate: false,
          listShowEmbedsTodos: false,
          projectListsCarryBucket: false,
          changesTouchProject: false,
          commentsTouchCommentable: false,
          todoChangesTouchList: false,
        },
      },
    });
    // Some changes first, so the readings about touching show.
    const m = (s.bcx.expectedRecords('messages') as Json[])[0] as Json;
    s.bcx.create('comments', { parentId: m.id });
    s.bcx.update('todos', s.bcx.ids('todos')[0] as number);
    const got = await crawl(s, token);
    for (const stream of s.bcx.streamNames()) expect({ stream, records: got[stream] }).toEqual({ stream, records: s.bcx.expectedRecords(stream) });
  });

  it('archived projects need two pages in a large account', async () => {
    const { s, token } = await start({ bcx: { records: 20_000 } });
    const archived = (s.bcx.expectedRecords('projects') as Json[]).filter((p) => p.archived);
    expect(archived.length).toBeGreaterThan(50);
    expect(((await ok(s, '/projects/archived.json', token)) as Json[]).length).toBe(50);
    expect((await pages(s, '/projects/archived.json', token)).map((p) => p.id).sort()).toEqual(archived.map((p) => p.id).sort());
  });

  it('listShowEmbedsTodos: false leaves todos out of the list show; the to-do lists answer', async () => {
    const { s, token } = await start({ bcx: { readings: { listShowEmbedsTodos: false } } });
    const l = (s.bcx.expectedRecords('todolists') as Json[])[0] as Json;
    const show = await ok(s, `/projects/${l.project_id}/todolists/${l.id}.json`, token);
    expect(show).not.toHaveProperty('todos');
    const todos = (s.bcx.expectedRecords('todos') as Json[]).filter((t) => t.todolist_id === l.id);
    const listed = [
      ...((await ok(s, `/projects/${l.project_id}/todolists/${l.id}/todos/remaining.json`, token)) as Json[]),
      ...((await ok(s, `/projects/${l.project_id}/todolists/${l.id}/todos/completed.json`, token)) as Json[]),
      ...((await ok(s, `/projects/${l.project_id}/todolists/${l.id}/todos/trashed.json`, token)) as Json[]),
    ];
    expect(listed.map((t) => t.id).sort()).toEqual(todos.map((t) => t.id).sort());
    // The default embeds them; exclude_todos=true always leaves them out.
    await s.stop();
    const d = await start({});
    const dl = (d.s.bcx.expectedRecords('todolists') as Json[])[0] as Json;
    expect(await ok(d.s, `/projects/${dl.project_id}/todolists/${dl.id}.json`, d.token)).toHaveProperty('todos');
    expect(await ok(d.s, `/projects/${dl.project_id}/todolists/${dl.id}.json?exclude_todos=true`, d.token)).not.toHaveProperty('todos');
  });

  it('projectListsCarryBucket: false leaves bucket out of project-scoped lists, not account-wide ones', async () => {
    const { s, token } = await start({ bcx: { readings: { projectListsCarryBucket: false } } });
    const p = (s.bcx.expectedRecords('topics') as Json[])[0]?.project_id as number;
    expect(((await ok(s, `/projects/${p}/topics.json`, token)) as Json[])[0]).not.toHaveProperty('bucket');
    expect(((await ok(s, '/topics.json', token)) as Json[])[0]).toHaveProperty('bucket');
    expect((s.bcx.expectedRecords('topics') as Json[])[0]).not.toHaveProperty('bucket');
  });

  it('changesTouchProject, commentsTouchCommentable and todoChangesTouchList move updated_at or not', async () => {
    for (const touch of [true, false]) {
      const { s } = await start({ bcx: { readings: { changesTouchProject: touch, commentsTouchCommentable: touch, todoChangesTouchList: touch } } });
      const find = (stream: string, id: number) => (s.bcx.expectedRecords(stream) as Json[]).find((x) => x.id === id) as Json;
      const todo = (s.bcx.expectedRecords('todos') as Json[]).find((t) => !t.trashed) as Json;
      const before = { project: find('projects', todo.project_id).updated_at, list: find('todolists', todo.todolist_id).updated_at };
      s.advanceClock(60_000);
      s.bcx.update('todos', todo.id);
      const now = find('todos', todo.id).updated_at as string;
      expect(Date.parse(now)).toBe(Math.floor(s.now().getTime() / 1000) * 1000);
      expect(find('projects', todo.project_id).updated_at).toBe(touch ? now : before.project);
      expect(find('todolists', todo.todolist_id).updated_at).toBe(touch ? now : before.list);
      const m = (s.bcx.expectedRecords('messages') as Json[])[0] as Json;
      const mBefore = m.updated_at;
      s.bcx.create('comments', { parentId: m.id });
      if (!touch) expect(find('messages', m.id).updated_at).toBe(mBefore);
      else expect(Date.parse(find('messages', m.id).updated_at)).toBe(Math.floor(s.now().getTime() / 1000) * 1000);
      await s.stop();
      sim = undefined;
    }
  });
});

describe('bcx mutations', () => {
  let sim: Simulator;
  let token: string;
  beforeEach(async () => {
    sim = await startSimulator({ records: 50 });
    token = await tokenFor(sim);
  });
  afterEach(async () => {
    await sim.stop();
  });
  const newest = async () => ((await ok(sim, `/events.json?since=${encodeURIComponent('2000-01-01T00:00:00-05:00')}`, token)) as Json[])[0] as Json;
  const find = (stream: string, id: number) => (sim.bcx.expectedRecords(stream) as Json[]).find((x) => x.id === id);

  it('a new comment adds the event Basecamp logs: eventable = the commentable, with excerpt and attachments', async () => {
    const m = (sim.bcx.expectedRecords('messages') as Json[])[0] as Json;
    const id = sim.bcx.create('comments', { parentId: m.id });
    const e = await newest();
    expect(e).toMatchObject({
      action: 'commented on',
      eventable: { id: m.id, type: 'Message' },
      attachments: [],
      excerpt: expect.any(String),
      raw_excerpt: expect.any(String),
      bucket: { id: m.project_id, type: 'Project' },
    });
    expect(e.created_at).toBe(find('comments', id)?.created_at);
    const show = await ok(sim, `/projects/${m.project_id}/messages/${m.id}.json`, token);
    expect((show.comments as Json[]).map((c) => c.id)).toContain(id);
    expect(find('comments', id)).toMatchObject({ commentable_id: m.id, commentable_type: 'Message', project_id: m.project_id });
    // A first comment on a to-do gives it a topic.
    const todo = (sim.bcx.expectedRecords('todos') as Json[]).find((t) => t.comments_count === 0 && !t.trashed) as Json;
    expect((sim.bcx.expectedRecords('topics') as Json[]).some((t) => t.topicable.id === todo.id)).toBe(false);
    sim.bcx.create('comments', { parentId: todo.id });
    expect((sim.bcx.expectedRecords('topics') as Json[]).find((t) => t.topicable.id === todo.id)).toMatchObject({
      topicable: { type: 'Todo' },
      project_id: todo.project_id,
    });
    expect(find('todos', todo.id)?.comments_count).toBe(1);
  });

  it('every mutation of content adds one event; people and access changes add none', async () => {
    const count = () => sim.bcx.expectedRecords('events').length;
    const p = (sim.bcx.expectedRecords('projects') as Json[])[0] as Json;
    let n = count();
    const steps: Array<[() => void, string, string]> = [
      [() => sim.bcx.create('messages', { projectId: p.id }), 'posted a message<span>:</span>', 'Message'],
      [() => sim.bcx.create('todolists', { projectId: p.id }), 'created a to-do list<span>:</span>', 'Todolist'],
      [() => sim.bcx.create('todos', { projectId: p.id }), 'added a to-do<span>:</span>', 'Todo'],
      [() => sim.bcx.create('documents', { projectId: p.id }), 'created a document<span>:</span>', 'Document'],
      [() => sim.bcx.create('calendar_events', { projectId: p.id }), 'added an event<span>:</span>', 'CalendarEvent'],
      [() => sim.bcx.create('uploads', { projectId: p.id }), 'uploaded a file<span>:</span>', 'Upload'],
      [() => sim.bcx.update('documents', sim.bcx.ids('documents')[0] as number), 'edited a document<span>:</span>', 'Document'],
      [() => sim.bcx.trash('messages', sim.bcx.ids('messages')[0] as number), 'deleted a message<span>:</span>', 'Message'],
      [() => sim.bcx.setProjectState(p.id, 'archived'), 'archived the project<span>:</span>', 'Project'],
    ];
    for (const [step, action, type] of steps) {
      step();
      expect(count()).toBe(n + 1);
      n++;
      const e = await newest();
      expect(e.action).toBe(action);
      expect(e.eventable.type).toBe(type);
      expect(e.summary).toBe(`${action} ${e.target}`);
    }
    const person = sim.bcx.addPerson({ name: 'Nadia Ferreira' });
    sim.bcx.grantAccess(p.id, person);
    sim.bcx.update('people', person);
    expect(count()).toBe(n);
    expect((sim.bcx.expectedRecords('accesses') as Json[]).some((a) => a.project_id === p.id && a.person_id === person)).toBe(true);
    expect(find('people', person)).toMatchObject({ name: expect.stringContaining('Nadia Ferreira'), trashed: false });
    sim.bcx.trash('people', person);
    expect(find('people', person)?.trashed).toBe(true);
    expect((sim.bcx.expectedRecords('accesses') as Json[]).some((a) => a.person_id === person)).toBe(false);
  });

  it('trash: the record leaves the active lists, its show still answers trashed: true', async () => {
    const m = (sim.bcx.expectedRecords('messages') as Json[])[0] as Json;
    const topic = (sim.bcx.expectedRecords('topics') as Json[]).find((t) => t.topicable.id === m.id) as Json;
    sim.bcx.trash('messages', m.id);
    expect((await pages(sim, `/projects/${m.project_id}/topics.json`, token)).some((t) => t.id === topic.id)).toBe(false);
    expect((await ok(sim, `/projects/${m.project_id}/messages/${m.id}.json`, token)).trashed).toBe(true);
    expect(find('messages', m.id)).toBeUndefined();
    // A trashed to-do moves to its list's trashed to-dos (still a todos record).
    const t = (sim.bcx.expectedRecords('todos') as Json[]).find((x) => !x.trashed && !x.completed) as Json;
    sim.bcx.trash('todos', t.id);
    const list = await ok(sim, `/projects/${t.project_id}/todolists/${t.todolist_id}.json`, token);
    expect((list.todos.trashed as Json[]).map((x) => x.id)).toContain(t.id);
    expect((list.todos.remaining as Json[]).map((x) => x.id)).not.toContain(t.id);
    expect(find('todos', t.id)?.trashed).toBe(true);
    // A trashed upload's file leaves the attachments list; the upload's show answers.
    const u = (sim.bcx.expectedRecords('uploads') as Json[])[0] as Json;
    sim.bcx.trash('uploads', u.id);
    expect((await pages(sim, `/projects/${u.project_id}/attachments.json`, token)).some((a) => a.attachable.id === u.id)).toBe(false);
    expect((await ok(sim, `/projects/${u.project_id}/uploads/${u.id}.json`, token)).trashed).toBe(true);
    // Project states.
    const p = (sim.bcx.expectedRecords('projects') as Json[]).find((x) => !x.archived && !x.trashed && !x.template && !x.draft) as Json;
    sim.bcx.setProjectState(p.id, 'trashed');
    expect(((await ok(sim, '/projects.json', token)) as Json[]).some((x) => x.id === p.id)).toBe(false);
    expect(((await pages(sim, '/people/me/projects.json', token)) as Json[]).find((x) => x.id === p.id)?.trashed).toBe(true);
    expect((sim.bcx.expectedRecords('topics') as Json[]).some((x) => x.project_id === p.id)).toBe(false);
    sim.bcx.setProjectState(p.id, 'active');
    expect(((await ok(sim, '/projects.json', token)) as Json[]).some((x) => x.id === p.id)).toBe(true);
  });

  it('mutations work from sim.onRequest, between two page reads', async () => {
    const big = (sim.bcx.expectedRecords('projects') as Json[])[0] as Json;
    const first = (await ok(sim, `/projects/${big.id}/topics.json`, token)) as Json[];
    let done = false;
    sim.onRequest((entry) => {
      if (!done && entry.path.includes('page=2')) {
        done = true;
        sim.bcx.create('messages', { projectId: big.id });
      }
    });
    const second = (await ok(sim, `/projects/${big.id}/topics.json?page=2`, token)) as Json[];
    sim.onRequest(undefined);
    expect(done).toBe(true);
    // The new topic went to the top: page 2 now starts with page 1's last topic.
    expect(second[0]?.id).toBe(first[first.length - 1]?.id);
  });

  it('ids(stream) lists the ids a test can mutate', () => {
    for (const s of ['messages', 'todos', 'todolists', 'documents', 'uploads', 'calendar_events', 'forwards', 'comments']) {
      const id = sim.bcx.ids(s)[0] as number;
      expect(() => sim.bcx.update(s, id)).not.toThrow();
    }
    expect(() => sim.bcx.update('events', sim.bcx.ids('events')[0] as number)).toThrow();
  });
});

describe('bcx traffic and Launchpad', () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.stop();
  });

  it('/authorization.json lists both accounts; the accounts option replaces the list', async () => {
    sim = await startSimulator({ records: 50 });
    const token = await tokenFor(sim);
    const who = (await (await fetch(`${sim.baseUrl}/authorization.json`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Json;
    expect(who.accounts).toEqual([
      { product: 'bc3', id: sim.accountId, name: expect.any(String), href: `${sim.baseUrl}/${sim.accountId}`, app_href: `${sim.baseUrl}/${sim.accountId}` },
      { product: 'bcx', id: 999_999_002, name: sim.bcx.name, href: `${sim.baseUrl}/999999002/api/v1`, app_href: `${sim.baseUrl}/999999002` },
    ]);
    expect(sim.bcx.apiRoot).toBe(`${sim.baseUrl}/999999002/api/v1`);
    expect(sim.bcx.config()).toMatchObject({ account_id: 999_999_002, api_url: sim.baseUrl, client_id: sim.clientId, refresh_token: sim.refreshToken });
    expect(sim.bcx.config()).not.toHaveProperty('basecamp_product');
    await sim.stop();
    sim = await startSimulator({ records: 50, bcx: { accountId: 77 }, accounts: [{ id: 77, product: 'bcx', name: 'Only' }] });
    const t2 = await tokenFor(sim);
    const who2 = (await (await fetch(`${sim.baseUrl}/authorization.json`, { headers: { Authorization: `Bearer ${t2}` } })).json()) as Json;
    expect(who2.accounts).toEqual([{ product: 'bcx', id: 77, name: 'Only', href: `${sim.baseUrl}/77/api/v1`, app_href: `${sim.baseUrl}/77` }]);
    expect((await get(sim, '/projects.json', t2)).status).toBe(200);
  });

  it('has its own rate limit (429 with Retry-After), separate from the bc3 one', async () => {
    sim = await startSimulator({ records: 50, bcx: { rateLimit: { requests: 3, windowMs: 60_000 } } });
    const token = await tokenFor(sim);
    for (let i = 0; i < 3; i++) expect((await get(sim, '/people/me.json', token)).status).toBe(200);
    const limited = await get(sim, '/people/me.json', token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const bc3 = await fetch(`${sim.baseUrl}/${sim.accountId}/projects.json`, { headers: { 'User-Agent': UA, Authorization: `Bearer ${token}` } });
    expect(bc3.status).toBe(200);
    sim.bcx.setRateLimit(null);
    expect((await get(sim, '/people/me.json', token)).status).toBe(200);
  });

  it('sim.setFaults applies to both accounts; sim.bcx.setFaults to bcx alone', async () => {
    sim = await startSimulator({ records: 50 });
    const token = await tokenFor(sim);
    const bc3 = async () =>
      (await fetch(`${sim.baseUrl}/${sim.accountId}/projects.json`, { headers: { 'User-Agent': UA, Authorization: `Bearer ${token}` } })).status;
    sim.setFaults({ errorRate: 1 });
    expect([500, 502, 503, 504]).toContain((await get(sim, '/projects.json', token)).status);
    expect([500, 502, 503, 504]).toContain(await bc3());
    sim.bcx.setFaults({});
    expect((await get(sim, '/projects.json', token)).status).toBe(200);
    expect([500, 502, 503, 504]).toContain(await bc3());
    sim.setFaults({ burst429: { afterRequests: 0, count: 1, retryAfterSeconds: 2 } });
    const burst = await get(sim, '/projects.json', token);
    expect(burst.status).toBe(429);
    expect(burst.headers.get('retry-after')).toBe('2');
    sim.bcx.setFaults({ badJsonRate: 1 });
    const bad = await fetch(`${sim.bcx.apiRoot}/projects.json`, { headers: { 'User-Agent': UA, Authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(200);
    await expect(bad.json()).rejects.toThrow();
    sim.bcx.setFaults({ cutRate: 1 });
    await expect(
      fetch(`${sim.bcx.apiRoot}/projects.json`, { headers: { 'User-Agent': UA, Authorization: `Bearer ${token}` } }).then((r) => r.text()),
    ).rejects.toThrow();
    sim.bcx.setFaults({ dropRate: 1 });
    await expect(get(sim, '/projects.json', token)).rejects.toThrow();
    sim.setFaults({});
    expect((await get(sim, '/projects.json', token)).status).toBe(200);
  });
});
